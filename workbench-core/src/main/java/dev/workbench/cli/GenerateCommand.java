package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.generate.TextGenerator;
import dev.workbench.models.gan.GanNetwork;
import dev.workbench.models.gan.GeneratedImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a finished language-model run (e.g. a character LSTM or GPT on Tiny Shakespeare), "
                + "or images from a finished GAN run (a PNG grid and the raw images as .npy).")
final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a finished language-model or GAN run folder")
    Path run;

    @Option(names = "--prompt", defaultValue = "\n", description = "text: what the sample continues (default: a new line)")
    String prompt;

    @Option(names = "--length", defaultValue = "500", description = "text: tokens (characters) to generate, at most " + TextGenerator.MAX_LENGTH + " (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "text: below 1 favours likely characters, above 1 flattens the distribution, 0 always takes the likeliest (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0",
            description = "text: draw only among the k likeliest characters; 0 keeps them all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--count", defaultValue = "64",
            description = "images: how many, at most " + GeneratedImages.MAX_COUNT + " (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--label", description = "images: the class every image is drawn as (conditional GANs; "
            + "default: the classes in turn, one per grid column)")
    Integer label;

    @Option(names = "--output", description = "images: the PNG grid (default: RUN_DIR/generated.png); the raw images "
            + "go beside it as .npy (float32 [count, channels, height, width], pixels in [0, 1])")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "random seed: the same seed gives the same text or images (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        TextGenerator.checkLength(length);
        Workbench workbench = Workbench.standard(System.err);
        Workbench.FinishedRun finished = workbench.finished(run);
        if (finished.model() instanceof GanNetwork gan) {
            GeneratedImages images = GeneratedImages.write(gan, count, label, seed,
                    output != null ? output : run.resolve("generated.png"));
            System.out.println(count + " images (seed " + seed + "): " + images.grid() + ", raw " + images.raw()
                    + (images.classes() == null ? "" : ", classes " + (label != null ? label
                    : Arrays.toString(Arrays.copyOf(images.classes(), Math.min(count, gan.settings().classes()))) + " in turn")));
            return 0;
        }
        TextGenerator generator = workbench.generator(finished);
        // Each character as it is drawn: a long sample shows progress instead of nothing until the end.
        generator.generate(prompt, length, temperature, topK, seed, text -> {
            System.out.print(text);
            System.out.flush();
        });
        System.out.println();
        return 0;
    }
}
