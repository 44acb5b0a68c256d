package dev.workbench;

import dev.workbench.train.ProgressReporter;

/** Progress that shows nothing: tests override only the event they act on. */
public abstract class QuietProgress implements ProgressReporter {
    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
    }

    @Override
    public void batchDone(double loss, double samplesPerSecond) {
    }

    @Override
    public void epochEnded(String summaryLine) {
    }

    @Override
    public void warning(String message) {
    }
}
