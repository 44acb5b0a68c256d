package dev.workbench.predict;

import java.util.Map;

/**
 * One model answer. Classification: the most probable label, its probability and every class's
 * probability. Regression: {@code label} is null and {@code scores} holds each target's value.
 */
public record Prediction(String label, double probability, Map<String, Double> scores) {
}
