package dev.workbench.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate at each iteration: optional linear warm-up, then constant, step decay or cosine decay.
 * DL4J stores it in the network configuration (hence the shaded Jackson annotations) and calls it with
 * the network's own iteration count, so a resumed run continues on the same curve.
 */
public final class LearningRateCurve implements ISchedule {
    public enum Shape { CONSTANT, STEP, COSINE }

    @JsonProperty private final Shape shape;
    @JsonProperty private final double baseLr;
    @JsonProperty private final int warmupIterations;
    @JsonProperty private final int totalIterations;
    @JsonProperty private final int stepIterations;
    @JsonProperty private final double gamma;
    @JsonProperty private final double minLr;

    @JsonCreator
    public LearningRateCurve(@JsonProperty("shape") Shape shape, @JsonProperty("baseLr") double baseLr,
                             @JsonProperty("warmupIterations") int warmupIterations,
                             @JsonProperty("totalIterations") int totalIterations,
                             @JsonProperty("stepIterations") int stepIterations,
                             @JsonProperty("gamma") double gamma, @JsonProperty("minLr") double minLr) {
        this.shape = shape;
        this.baseLr = baseLr;
        this.warmupIterations = warmupIterations;
        this.totalIterations = totalIterations;
        this.stepIterations = Math.max(1, stepIterations);
        this.gamma = gamma;
        this.minLr = minLr;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupIterations) {
            return baseLr * (iteration + 1) / warmupIterations;
        }
        return switch (shape) {
            case CONSTANT -> baseLr;
            case STEP -> baseLr * Math.pow(gamma, Math.floorDiv(iteration, stepIterations));
            case COSINE -> {
                double span = Math.max(1, totalIterations - warmupIterations);
                double progress = Math.min(1.0, (iteration - warmupIterations) / span);
                yield minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
            }
        };
    }

    // Value equality matters: DL4J groups parameters whose updater configurations are equal into one
    // updater block, and a restored network must form the same blocks as the one that was saved.
    @Override
    public boolean equals(Object other) {
        return other instanceof LearningRateCurve c && shape == c.shape && baseLr == c.baseLr
                && warmupIterations == c.warmupIterations && totalIterations == c.totalIterations
                && stepIterations == c.stepIterations && gamma == c.gamma && minLr == c.minLr;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(shape, baseLr, warmupIterations, totalIterations, stepIterations, gamma, minLr);
    }

    @Override
    public ISchedule clone() {
        return new LearningRateCurve(shape, baseLr, warmupIterations, totalIterations, stepIterations, gamma, minLr);
    }
}
