package dev.workbench.report;

import java.util.Map;

/**
 * summary.json: how the run ended and its final test metrics, with the facts needed to compare it.
 *
 * @param status          {@code completed}, {@code stopped_early} or {@code diverged}
 * @param message         what went wrong, for a diverged run
 * @param bestEpoch       epoch whose weights are model.zip
 * @param test            test-split metrics of model.zip ({@code test_accuracy}, ...)
 * @param trainSamplesPerSecond mean training throughput over the epochs this process ran
 */
public record RunSummary(String job, String status, String message, long seed, int epochsCompleted, int bestEpoch,
                         String monitoredMetric, Map<String, Double> test, double wallSeconds,
                         double trainSamplesPerSecond, long parameters, Map<String, Object> hyperparameters,
                         RunEnvironment environment) {
}
