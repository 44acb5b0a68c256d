package dev.workbench.models;

import dev.workbench.data.DatasetInfo;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.Network;
import dev.workbench.train.SupervisedObjective;
import dev.workbench.train.TrainingObjective;
import java.util.List;
import java.util.Optional;

/**
 * One architecture of one family: turns resolved hyperparameters and the data's shape into an
 * initialised DL4J network. It owns no training loop, data reader or report: those exist once.
 */
public interface ModelFactory {
    String family();

    String architecture();

    String description();

    List<HyperparameterSpec> hyperparameters();

    /** Why this architecture cannot take {@code data} with these hyperparameters, or empty when it can. */
    Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters);

    Network build(ModelContext context);

    /** Whether this architecture reads a graph (a dataset whose rows are nodes joined by edges) rather than rows. */
    default boolean takesGraph() {
        return false;
    }

    /**
     * What this architecture learns from {@code data} and how it is judged, saved and loaded: by default the
     * dataset's own labels (classification, regression, next-token language modelling).
     */
    default TrainingObjective objective(DatasetInfo data) {
        return new SupervisedObjective(data.task());
    }

    /** Saves and loads this architecture's models trained on {@code data}. */
    default ModelArchive archive(DatasetInfo data) {
        return new ModelArchive(family(), architecture(), objective(data));
    }
}
