package dev.workbench.job;

import java.util.List;

/**
 * A job file bound as far as it could be: {@code problems} are its unknown keys, ill-typed values, duplicate keys and
 * bad {@code --set}s, each as {@code field.path: what is wrong}; each field at fault is left out of {@code job}, which
 * holds its default instead, so range checks can still run on the rest.
 */
public record BoundJob(JobSpec job, List<String> problems) {
    public BoundJob {
        problems = List.copyOf(problems);
    }

    /** The job, when nothing was at fault. */
    public JobSpec orThrow(String source) {
        if (!problems.isEmpty()) {
            throw new JobFileException(source, problems);
        }
        return job;
    }

    /**
     * Whether a problem at {@code path} would repeat one already listed: the field or a field above it is at fault
     * (a range check on its default, or a "required" for a value of the wrong type, says nothing new).
     */
    public boolean alreadyAtFault(String path) {
        return problems.stream().map(BoundJob::pathOf)
                .anyMatch(at -> path.equals(at) || path.startsWith(at + ".") || path.startsWith(at + "["));
    }

    /** The field path a problem names, {@code training.epochs} in {@code training.epochs: must be >= 1, got 0}. */
    public static String pathOf(String problem) {
        int colon = problem.indexOf(": ");
        return colon < 0 ? problem : problem.substring(0, colon);
    }
}
