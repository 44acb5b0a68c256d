package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** What the trainer needs of a network, whatever DL4J class holds it. */
public interface Network {
    /** One optimisation step on one minibatch. */
    void fit(DataSet batch);

    /** Loss of the last {@link #fit} minibatch, regularisation included. */
    double score();

    /**
     * Named measures of the last {@link #fit} beside its {@link #score} (a GAN's discriminator and generator losses
     * and mean discriminator outputs); the trainer records each one's epoch mean as {@code train_<name>}, over the
     * batches that reported it. None by default.
     */
    default Map<String, Double> scores() {
        return Map.of();
    }

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

    /**
     * This network over copies of each DL4J model it trains, made by {@code rewrite} (the CPU substitution step):
     * {@link #rebuilt} over its one {@link #model} by default. A network of several models overrides it, and says of
     * each whether something reads the gradient of its input (a GAN's generator learns through its discriminator's),
     * which a first layer may otherwise skip.
     */
    default Network rebuiltEach(ModelRewrite rewrite) {
        return rebuilt(rewrite.apply(model(), false));
    }

    /**
     * This network with every updater following the learning-rate curve of {@code base} (the job's schedule over
     * its epochs): a restored run trained on to more epochs takes the curve for the new total. A network whose
     * models take different numbers of updates a step overrides it.
     */
    default Network followingSchedule(BaseConfiguration base) {
        return JobSchedule.installed(this, base.learningRate());
    }

    /** How {@link #rebuiltEach} copies one DL4J model. */
    @FunctionalInterface
    interface ModelRewrite {
        Model apply(Model model, boolean inputGradientRead);
    }

    /** How a saved file holds this network, as its manifest records it ({@link ModelManifest#kind()}). */
    String kind();
}
