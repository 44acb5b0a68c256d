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

    /**
     * Why this architecture cannot take {@code data} with these hyperparameters, or empty when it can. A reason that
     * starts {@code hyperparameters.NAME: } is reported at that field of the job file.
     */
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

    /**
     * The objective of a job that sets {@code hyperparameters}: {@link #objective(DatasetInfo)} unless an option
     * changes how the architecture trains (GraphSAGE's sampled minibatches). It judges, saves and loads as that one.
     */
    default TrainingObjective objective(DatasetInfo data, Hyperparameters hyperparameters) {
        return objective(data);
    }

    /** Saves and loads this architecture's models trained on {@code data}. */
    default ModelArchive archive(DatasetInfo data) {
        return new ModelArchive(family(), architecture(), objective(data));
    }

    /** Saves, loads and trains this architecture's models on {@code data} with {@code hyperparameters}. */
    default ModelArchive archive(DatasetInfo data, Hyperparameters hyperparameters) {
        return new ModelArchive(family(), architecture(), objective(data, hyperparameters));
    }
}
