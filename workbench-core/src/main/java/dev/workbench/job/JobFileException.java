package dev.workbench.job;

import java.util.List;

/** A job file that cannot be used; each problem names the file and the field path at fault. */
public final class JobFileException extends RuntimeException {
    private final List<String> problems;

    public JobFileException(String source, List<String> problems) {
        super(source + ": " + String.join("\n" + source + ": ", oneLineEach(problems)));
        this.problems = oneLineEach(problems);
    }

    /** Each problem as {@code field.path: what is wrong}. */
    public List<String> problems() {
        return problems;
    }

    /** The CLI prints one line per problem, whatever line breaks a key or value of the file held. */
    private static List<String> oneLineEach(List<String> problems) {
        return problems.stream().map(p -> p.replace("\r", "\\r").replace("\n", "\\n")).toList();
    }
}
