package dev.workbench.job;

/**
 * How to train.
 *
 * @param epochs           maximum number of epochs
 * @param optimizer        updater and base learning rate
 * @param schedule         learning-rate schedule over the run
 * @param earlyStopping    optional: stop when a validation metric stops improving
 * @param checkpointEvery  write a resumable checkpoint every N epochs
 * @param gradientClipping optional gradient clipping
 */
public record TrainingSpec(Integer epochs, OptimizerSpec optimizer, ScheduleSpec schedule,
                           EarlyStoppingSpec earlyStopping, Integer checkpointEvery,
                           GradientClippingSpec gradientClipping) {
    public TrainingSpec {
        epochs = epochs == null ? 10 : epochs;
        optimizer = optimizer == null ? new OptimizerSpec(null, null, null, null) : optimizer;
        schedule = schedule == null ? new ScheduleSpec(null, null, null, null, null) : schedule;
        checkpointEvery = checkpointEvery == null ? 1 : checkpointEvery;
    }
}
