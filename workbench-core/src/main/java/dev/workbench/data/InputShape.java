package dev.workbench.data;

/**
 * Shape of one example's features.
 * <ul>
 *   <li>tabular: {@code features} numbers ({@code channels == 0});</li>
 *   <li>image: stored flattened row-major, channels first, so {@code features == channels * height * width};</li>
 *   <li>sequence: {@code [channels, length]} per example (DL4J's NCW layout), numbers per time step;</li>
 *   <li>tokens: a sequence of {@code length} token ids ({@code channels == 1}) from a vocabulary of
 *       {@code vocabulary} ids, id 0 the padding token where the data pads.</li>
 * </ul>
 */
public record InputShape(int features, int channels, int height, int width, int length, int vocabulary) {
    public static InputShape tabular(int features) {
        return new InputShape(features, 0, 0, 0, 0, 0);
    }

    public static InputShape image(int channels, int height, int width) {
        return new InputShape(channels * height * width, channels, height, width, 0, 0);
    }

    public static InputShape sequence(int channels, int length) {
        return new InputShape(channels * length, channels, 0, 0, length, 0);
    }

    public static InputShape tokens(int length, int vocabulary) {
        return new InputShape(length, 1, 0, 0, length, vocabulary);
    }

    public boolean isImage() {
        return height > 0;
    }

    /** Sequences and token sequences: features arrive as {@code [batch, channels, length]}. */
    public boolean isSequence() {
        return length > 0;
    }

    public boolean isTokens() {
        return vocabulary > 0;
    }

    /** The same kind of input with another number of time steps (sequences only). */
    public InputShape withLength(int steps) {
        if (!isSequence()) {
            throw new IllegalStateException("not a sequence: " + this);
        }
        return isTokens() ? tokens(steps, vocabulary) : sequence(channels, steps);
    }

    /** The same token sequences over another vocabulary size (vocabularies built from the training split). */
    public InputShape withVocabulary(int size) {
        return tokens(length, size);
    }

    @Override
    public String toString() {
        if (isImage()) {
            return channels + "x" + height + "x" + width;
        }
        if (isTokens()) {
            return length + " tokens (vocabulary " + vocabulary + ")";
        }
        return isSequence() ? channels + "x" + length + " steps" : Integer.toString(features);
    }
}
