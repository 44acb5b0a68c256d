package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.tune.Candidate;
import dev.workbench.tune.Tuner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search a job's hyperparameters (its search: block); every candidate is a normal run folder.")
final class TuneCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", description = "a job file with a search block")
    Path job;

    @Option(names = "--set", paramLabel = "key=value",
            description = "override a field of the job or its search block, e.g. --set search.candidates=4")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "SEARCH_DIR", description = "go on with a stopped search; finished candidates stay")
    Path resume;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "train N candidates at once, each in a worker process with its share of the cores (default 1: in this process)")
    int workers;

    @Override
    public Integer call() {
        Tuner tuner = new Tuner(Workbench.standard(System.out), System.out);
        if ((job == null) == (resume == null)) {
            throw new IllegalArgumentException("give a job file (JOB.yaml) or --resume SEARCH_DIR, not both");
        }
        if (resume != null && !overrides.isEmpty()) {
            throw new IllegalArgumentException("--resume goes on with the search's recorded job.yaml; give no --set");
        }
        Tuner.Result result = resume != null ? tuner.resume(resume, workers) : tuner.tune(job, overrides, workers);
        Candidate best = result.best();
        System.out.println(best == null || !best.hasScore() ? "no candidate finished"
                : "best: candidate " + best.index() + " " + best.values() + " = " + best.score());
        System.out.println("search folder: " + result.folder() + " (results.csv, best.yaml, report.html)");
        return 0;
    }
}
