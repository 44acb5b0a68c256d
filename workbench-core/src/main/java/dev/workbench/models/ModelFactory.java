package dev.workbench.models;

import dev.workbench.data.DatasetInfo;
import dev.workbench.train.Network;
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

    List<HyperParameter> hyperparameters();

    /** Why this architecture cannot take {@code data} with these hyperparameters, or empty when it can. */
    Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters);

    Network build(ModelContext context);

    /**
     * True for models that learn to reproduce their input (autoencoders): the workbench then trains them on
     * {@link dev.workbench.data.DataSplits#asReconstruction()} and scores reconstruction error.
     */
    default boolean reconstructsInput() {
        return false;
    }

    /**
     * Plots this kind of model adds to a finished run (reconstructions, samples, latent spaces), written to
     * {@code folder} and embedded in report.html.
     *
     * @param data        the splits the model trained on
     * @param testClasses the true class of each test row, or null for unlabelled data
     */
    default List<java.nio.file.Path> plots(Network model, dev.workbench.data.DataSplits data, int[] testClasses,
                                          java.nio.file.Path folder) throws java.io.IOException {
        return List.of();
    }
}
