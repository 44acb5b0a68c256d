package dev.workbench.tune;

import dev.workbench.job.JobSpec;
import java.nio.file.Path;

/** Trains one candidate's run: in this process, or in a worker process of its own. */
interface CandidateTrainer {
    /** Trains {@code job} into a new run folder under its output folder; a failure throws with its reason. */
    void train(JobSpec job, Path jobFile);

    /** Continues {@code run} (interrupted or finished) up to {@code epochs} epochs in all. */
    void extend(Path run, int epochs);
}
