package dev.workbench.models.transformer;

import dev.workbench.data.DataSplits;
import dev.workbench.data.Task;
import dev.workbench.train.ForwardingObjective;
import dev.workbench.train.Network;
import dev.workbench.train.SupervisedObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A transformer's objective: the dataset's own labels, trained, judged, saved and loaded as {@link SupervisedObjective}
 * does; after training it draws the attention of every layer and head for one fixed input, the first test row
 * (plots/attention.png, the numbers in plots/attention.json), which the report shows.
 */
class TransformerObjective extends ForwardingObjective {
    /** A decoder's example window is cut to its first steps: a 64-step map is too fine to read in a grid of heads. */
    static final int DECODER_STEPS_SHOWN = 32;

    private final Task task;

    TransformerObjective(Task task) {
        super(new SupervisedObjective(task));
        this.task = task;
    }

    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        INDArray window = prepared.test().getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all());
        int steps = (int) window.size(2);
        int shown = task == Task.LANGUAGE_MODEL ? Math.min(steps, DECODER_STEPS_SHOWN) : steps;
        TokenAttention attention = TokenAttention.of(model, window, TokenAttention.names(prepared.vocabulary(), window), shown);
        return List.of(attention.write(folder.resolve("attention.png"), "Attention on the first test "
                + (task == Task.LANGUAGE_MODEL ? "window (its first " + shown + " steps)" : "input")));
    }
}
