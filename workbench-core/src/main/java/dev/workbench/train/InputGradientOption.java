package dev.workbench.train;

/**
 * A fast layer's setting of whether it computes the gradient with respect to its input. Off, it hands DL4J
 * {@code null} in its place, which DL4J accepts from a network's first layer only.
 */
public interface InputGradientOption {
    boolean isInputGradient();

    void setInputGradient(boolean inputGradient);

    /** A reshape in front of such a layer that hands a missing input gradient on as missing (DL4J's fail on it). */
    interface Passing {
    }
}
