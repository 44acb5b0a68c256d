package dev.workbench.data;

import java.nio.file.Path;

/** A data file that is missing, unreadable or corrupt; the message says how to restore it. */
public final class DataFileException extends RuntimeException {
    public DataFileException(Path file, String problem, String remedy) {
        super(file + ": " + problem + ". " + remedy);
    }
}
