package dev.workbench.generate;

/**
 * A language model read one piece at a time, as text generation reads it: each call appends tokens to what it has
 * read and returns its distribution over the token that follows them all. One instance reads one text.
 */
public interface NextTokenModel {
    /**
     * Reads {@code tokens} (at least one) after those read before.
     *
     * @return the probability of each token id coming next
     */
    double[] read(int... tokens);
}
