package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.job.JobSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a job file into a new run folder, or resume an interrupted run.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", description = "the job file")
    Path job;

    @Option(names = "--set", paramLabel = "key=value",
            description = "override a job field, e.g. --set training.epochs=3 --set model.hyperparameters.hidden=[128,64]")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue this run from its newest checkpoint")
    Path resume;

    @Option(names = "--epochs", paramLabel = "N",
            description = "with --resume: train the run on to N epochs in all, even if it had finished")
    Integer epochs;

    @Override
    public Integer call() {
        Workbench workbench = Workbench.standard(System.out);
        Workbench.Run run;
        if (resume != null) {
            if (job != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a run with its recorded job.yaml; give no JOB.yaml or --set");
            }
            System.out.println("resuming " + resume + (epochs == null ? "" : " to " + epochs + " epochs"));
            run = epochs == null ? workbench.resume(resume) : workbench.extend(resume, epochs);
            if (run.alreadyComplete()) {
                System.out.println(resume + ": already complete (" + run.summary().status() + " after "
                        + run.summary().epochsCompleted() + " epochs); nothing to resume, no file changed");
            }
        } else {
            if (epochs != null) {
                throw new IllegalArgumentException("--epochs goes with --resume; for a new run use --set training.epochs=N");
            }
            if (job == null) {
                throw new IllegalArgumentException("give a job file (JOB.yaml) or --resume RUN_DIR");
            }
            JobSpec spec = workbench.readJob(job, overrides);
            System.out.println("training " + spec.name() + ": " + spec.model().family() + "/" + spec.model().architecture()
                    + " on " + spec.dataset().name());
            run = workbench.train(spec);
        }
        System.out.println(run.summary().status() + "; test " + Format.metrics(run.summary().test()));
        System.out.println("run folder: " + run.folder().root());
        return 0;
    }
}
