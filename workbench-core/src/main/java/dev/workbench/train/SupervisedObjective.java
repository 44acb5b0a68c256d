package dev.workbench.train;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/** Learning the dataset's own labels: classes, numbers, or the next token of a sequence. */
public record SupervisedObjective(Task task) implements TrainingObjective {

    @Override
    public String name() {
        return task.name().toLowerCase();
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        if (labelled.info().task() != task) {
            throw new IllegalArgumentException("dataset " + labelled.info().name() + " is for "
                    + labelled.info().task().name().toLowerCase() + ", this objective is " + name());
        }
        return labelled;
    }

    @Override
    public List<String> metricNames() {
        return switch (task) {
            case CLASSIFICATION -> List.of("loss", "accuracy", "f1");
            case LANGUAGE_MODEL -> List.of("loss", "accuracy", "perplexity");
            case REGRESSION -> Evaluator.REGRESSION_METRICS;
        };
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        return Evaluator.evaluate(network, split, info);
    }
}
