package dev.workbench.tune;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;

/**
 * An integer drawn on a log scale (layer widths, batch sizes): Arbiter's integer space draws uniformly only, so this
 * rounds one of its continuous spaces.
 */
final class RoundedSpace implements ParameterSpace<Integer> {
    private final ContinuousParameterSpace continuous;

    RoundedSpace(ContinuousParameterSpace continuous) {
        this.continuous = continuous;
    }

    @Override
    public Integer getValue(double[] point) {
        return (int) Math.round(continuous.getValue(point));
    }

    @Override
    public int numParameters() {
        return 1;
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        return List.of(this);
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return true;
    }

    @Override
    public void setIndices(int... indices) {
        continuous.setIndices(indices);
    }
}
