package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** What the trainer needs of a network, whatever DL4J class holds it. */
public interface Network {
    /** One optimisation step on one minibatch. */
    void fit(DataSet batch);

    /** Loss of the last {@link #fit} minibatch, regularisation included. */
    double score();

    /** Predictions in inference mode (dropout off, batch-norm running statistics). */
    INDArray output(INDArray features);

    /** Epochs completed, as stored in the network so that schedules and resume agree. */
    int epochCount();

    void incrementEpochCount();

    /** Writes the network with its updater state, so training can resume from the file. */
    void save(Path file) throws IOException;

    long parameterCount();

    /** The current learning rate of the first layer that has one (what the schedule gives now). */
    double learningRate();

    Model model();

    /**
     * This network over {@code model}, a copy of its DL4J model with other layer classes and the same parameters
     * and state (the CPU substitution step's result).
     */
    Network rebuilt(Model model);

    /** How a saved file holds this network, as its manifest records it ({@link ModelManifest#kind()}). */
    String kind();
}
