package dev.workbench.train;

import java.nio.file.Path;

/**
 * A run's file that exists but cannot be read back: truncated, or its contents garbled. Its message starts with the
 * file; a caller that knows a way out (an earlier checkpoint, a rebuild) adds it, and the CLI exits with 2.
 */
public final class DamagedFileException extends IllegalArgumentException {
    private final transient Path file;

    public DamagedFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
