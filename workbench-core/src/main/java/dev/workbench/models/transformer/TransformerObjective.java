package dev.workbench.models.transformer;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.train.Evaluator;
import dev.workbench.train.Network;
import dev.workbench.train.SupervisedObjective;
import dev.workbench.train.TrainingObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A transformer's objective: the dataset's own labels, trained, judged, saved and loaded as {@link SupervisedObjective}
 * does; after training it draws the attention of every layer and head for one fixed input, the first test row
 * (plots/attention.png, the numbers in plots/attention.json), which the report shows.
 */
class TransformerObjective implements TrainingObjective {
    /** A decoder's example window is cut to its first steps: a 64-step map is too fine to read in a grid of heads. */
    static final int DECODER_STEPS_SHOWN = 32;

    private final SupervisedObjective supervised;

    TransformerObjective(Task task) {
        this.supervised = new SupervisedObjective(task);
    }

    @Override
    public String name() {
        return supervised.name();
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        return supervised.prepare(labelled);
    }

    @Override
    public List<String> metricNames() {
        return supervised.metricNames();
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        return supervised.evaluate(network, split, info);
    }

    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        var window = prepared.test().getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int steps = (int) window.size(2);
        int shown = supervised.task() == Task.LANGUAGE_MODEL ? Math.min(steps, DECODER_STEPS_SHOWN) : steps;
        TokenAttention attention = TokenAttention.of(model, window, TokenAttention.names(prepared.vocabulary(), window), shown);
        return List.of(attention.write(folder.resolve("attention.png"), "Attention on the first test "
                + (supervised.task() == Task.LANGUAGE_MODEL ? "window (its first " + shown + " steps)" : "input")));
    }
}
