package dev.workbench.generate;

import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.train.Network;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Samples text from a trained language model one token at a time: the model's distribution over the next token is
 * sharpened or flattened by the temperature (0: always the likeliest token), cut to the {@code topK} likeliest when
 * asked, and the next token is drawn from it with a seeded random source. The model is read as its objective offers
 * it ({@link NextTokenModel}): a window re-read per token, or a decoder's key/value cache.
 */
public final class TextGenerator {
    /**
     * The most characters one call generates: the model reads a window per character, so a mistyped length (an
     * extra zero or two) would otherwise run for hours.
     */
    public static final int MAX_LENGTH = 100_000;

    private final Supplier<NextTokenModel> models;
    private final Vocabulary vocabulary;

    /** A generator over {@code models}, a fresh reader per text. */
    public TextGenerator(Supplier<NextTokenModel> models, Vocabulary vocabulary) {
        this.models = models;
        this.vocabulary = vocabulary;
    }

    /** A generator that re-reads the last {@code context} tokens through {@code model} for every token. */
    public TextGenerator(Network model, Vocabulary vocabulary, int context) {
        this(() -> new WindowedModel(model, context, false), vocabulary);
    }

    /**
     * The prompt followed by {@code length} sampled tokens.
     *
     * @param temperature below 1 favours likely tokens, above 1 flattens the distribution, 0 takes the likeliest
     */
    public String generate(String prompt, int length, double temperature, long seed) {
        return generate(prompt, length, temperature, 0, seed);
    }

    /** As {@link #generate(String, int, double, long)}, drawing only among the {@code topK} likeliest (0: all). */
    public String generate(String prompt, int length, double temperature, int topK, long seed) {
        StringBuilder text = new StringBuilder();
        generate(prompt, length, temperature, topK, seed, text::append);
        return text.toString();
    }

    /** As {@link #generate(String, int, double, int, long, Consumer)} over all tokens. */
    public void generate(String prompt, int length, double temperature, long seed, Consumer<String> sink) {
        generate(prompt, length, temperature, 0, seed, sink);
    }

    /**
     * As {@link #generate(String, int, double, int, long)}, handing the text to {@code sink} as it grows: the prompt
     * once it is known to be readable, then each token as soon as it is drawn (the CLI prints them as they come).
     */
    public void generate(String prompt, int length, double temperature, int topK, long seed, Consumer<String> sink) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("--prompt: must not be empty (the model needs at least one token to read)");
        }
        checkLength(length);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature: must be >= 0 (0 takes the likeliest token), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("--top-k: must be >= 0 (0 keeps every token), got " + topK);
        }
        int[] ids = prompt.codePoints().map(c -> vocabulary.id(Character.toString(c))).toArray();
        sink.accept(prompt);
        NextTokenModel model = models.get();
        Random random = new Random(seed);
        double[] p = model.read(ids);
        for (int i = 0; i < length; i++) {
            int next = sample(topK > 0 ? topK(p, topK) : p, temperature, random);
            sink.accept(vocabulary.token(next));
            if (i + 1 < length) {
                p = model.read(next);
            }
        }
    }

    /** Refuses a length outside 1 to {@link #MAX_LENGTH}, before any model is loaded. */
    public static void checkLength(int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("--length: must be 1 to " + MAX_LENGTH + " characters, got " + length);
        }
    }

    /** {@code p} with all but its {@code k} largest entries set to 0 (the first of equal ones kept). */
    static double[] topK(double[] p, int k) {
        if (k >= p.length) {
            return p;
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));  // stable: equal ones keep index order
        double[] kept = new double[p.length];
        for (int i = 0; i < k; i++) {
            kept[order[i]] = p[order[i]];
        }
        return kept;
    }

    /**
     * Draws an index from {@code p} raised to {@code 1 / temperature} and renormalised; at temperature 0, the
     * likeliest index (the first of equal ones).
     */
    static int sample(double[] p, double temperature, Random random) {
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            return best;
        }
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
            if (u <= 0 && weights[i] > 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
