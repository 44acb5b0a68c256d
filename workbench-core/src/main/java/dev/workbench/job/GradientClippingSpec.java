package dev.workbench.job;

/**
 * @param type      {@code norm} (clip each layer's gradient L2 norm) or {@code value} (clip each element)
 * @param threshold the norm or absolute value limit
 */
public record GradientClippingSpec(String type, Double threshold) {
    public GradientClippingSpec {
        type = type == null ? "norm" : type;
        threshold = threshold == null ? 1.0 : threshold;
    }
}
