package dev.workbench.report;

import java.util.Map;

/**
 * summary.json: how the run ended and its final test metrics, with the facts needed to compare it and to know
 * how it was made. Built by name: {@code RunSummary.of(job, seed).status(...)...build()}.
 *
 * @param status          {@code completed}, {@code stopped_early} or {@code diverged}
 * @param message         what went wrong, for a diverged run
 * @param objective       what the model learned ({@code classification}, {@code reconstruction}, ...)
 * @param bestEpoch       epoch whose weights are model.zip
 * @param test            test-split metrics of model.zip ({@code test_accuracy}, ...)
 * @param wallSeconds     wall time of every process that worked on the run: this one in full, each earlier one up to
 *                        its last checkpoint
 * @param trainSamplesPerSecond mean training throughput over every epoch of the run, whichever process trained it
 */
public record RunSummary(String job, String status, String message, long seed, String objective, int epochsCompleted,
                         int bestEpoch, String monitoredMetric, Map<String, Double> test, double wallSeconds,
                         double trainSamplesPerSecond, long parameters, Map<String, Object> hyperparameters,
                         RunEnvironment environment, Provenance provenance) {

    public static Builder of(String job, long seed) {
        return new Builder(job, seed);
    }

    /** Names every field as it is set; what a run does not reach (test metrics of a diverged run) stays empty. */
    public static final class Builder {
        private final String job;
        private final long seed;
        private String status;
        private String message;
        private String objective;
        private int epochsCompleted;
        private int bestEpoch;
        private String monitoredMetric;
        private Map<String, Double> test = Map.of();
        private double wallSeconds;
        private double trainSamplesPerSecond;
        private long parameters;
        private Map<String, Object> hyperparameters = Map.of();
        private Provenance provenance;

        private Builder(String job, long seed) {
            this.job = job;
            this.seed = seed;
        }

        public Builder status(String status, String message) {
            this.status = status;
            this.message = message;
            return this;
        }

        public Builder objective(String objective) {
            this.objective = objective;
            return this;
        }

        public Builder epochs(int completed, int best, String monitoredMetric) {
            this.epochsCompleted = completed;
            this.bestEpoch = best;
            this.monitoredMetric = monitoredMetric;
            return this;
        }

        public Builder test(Map<String, Double> test) {
            this.test = test;
            return this;
        }

        public Builder timing(double wallSeconds, double trainSamplesPerSecond) {
            this.wallSeconds = wallSeconds;
            this.trainSamplesPerSecond = trainSamplesPerSecond;
            return this;
        }

        public Builder model(long parameters, Map<String, Object> hyperparameters) {
            this.parameters = parameters;
            this.hyperparameters = hyperparameters;
            return this;
        }

        public Builder provenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** The summary, with the machine it ran on. */
        public RunSummary build() {
            if (status == null) {
                throw new IllegalStateException("a run summary needs its status");
            }
            return new RunSummary(job, status, message, seed, objective, epochsCompleted, bestEpoch, monitoredMetric,
                    test, wallSeconds, trainSamplesPerSecond, parameters, hyperparameters, RunEnvironment.current(),
                    provenance);
        }
    }
}
