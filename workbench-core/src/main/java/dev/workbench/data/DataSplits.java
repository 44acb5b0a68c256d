package dev.workbench.data;

import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.job.DatasetSpec;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The three splits of a dataset, already transformed and normalised.
 *
 * @param normalizer the statistics fitted on {@code train} (null for none), kept with the model so that
 *                   new inputs get the same treatment
 * @param graph      for node classification, the graph whose nodes are the rows of every split (each split then
 *                   holds all nodes, its own ones marked by the labels mask); null for data without a graph
 * @param vocabulary the tokens of token-id data (words or characters, by id); null for other data
 */
public record DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test,
                         DataNormalization normalizer, dev.workbench.data.graph.NodeGraph graph, Vocabulary vocabulary) {

    public DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer) {
        this(info, train, validation, test, normalizer, null, null);
    }

    public DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer,
                      dev.workbench.data.graph.NodeGraph graph) {
        this(info, train, validation, test, normalizer, graph, null);
    }

    /** Token splits and the vocabulary that names their ids (text becomes model input through it). */
    public static DataSplits ofTokens(DatasetInfo info, DataSet train, DataSet validation, DataSet test,
                                      Vocabulary vocabulary) {
        return new DataSplits(info, train, validation, test, null, null, vocabulary);
    }

    /** Splits all labelled rows into train/validation/test by the job's fractions, then normalises. */
    public static DataSplits split(DatasetInfo info, DataSet all, DatasetSpec spec, long seed) {
        int[] classes = info.task() == Task.CLASSIFICATION
                ? StratifiedSplit.classesOf(all) : StratifiedSplit.oneClass(all.numExamples());
        StratifiedSplit split = StratifiedSplit.of(classes, spec.splits().validation(), spec.splits().test(), seed);
        return normalised(info, StratifiedSplit.rows(all, split.train()),
                StratifiedSplit.rows(all, split.validation()), StratifiedSplit.rows(all, split.test()), spec);
    }

    /** Keeps the dataset's own test split and carves the validation split out of its training rows. */
    public static DataSplits withFixedTest(DatasetInfo info, DataSet trainAll, DataSet test, DatasetSpec spec, long seed) {
        StratifiedSplit split = StratifiedSplit.of(StratifiedSplit.classesOf(trainAll), spec.splits().validation(), 0, seed);
        return normalised(info, StratifiedSplit.rows(trainAll, split.train()),
                StratifiedSplit.rows(trainAll, split.validation()), test, spec);
    }

    private static DataSplits normalised(DatasetInfo info, DataSet train, DataSet validation, DataSet test, DatasetSpec spec) {
        if (!spec.trainClasses().isEmpty()) {
            train = onlyClasses(train, spec.trainClasses());
            validation = onlyClasses(validation, spec.trainClasses());
        }
        DataNormalization normalizer = Normalization.fit(spec.normalization(), info, train);
        Normalization.apply(normalizer, train, validation, test);
        return new DataSplits(info, train, validation, test, normalizer);
    }

    private static DataSet onlyClasses(DataSet data, java.util.List<Integer> classes) {
        int[] classOf = StratifiedSplit.classesOf(data);
        int[] rows = java.util.stream.IntStream.range(0, classOf.length).filter(r -> classes.contains(classOf[r])).toArray();
        return StratifiedSplit.rows(data, rows);
    }

    /** The same splits with at most {@code n} training examples (the first ones: splits are already shuffled). */
    public DataSplits withTrainLimit(int n) {
        if (graph != null) {
            throw new IllegalArgumentException("dataset.limit: " + info.name() + " is one graph, whose nodes cannot be cut");
        }
        return new DataSplits(info, Rows.first(train, n), validation, test, normalizer, null, vocabulary);
    }
}
