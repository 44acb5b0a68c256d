package dev.workbench.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's {@code search:} block: what {@code workbench tune} varies and how it judges. {@code workbench train} ignores
 * it and trains the job as written.
 *
 * @param strategy      how candidates are drawn: {@code random}, {@code grid} or {@code genetic} (Arbiter's generators)
 * @param candidates    how many candidates to train (a grid stops at its size)
 * @param budgetMinutes wall-clock budget of the whole search; none by default
 * @param metric        the validation metric that ranks candidates (best epoch's value); the job's early-stopping
 *                      metric, or {@code val_loss}, by default
 * @param direction     {@code max} or {@code min}; by default from the metric (loss and errors: min)
 * @param gridPoints    values per numeric hyperparameter in a grid
 * @param halving       optional: successive halving on top of the generator
 * @param space         job field path (as {@code --set} takes it) to the range it is drawn from
 */
public record SearchSpec(String strategy, Integer candidates, Double budgetMinutes, String metric, String direction,
                         Integer gridPoints, HalvingSpec halving, Map<String, ParameterRange> space) {
    public SearchSpec {
        strategy = strategy == null ? "random" : strategy;
        candidates = candidates == null ? 10 : candidates;
        gridPoints = gridPoints == null ? 3 : gridPoints;
        space = space == null ? Map.of() : new LinkedHashMap<>(space);
    }
}
