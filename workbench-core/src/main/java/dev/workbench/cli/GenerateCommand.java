package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.generate.TextGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a finished language-model run (e.g. a character LSTM on Tiny Shakespeare).")
final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a finished language-model run folder")
    Path run;

    @Option(names = "--prompt", defaultValue = "\n", description = "text the sample continues (default: a new line)")
    String prompt;

    @Option(names = "--length", defaultValue = "500", description = "tokens (characters) to generate, at most " + TextGenerator.MAX_LENGTH + " (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "below 1 favours likely characters, above 1 flattens the distribution (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--seed", defaultValue = "42", description = "random seed: the same seed gives the same text (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        TextGenerator.checkLength(length);
        TextGenerator generator = Workbench.standard(System.err).generator(run);
        // Each character as it is drawn: a long sample shows progress instead of nothing until the end.
        generator.generate(prompt, length, temperature, seed, text -> {
            System.out.print(text);
            System.out.flush();
        });
        System.out.println();
        return 0;
    }
}
