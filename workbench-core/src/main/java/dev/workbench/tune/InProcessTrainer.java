package dev.workbench.tune;

import dev.workbench.Workbench;
import dev.workbench.job.JobSpec;
import java.nio.file.Path;

/** Trains candidates one at a time in this JVM, with the workbench's own trainer. */
final class InProcessTrainer implements CandidateTrainer {
    private final Workbench workbench;

    InProcessTrainer(Workbench workbench) {
        this.workbench = workbench;
    }

    @Override
    public void train(JobSpec job, Path jobFile) {
        workbench.train(job);
    }

    @Override
    public void extend(Path run, int epochs) {
        workbench.extend(run, epochs);
    }
}
