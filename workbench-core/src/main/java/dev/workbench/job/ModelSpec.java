package dev.workbench.job;

import java.util.Map;

/**
 * The model side of a job: a family, an architecture of that family and its hyperparameters
 * (validated against the architecture's declared hyperparameters; absent ones take their defaults).
 */
public record ModelSpec(String family, String architecture, Map<String, Object> hyperparameters) {
    public ModelSpec {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
}
