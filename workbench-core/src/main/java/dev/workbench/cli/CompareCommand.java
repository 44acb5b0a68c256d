package dev.workbench.cli;

import dev.workbench.tune.RunComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Put runs side by side on one HTML page: validation curves, test metrics, hyperparameters, wall time.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders")
    List<Path> runs;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "compare.html", description = "the page (default compare.html)")
    Path output;

    @Override
    public Integer call() {
        System.out.println("wrote " + RunComparison.write(runs, output));
        return 0;
    }
}
