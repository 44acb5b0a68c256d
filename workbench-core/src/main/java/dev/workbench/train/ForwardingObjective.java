package dev.workbench.train;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An objective that learns and is judged as another one does ({@code objective}) and differs in one of the other
 * methods it overrides: how text is generated from it, how its network starts.
 */
public abstract class ForwardingObjective implements TrainingObjective {
    private final TrainingObjective objective;

    protected ForwardingObjective(TrainingObjective objective) {
        this.objective = objective;
    }

    @Override
    public String name() {
        return objective.name();
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        return objective.prepare(labelled);
    }

    @Override
    public List<String> metricNames() {
        return objective.metricNames();
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        return objective.evaluate(network, split, info);
    }

    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        return objective.plots(model, prepared, testClasses, folder);
    }
}
