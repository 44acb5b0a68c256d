package dev.workbench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything besides the network that a resumed run needs to continue exactly: epochs done, early-stopping
 * bookkeeping and the metric history. Written next to each checkpoint as state.json, and inside it.
 *
 * @param checkpoint  file name (in checkpoints/) of the network saved at {@code completedEpochs}
 * @param wallSeconds wall time every process spent on the run up to this checkpoint, so that a resumed run's
 *                    summary counts the processes before it
 */
public record TrainingState(int completedEpochs, Double bestValue, int bestEpoch, int epochsWithoutImprovement,
                            String checkpoint, List<EpochMetrics> history, double wallSeconds) {

    public TrainingState {
        history = List.copyOf(history);
    }

    public static TrainingState fresh() {
        return new TrainingState(0, null, 0, 0, null, List.of(), 0);
    }

    /**
     * Mean training throughput over every epoch of the history (all samples over all seconds), whichever process
     * trained it; 0 before the first epoch.
     */
    public double trainSamplesPerSecond() {
        double samples = 0;
        double seconds = 0;
        for (EpochMetrics epoch : history) {
            Double epochSeconds = epoch.values().get("seconds");
            Double rate = epoch.values().get("samples_per_sec");
            if (epochSeconds != null && rate != null) {
                samples += epochSeconds * rate;
                seconds += epochSeconds;
            }
        }
        return seconds > 0 ? samples / seconds : 0;
    }

    public TrainingState withWallSeconds(double seconds) {
        return new TrainingState(completedEpochs, bestValue, bestEpoch, epochsWithoutImprovement, checkpoint, history,
                seconds);
    }

    TrainingState withBest(int epoch, double value) {
        return new TrainingState(epoch, value, epoch, 0, checkpoint, history, wallSeconds);
    }

    TrainingState withoutImprovement(int epoch) {
        return new TrainingState(epoch, bestValue, bestEpoch, epochsWithoutImprovement + 1, checkpoint, history,
                wallSeconds);
    }

    TrainingState withMetrics(EpochMetrics metrics) {
        List<EpochMetrics> rows = new ArrayList<>(history);
        rows.add(metrics);
        return new TrainingState(completedEpochs, bestValue, bestEpoch, epochsWithoutImprovement, checkpoint, rows,
                wallSeconds);
    }

    TrainingState withCheckpoint(String file) {
        return new TrainingState(completedEpochs, bestValue, bestEpoch, epochsWithoutImprovement, file, history,
                wallSeconds);
    }
}
