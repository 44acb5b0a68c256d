package dev.workbench.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a live bar per epoch (batch, loss, samples/s, ETA) on a terminal, and only
 * the end-of-epoch line when output is not a terminal (CI, pipes, tests).
 */
public interface ProgressReporter {
    void epochStarted(int epoch, int epochs, int batches);

    void batchDone(double loss, double samplesPerSecond);

    void epochEnded(String summaryLine);

    /** Something the user should know that does not stop the run (a damaged checkpoint passed over on resume). */
    void warning(String message);

    /** The bar on an interactive terminal outside CI, else plain lines on {@code out}. */
    static ProgressReporter forConsole(PrintStream out) {
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        return interactive ? new Bar(out) : new Lines(out);
    }

    final class Lines implements ProgressReporter {
        private final PrintStream out;

        public Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
        }

        @Override
        public void batchDone(double loss, double samplesPerSecond) {
        }

        @Override
        public void epochEnded(String summaryLine) {
            out.println(summaryLine);
            out.flush();
        }

        @Override
        public void warning(String message) {
            out.println("warning: " + message);
            out.flush();
        }
    }

    final class Bar implements ProgressReporter {
        private final PrintStream out;
        private ProgressBar bar;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .continuousUpdate().setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                    .build();
        }

        @Override
        public void batchDone(double loss, double samplesPerSecond) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.4f  %.0f samples/s", loss, samplesPerSecond));
        }

        @Override
        public void epochEnded(String summaryLine) {
            bar.close();
            out.println(summaryLine);
        }

        @Override
        public void warning(String message) {
            out.println("warning: " + message);
        }
    }
}
