package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.generate.TextGenerator;
import dev.workbench.generate.WindowedModel;
import dev.workbench.job.JobFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gpt job trained end to end on real Tiny Shakespeare, then read back and sampled as `workbench generate` does. */
class GptRunTest {
    @TempDir
    static Path output;
    private static Workbench workbench;
    private static Workbench.Run run;

    @BeforeAll
    static void trainATinyGpt() {
        String yaml = """
                name: tiny-gpt
                seed: 5
                dataset: {name: tinyshakespeare, batch_size: 12, sequence_length: 16, limit: 240}
                model: {family: transformer, architecture: gpt, hyperparameters: {d_model: 32, heads: 4, ff: 64, layers: 2}}
                training: {epochs: 1, optimizer: {type: adam, lr: 0.003}}
                output: %s
                """.formatted(output.toString().replace("\\", "/"));
        workbench = TestWorkbench.quiet();
        run = workbench.train(JobFile.parse(yaml, "tiny-gpt.yaml", List.of()));
    }

    @Test
    void aTrainedRunGeneratesThroughItsCacheAsTheWholeNetworkWould() {
        assertTrue(run.summary().test().get("test_loss") < Math.log(65), run.summary().test().toString());

        Workbench.FinishedRun finished = workbench.finished(run.folder().root());
        assertInstanceOf(CachedDecoder.class, finished.objective().nextTokenModel(finished.model(), 16));
        TextGenerator generator = workbench.generator(finished);
        String greedy = generator.generate("ROMEO:", 10, 0, 1);
        TextGenerator whole = new TextGenerator(() -> new WindowedModel(finished.model(), 16, true),
                Vocabulary.closed(finished.data().info().labels()));
        assertEquals(whole.generate("ROMEO:", 10, 0, 1), greedy);
        String sampled = generator.generate("ROMEO:", 200, 0.8, 5, 3);
        assertEquals(sampled, generator.generate("ROMEO:", 200, 0.8, 5, 3));
    }

    @Test
    void aTrainedRunDrawsItsAttentionAndThatOfAnyText() throws Exception {
        Path png = run.folder().plots().resolve("attention.png");
        assertTrue(java.nio.file.Files.isRegularFile(png));
        assertTrue(java.nio.file.Files.readString(run.folder().reportHtml()).contains("alt=\"attention.png\""));
        var numbers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.folder().plots().resolve("attention.json").toFile());
        assertEquals(16, numbers.get("tokens").size(), "the first test window, all its 16 steps");
        assertEquals(2, numbers.get("weights").size(), "layers");

        Workbench.TextAttention text = workbench.attention(run.folder().root(), "ROMEO:", null);
        assertEquals(run.folder().root().resolve("attention.png"), text.file());
        assertEquals(List.of("R", "O", "M", "E", "O", ":"), text.attention().tokens());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(text.file().toFile());
        assertTrue(image != null && image.getWidth() >= 300, "a PNG of four heads side by side");
    }
}
