package dev.workbench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything besides the network that a resumed run needs to continue exactly: epochs done, early-stopping
 * bookkeeping and the metric history. Written next to each checkpoint as state.json.
 *
 * @param checkpoint file name (in checkpoints/) of the network saved at {@code completedEpochs}
 */
public record TrainingState(int completedEpochs, Double bestValue, int bestEpoch, int epochsWithoutImprovement,
                            String checkpoint, List<EpochMetrics> history) {

    public TrainingState {
        history = List.copyOf(history);
    }

    public static TrainingState fresh() {
        return new TrainingState(0, null, 0, 0, null, List.of());
    }

    TrainingState withBest(int epoch, double value) {
        return new TrainingState(epoch, value, epoch, 0, checkpoint, history);
    }

    TrainingState withoutImprovement(int epoch) {
        return new TrainingState(epoch, bestValue, bestEpoch, epochsWithoutImprovement + 1, checkpoint, history);
    }

    TrainingState withMetrics(EpochMetrics metrics) {
        List<EpochMetrics> rows = new ArrayList<>(history);
        rows.add(metrics);
        return new TrainingState(completedEpochs, bestValue, bestEpoch, epochsWithoutImprovement, checkpoint, rows);
    }

    TrainingState withCheckpoint(String file) {
        return new TrainingState(completedEpochs, bestValue, bestEpoch, epochsWithoutImprovement, file, history);
    }
}
