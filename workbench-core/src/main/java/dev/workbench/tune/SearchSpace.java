package dev.workbench.tune;

import dev.workbench.job.ParameterRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * A job's {@code search.space} as one Arbiter parameter space: Arbiter's generators place a point in [0, 1]^n and
 * this space turns it into the candidate's values, one per job field path. Each leaf is one of Arbiter's own spaces.
 */
final class SearchSpace implements ParameterSpace<Map<String, Object>> {
    static final List<String> TYPES = List.of("float", "int", "choice");
    static final List<String> SCALES = List.of("linear", "log");

    private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();

    /** Ranges must have passed {@link SearchValidator}. */
    SearchSpace(Map<String, ParameterRange> ranges) {
        ranges.forEach((path, range) -> leaves.put(path, leaf(range)));
    }

    private static ParameterSpace<?> leaf(ParameterRange range) {
        boolean log = range.scale().equals("log");
        return switch (range.type()) {
            // Arbiter beta7's grid generator indexes past a one-value DiscreteParameterSpace; a fixed value it handles.
            case "choice" -> range.values().size() == 1 ? new FixedValue<>(range.values().get(0))
                    : new DiscreteParameterSpace<>(range.values());
            case "int" -> log ? new RoundedSpace(new ContinuousParameterSpace(
                    new LogUniformDistribution(range.min(), range.max())))
                    : new IntegerParameterSpace((int) Math.round(range.min()), (int) Math.round(range.max()));
            default -> log ? new ContinuousParameterSpace(new LogUniformDistribution(range.min(), range.max()))
                    : new ContinuousParameterSpace(range.min(), range.max());
        };
    }

    @Override
    public Map<String, Object> getValue(double[] point) {
        Map<String, Object> values = new LinkedHashMap<>();
        leaves.forEach((path, leaf) -> values.put(path, leaf.getValue(point)));
        return values;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        return new ArrayList<>(leaves.values());
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(leaves);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("not a leaf: Arbiter sets the indices of each leaf");
    }
}
