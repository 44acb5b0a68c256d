package dev.workbench.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output without the debug line SameDiff 1.0.0-M2.1 prints with {@code System.out.println} for every
 * operation it differentiates ("Added differentiated op ..."): a run with SameDiff layers (GRU, transformer) would
 * otherwise bury its progress under a thousand of them. Everything else passes through unchanged, line by line.
 */
final class DebugPrintFilter extends OutputStream {
    private static final String NOISE = "Added differentiated op ";

    private final PrintStream target;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    private DebugPrintFilter(PrintStream target) {
        this.target = target;
    }

    /** {@code out} wrapped so that SameDiff's debug lines are dropped. */
    static PrintStream around(PrintStream out) {
        return new PrintStream(new DebugPrintFilter(out), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void flush() {
        // A partial line (a progress bar redrawn with \r) goes out as it is: only whole lines can be noise.
        String text = line.toString(StandardCharsets.UTF_8);
        if (!text.isEmpty() && !NOISE.startsWith(text) && !text.startsWith(NOISE)) {
            target.print(text);
            line.reset();
        }
        target.flush();
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!text.startsWith(NOISE)) {
            target.print(text);
        }
    }
}
