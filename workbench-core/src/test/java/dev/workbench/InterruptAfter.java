package dev.workbench;

/** Progress that stops a run after a given epoch, once its checkpoint is written, as a killed process would. */
public final class InterruptAfter extends QuietProgress {
    private final int run;
    private final int epoch;
    private final boolean kill;
    private int runs;
    private int current;

    public InterruptAfter(int epoch) {
        this(1, epoch, false);
    }

    private InterruptAfter(int run, int epoch, boolean kill) {
        this.run = run;
        this.epoch = epoch;
        this.kill = kill;
    }

    /**
     * Ends the whole process's work in the given epoch of the {@code run}-th run it starts (counting from 1) with an
     * Error, as Ctrl-C would: nothing above catches it as one run's failure.
     */
    public static InterruptAfter killing(int run, int epoch) {
        return new InterruptAfter(run, epoch, true);
    }

    /** Thrown by {@link #killing}. */
    public static final class Killed extends Error {
        Killed(String message) {
            super(message);
        }
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        if (epoch == 1) {
            runs++;
        }
        current = epoch;
    }

    @Override
    public void epochEnded(String summaryLine) {
        if (kill && runs == run && current == epoch) {
            throw new Killed("killed after epoch " + epoch + " of run " + run);
        }
        if (!kill && current == epoch) {
            throw new IllegalStateException("interrupted after epoch " + epoch);
        }
    }
}
