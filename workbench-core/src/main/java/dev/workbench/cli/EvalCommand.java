package dev.workbench.cli;

import dev.workbench.Workbench;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a finished run's model on its test split (also written to RUN_DIR/eval.json).")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder")
    Path run;

    @Override
    public Integer call() {
        Map<String, Double> test = Workbench.standard(System.out).evaluate(run);
        System.out.println(Format.metrics(test));
        return 0;
    }
}
