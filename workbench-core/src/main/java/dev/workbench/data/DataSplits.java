package dev.workbench.data;

import dev.workbench.data.graph.NodeGraph;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.job.DatasetSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The three splits of a dataset, already transformed and normalised.
 *
 * @param normalizer the statistics fitted on {@code train} (null for none), kept with the model so that
 *                   new inputs get the same treatment
 * @param graph      for node classification, the graph whose nodes are the rows of every split (each split then
 *                   holds all nodes, its own ones marked by the labels mask); null for data without a graph
 * @param vocabulary the tokens of token-id data (words or characters, by id); null for other data
 * @param unlabelled token ids {@code [n, 1, time]} of text without labels that comes with the data (pre-training
 *                   text, never drawn from the validation or test split), encoded with {@code vocabulary}; null for none
 */
public record DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test,
                         DataNormalization normalizer, NodeGraph graph,
                         Vocabulary vocabulary, INDArray unlabelled) {

    public DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer) {
        this(info, train, validation, test, normalizer, null, null, null);
    }

    /** Token splits and the vocabulary that names their ids (text becomes model input through it). */
    public static DataSplits ofTokens(DatasetInfo info, DataSet train, DataSet validation, DataSet test,
                                      Vocabulary vocabulary) {
        return new DataSplits(info, train, validation, test, null, null, vocabulary, null);
    }

    public DataSplits(DatasetInfo info, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer,
                      NodeGraph graph) {
        this(info, train, validation, test, normalizer, graph, null, null);
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

    /**
     * The same splits with at most {@code n} training examples (the first ones: splits are already shuffled), and at
     * most {@code n} unlabelled rows.
     */
    public DataSplits withTrainLimit(int n) {
        if (graph != null) {
            throw new IllegalArgumentException("dataset.limit: " + info.name() + " is one graph, whose nodes cannot be cut");
        }
        INDArray fewerUnlabelled = unlabelled == null || unlabelled.size(0) <= n
                ? unlabelled : unlabelled.get(NDArrayIndex.interval(0, n)).dup();
        return new DataSplits(info, Rows.first(train, n), validation, test, normalizer, null, vocabulary,
                fewerUnlabelled);
    }

    /** The same data with other splits (a family's objective preparing what it trains on). */
    public DataSplits withSplits(DatasetInfo prepared, DataSet newTrain, DataSet newValidation, DataSet newTest) {
        return new DataSplits(prepared, newTrain, newValidation, newTest, normalizer, graph, vocabulary, unlabelled);
    }
}
