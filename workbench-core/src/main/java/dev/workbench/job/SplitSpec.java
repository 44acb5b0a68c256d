package dev.workbench.job;

/**
 * Fractions of the labelled data held out for validation and test; the rest trains.
 *
 * @param seed the seed of the split (and of a vocabulary built from the training split); the job's seed when absent.
 *             Runs that must see one split under several seeds set it (fine-tuning a pre-trained encoder)
 */
public record SplitSpec(Double validation, Double test, Long seed) {
    public SplitSpec {
        validation = validation == null ? 0.15 : validation;
        test = test == null ? 0.2 : test;
    }

    public SplitSpec(Double validation, Double test) {
        this(validation, test, null);
    }

    /** The split's seed: its own, else {@code jobSeed}. */
    public long seedOr(long jobSeed) {
        return seed == null ? jobSeed : seed;
    }
}
