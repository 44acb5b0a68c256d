package dev.workbench.cli;

import dev.workbench.tune.RunComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Put runs side by side on one HTML page (validation curves, test metrics, hyperparameters, wall time), "
                + "or plot one metric of every run in one PNG (--figure).")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders")
    List<Path> runs;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "compare.html", description = "the page (default compare.html)")
    Path output;

    @Option(names = "--x", paramLabel = "AXIS", defaultValue = "epoch",
            description = "what the curves' x axis counts: epoch or wall_seconds (default epoch)")
    String x;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "val_loss",
            description = "with --figure: the metrics.csv column to plot (default val_loss)")
    String metric;

    @Option(names = "--figure", paramLabel = "FILE.png",
            description = "write one PNG of --metric against --x for every run, instead of the page")
    Path figure;

    @Override
    public Integer call() {
        RunComparison.XAxis axis = RunComparison.XAxis.named(x);
        Path written = figure != null ? RunComparison.figure(runs, metric, axis, figure)
                : RunComparison.write(runs, output, axis);
        System.out.println("wrote " + written);
        return 0;
    }
}
