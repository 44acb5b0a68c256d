package dev.workbench.generate;

import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.train.Network;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Samples text from a trained language model one token at a time: the model reads the last {@code context}
 * tokens (the window length it was trained on), the distribution at the last step is sharpened or flattened
 * by the temperature, and the next token is drawn from it with a seeded random source.
 */
public final class TextGenerator {
    /**
     * The most characters one call generates: the model reads a window per character, so a mistyped length (an
     * extra zero or two) would otherwise run for hours.
     */
    public static final int MAX_LENGTH = 100_000;

    private final Network model;
    private final Vocabulary vocabulary;
    private final int context;

    public TextGenerator(Network model, Vocabulary vocabulary, int context) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.context = context;
    }

    /**
     * The prompt followed by {@code length} sampled tokens.
     *
     * @param temperature below 1 favours likely tokens, above 1 flattens the distribution; must be > 0
     */
    public String generate(String prompt, int length, double temperature, long seed) {
        StringBuilder text = new StringBuilder();
        generate(prompt, length, temperature, seed, text::append);
        return text.toString();
    }

    /**
     * As {@link #generate(String, int, double, long)}, handing the text to {@code sink} as it grows: the prompt once
     * it is known to be readable, then each token as soon as it is drawn (the CLI prints them as they come).
     */
    public void generate(String prompt, int length, double temperature, long seed, Consumer<String> sink) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("--prompt: must not be empty (the model needs at least one token to read)");
        }
        checkLength(length);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature: must be > 0, got " + temperature);
        }
        int[] ids = new int[prompt.codePointCount(0, prompt.length()) + length];
        int n = 0;
        for (int c : prompt.codePoints().toArray()) {
            ids[n++] = vocabulary.id(Character.toString(c));
        }
        sink.accept(prompt);
        Random random = new Random(seed);
        for (int i = 0; i < length; i++) {
            int next = sample(nextTokenProbabilities(ids, n), temperature, random);
            ids[n++] = next;
            sink.accept(vocabulary.token(next));
        }
    }

    /** Refuses a length outside 1 to {@link #MAX_LENGTH}, before any model is loaded. */
    public static void checkLength(int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("--length: must be 1 to " + MAX_LENGTH + " characters, got " + length);
        }
    }

    /** The model's distribution over the token after {@code ids[0, n)}, reading at most {@code context} of them. */
    double[] nextTokenProbabilities(int[] ids, int n) {
        int window = Math.min(n, context);
        INDArray input = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, window);
        for (int t = 0; t < window; t++) {
            input.putScalar(0, 0, t, ids[n - window + t]);
        }
        INDArray output = model.output(input);  // [1, vocabulary, window]
        return output.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(window - 1)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
    }

    /** Draws an index from {@code p} raised to {@code 1 / temperature} and renormalised. */
    static int sample(double[] p, double temperature, Random random) {
        double[] weights = new double[p.length];
        double max = 0;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, p[i]);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            // Relative to the largest probability, so a low temperature cannot underflow every weight to 0.
            weights[i] = Math.pow(p[i] / max, 1.0 / temperature);
            sum += weights[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
