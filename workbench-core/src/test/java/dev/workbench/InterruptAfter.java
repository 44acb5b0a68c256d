package dev.workbench;

import dev.workbench.train.ProgressReporter;

/** Progress that stops a run after a given epoch, once its checkpoint is written, as a killed process would. */
public final class InterruptAfter implements ProgressReporter {
    private final int epoch;
    private int current;

    public InterruptAfter(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        current = epoch;
    }

    @Override
    public void batchDone(double loss, double samplesPerSecond) {
    }

    @Override
    public void warning(String message) {
    }

    @Override
    public void epochEnded(String summaryLine) {
        if (current == epoch) {
            throw new IllegalStateException("interrupted after epoch " + epoch);
        }
    }
}
