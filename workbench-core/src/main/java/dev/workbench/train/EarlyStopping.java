package dev.workbench.train;

import dev.workbench.job.EarlyStoppingSpec;

/**
 * Tracks the monitored validation metric. Its state lives in {@link TrainingState} so that a resumed run
 * stops at the same epoch as an uninterrupted one.
 */
public final class EarlyStopping {
    private final String metric;
    private final int patience;
    private final double minDelta;
    private final boolean higherIsBetter;

    /** @param spec null monitors val_loss only to choose the best epoch, and never stops */
    public EarlyStopping(EarlyStoppingSpec spec) {
        this.metric = spec == null ? "val_loss" : spec.metric();
        this.patience = spec == null ? Integer.MAX_VALUE : spec.patience();
        this.minDelta = spec == null ? 0 : spec.minDelta();
        this.higherIsBetter = Evaluator.higherIsBetter(metric);
    }

    public String metric() {
        return metric;
    }

    /** The state after an epoch whose monitored value is {@code value}. */
    public TrainingState update(TrainingState state, int epoch, double value) {
        boolean improved = state.bestValue() == null
                || (higherIsBetter ? value > state.bestValue() + minDelta : value < state.bestValue() - minDelta);
        return improved
                ? state.withBest(epoch, value)
                : state.withoutImprovement(epoch);
    }

    public boolean shouldStop(TrainingState state) {
        return state.epochsWithoutImprovement() >= patience;
    }
}
