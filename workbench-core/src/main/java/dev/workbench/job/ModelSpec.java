package dev.workbench.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model side of a job: a family, an architecture of that family and its hyperparameters
 * (validated against the architecture's declared hyperparameters; absent ones take their defaults). The
 * hyperparameters keep the job file's order, so every run's job.yaml lists them as the user wrote them.
 */
public record ModelSpec(String family, String architecture, Map<String, Object> hyperparameters) {
    public ModelSpec {
        // Map.copyOf would iterate in an order that changes from one JVM to the next (and refuses a null value).
        hyperparameters = hyperparameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }
}
