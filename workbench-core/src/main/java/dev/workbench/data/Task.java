package dev.workbench.data;

/**
 * What the labels are: classes to predict, numbers to regress, or (language modelling) the next token at every
 * time step, a class per step over the vocabulary.
 */
public enum Task {
    CLASSIFICATION, REGRESSION, LANGUAGE_MODEL;

    /** Whether the network outputs class probabilities (softmax, cross-entropy). */
    public boolean isCategorical() {
        return this != REGRESSION;
    }
}
