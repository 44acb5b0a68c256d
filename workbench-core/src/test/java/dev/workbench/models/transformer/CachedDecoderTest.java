package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.workbench.TestWorkbench;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.generate.NextTokenModel;
import dev.workbench.generate.TextGenerator;
import dev.workbench.generate.WindowedModel;
import dev.workbench.train.Network;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The key/value cache reads a trained decoder as the whole network does: the same distribution after every token of
 * real text, the same greedy text, and after the cache restarts, the distribution of the window it kept.
 */
class CachedDecoderTest {
    private static final int CONTEXT = 16;
    private static final Vocabulary CHARACTERS = Vocabulary.closed(GptFamilyTest.SHAKESPEARE.info().labels());

    /** A decoder trained for a few steps on real windows, so its weights are not the initial ones. */
    private static Network trained(String norm, String positions, String activation) {
        Network gpt = GptFamilyTest.build(Map.of("norm", norm, "positions", positions, "activation", activation,
                "dropout", 0.1));
        DataSet batch = TestWorkbench.firstRows(GptFamilyTest.SHAKESPEARE.train(), 12);
        for (int i = 0; i < 5; i++) {
            gpt.fit(batch);
        }
        return gpt;
    }

    private static int[] realText(int length) {
        float[] ids = GptFamilyTest.SHAKESPEARE.validation().getFeatures().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).reshape(-1).toFloatVector();
        int[] text = new int[length];
        for (int i = 0; i < length; i++) {
            text[i] = (int) ids[i];
        }
        return text;
    }

    private static void assertSameDistribution(double[] expected, double[] actual, String where) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5, where + ", token " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"pre, learned, gelu", "post, sinusoidal, relu"})
    void everyDistributionEqualsTheWholeNetworksOverTheWindow(String norm, String positions, String activation) {
        Network gpt = trained(norm, positions, activation);
        int[] text = realText(CONTEXT);
        NextTokenModel cached = CachedDecoder.of((MultiLayerNetwork) gpt.model(), CONTEXT);
        NextTokenModel whole = new WindowedModel(gpt, CONTEXT, true);
        for (int t = 0; t < CONTEXT; t++) {
            assertSameDistribution(whole.read(text[t]), cached.read(text[t]), "after " + (t + 1) + " characters");
        }
    }

    @ParameterizedTest
    @CsvSource({"pre, learned, gelu", "post, sinusoidal, relu"})
    void afterTheCacheRestartsItReadsTheWindowItKept(String norm, String positions, String activation) {
        Network gpt = trained(norm, positions, activation);
        int[] text = realText(CONTEXT + 1);
        NextTokenModel cached = CachedDecoder.of((MultiLayerNetwork) gpt.model(), CONTEXT);
        cached.read(Arrays.copyOf(text, CONTEXT));
        double[] afterRestart = cached.read(text[CONTEXT]);
        // The cache kept the last CONTEXT / 2 tokens and read the new one after them.
        double[] expected = new WindowedModel(gpt, CONTEXT, true).read(Arrays.copyOfRange(text, CONTEXT / 2, CONTEXT + 1));
        assertSameDistribution(expected, afterRestart, "after the restart");
    }

    @ParameterizedTest
    @CsvSource({"pre, learned, gelu", "post, sinusoidal, relu"})
    void greedyTextIsTheSameWithAndWithoutTheCache(String norm, String positions, String activation) {
        Network gpt = trained(norm, positions, activation);
        MultiLayerNetwork net = (MultiLayerNetwork) gpt.model();
        String prompt = "ROMEO:";
        int length = CONTEXT - prompt.length();  // within the window, where both read the same tokens
        String cached = new TextGenerator(() -> CachedDecoder.of(net, CONTEXT), CHARACTERS).generate(prompt, length, 0, 1);
        String whole = new TextGenerator(() -> new WindowedModel(gpt, CONTEXT, true), CHARACTERS).generate(prompt, length, 0, 1);
        assertEquals(whole, cached);
        assertEquals(CONTEXT, cached.length());
    }

    @ParameterizedTest
    @CsvSource({"pre, learned, gelu"})
    void aSeedReproducesTheTextPastTheWindow(String norm, String positions, String activation) {
        MultiLayerNetwork net = (MultiLayerNetwork) trained(norm, positions, activation).model();
        Supplier<NextTokenModel> cache = () -> CachedDecoder.of(net, CONTEXT);
        TextGenerator generator = new TextGenerator(cache, CHARACTERS);
        String text = generator.generate("ROMEO:", 5 * CONTEXT, 0.8, 10, 7);
        assertEquals(6 + 5 * CONTEXT, text.length());
        assertEquals(text, generator.generate("ROMEO:", 5 * CONTEXT, 0.8, 10, 7));
        assertNotEquals(text, generator.generate("ROMEO:", 5 * CONTEXT, 0.8, 10, 8));
    }
}
