package dev.workbench.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.ForwardingNetwork;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small character LSTM trained on real Tiny Shakespeare through a job, then sampled. */
class TextGenerationTest {
    @TempDir
    static Path output;
    private static Workbench workbench;
    private static Workbench.Run run;

    @BeforeAll
    static void trainTinyLanguageModel() {
        String yaml = """
                name: tiny-lm
                seed: 5
                dataset: {name: tinyshakespeare, batch_size: 32, sequence_length: 40, limit: 640}
                model: {family: rnn, architecture: lstm, hyperparameters: {embedding: 16, hidden: [64]}}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.01}}
                output: %s
                """.formatted(output.toString().replace("\\", "/"));
        JobSpec job = JobFile.parse(yaml, "tiny-lm.yaml", List.of());
        workbench = TestWorkbench.quiet();
        run = workbench.train(job);
    }

    @Test
    void languageModelBeatsUniformGuessingInNatsPerCharacter() {
        double loss = run.summary().test().get("test_loss");
        // Uniform over 65 characters is ln 65 = 4.17 nats; character frequencies alone give about 3.3.
        assertTrue(loss < 3.3, "validation nats/char " + loss);
        assertEquals(Math.exp(loss), run.summary().test().get("test_perplexity"), 1e-6);
    }

    @Test
    void generatedTextContinuesThePromptAndIsReproducibleBySeed() {
        TextGenerator generator = workbench.generator(run.folder().root());
        String a = generator.generate("ROMEO:", 80, 0.8, 1);
        assertTrue(a.startsWith("ROMEO:"));
        assertEquals(6 + 80, a.length());
        assertEquals(a, generator.generate("ROMEO:", 80, 0.8, 1));
        assertNotEquals(a, generator.generate("ROMEO:", 80, 0.8, 2));
        // A trained model writes mostly letters and spaces, not uniform noise over punctuation.
        long letters = a.substring(6).chars().filter(c -> Character.isLetter(c) || c == ' ').count();
        assertTrue(letters > 55, "letters in: " + a);
    }

    @Test
    void badPromptsAndSettingsAreNamed() {
        TextGenerator generator = workbench.generator(run.folder().root());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> generator.generate("café", 5, 1, 1));
        assertTrue(unknown.getMessage().contains("'é'"), unknown.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.generate("a", 5, -0.5, 1))
                .getMessage().contains("--temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.generate("a", 5, 1, -1, 1))
                .getMessage().contains("--top-k"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.generate("", 5, 1, 1))
                .getMessage().contains("--prompt"));
    }

    @Test
    void lengthIsBoundedAndTheBoundIsSaid() {
        TextGenerator generator = workbench.generator(run.folder().root());
        for (int length : new int[]{0, TextGenerator.MAX_LENGTH + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("a", length, 1, 1));
            assertEquals("--length: must be 1 to 100000 characters, got " + length, e.getMessage());
        }
    }

    @Test
    void eachCharacterIsHandedOnBeforeTheNextIsDrawn() {
        Workbench.FinishedRun finished = workbench.finished(run.folder().root());
        CountingCalls model = new CountingCalls(finished.model());
        TextGenerator generator = new TextGenerator(model, Vocabulary.closed(finished.data().info().labels()),
                finished.data().info().input().length());
        List<String> pieces = new ArrayList<>();
        List<Integer> modelCallsAtEachPiece = new ArrayList<>();
        generator.generate("ROMEO:", 20, 0.8, 1, piece -> {
            pieces.add(piece);
            modelCallsAtEachPiece.add(model.calls);
        });
        assertEquals("ROMEO:", pieces.get(0), "the prompt first, before the model runs");
        assertEquals(21, pieces.size());
        for (int i = 0; i <= 20; i++) {
            assertEquals(i, modelCallsAtEachPiece.get(i), "piece " + i);
        }
        assertEquals(generator.generate("ROMEO:", 20, 0.8, 1), String.join("", pieces));
    }

    @Test
    void temperatureSharpensOrFlattensTheDistribution() {
        double[] p = {0.7, 0.2, 0.1};
        Random random = new Random(3);
        int[] counts = new int[3];
        for (int i = 0; i < 20_000; i++) {
            counts[TextGenerator.sample(p, 1.0, random)]++;
        }
        assertEquals(0.7, counts[0] / 20_000.0, 0.015);
        assertEquals(0.1, counts[2] / 20_000.0, 0.01);
        for (int i = 0; i < 200; i++) {
            assertEquals(0, TextGenerator.sample(p, 0.01, random), "near-zero temperature is greedy");
            assertEquals(0, TextGenerator.sample(p, 0, random), "temperature 0 takes the likeliest");
        }
    }

    @Test
    void topKDrawsOnlyAmongTheLikeliest() {
        double[] p = {0.1, 0.4, 0.05, 0.3, 0.15};
        assertArrayEquals(new double[]{0, 0.4, 0, 0.3, 0}, TextGenerator.topK(p, 2));
        Random random = new Random(4);
        int[] counts = new int[5];
        for (int i = 0; i < 10_000; i++) {
            counts[TextGenerator.sample(TextGenerator.topK(p, 2), 1.0, random)]++;
        }
        assertEquals(0, counts[0] + counts[2] + counts[4]);
        assertEquals(0.4 / 0.7, counts[1] / 10_000.0, 0.02);
    }

    /** A real network that counts its forward passes (one per generated character). */
    private static final class CountingCalls extends ForwardingNetwork {
        private int calls;

        CountingCalls(Network inner) {
            super(inner);
        }

        @Override
        public INDArray output(INDArray features) {
            calls++;
            return inner.output(features);
        }
    }
}
