package dev.workbench.job;

import java.util.List;

/** A job file that cannot be used; each problem names the file and the field path at fault. */
public final class JobFileException extends RuntimeException {
    private final List<String> problems;

    public JobFileException(String source, List<String> problems) {
        super(source + ": " + String.join("\n" + source + ": ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code field.path: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
