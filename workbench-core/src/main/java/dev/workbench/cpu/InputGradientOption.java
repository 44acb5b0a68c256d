package dev.workbench.cpu;

/**
 * A fast layer's setting of whether it computes the gradient with respect to its input. Off, it hands DL4J
 * {@code null} in its place, which DL4J accepts from a network's first layer only.
 */
public interface InputGradientOption {
    boolean isInputGradient();

    void setInputGradient(boolean inputGradient);
}
