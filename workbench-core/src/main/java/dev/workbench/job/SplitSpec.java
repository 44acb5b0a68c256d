package dev.workbench.job;

/** Fractions of the labelled data held out for validation and test; the rest trains. */
public record SplitSpec(Double validation, Double test) {
    public SplitSpec {
        validation = validation == null ? 0.15 : validation;
        test = test == null ? 0.2 : test;
    }
}
