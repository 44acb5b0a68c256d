package dev.workbench.train;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.generate.NextTokenModel;
import dev.workbench.generate.WindowedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a model learns and how it is judged. A family chooses it ({@code ModelFactory.objective}); the one
 * trainer, checkpoint store, early stopping, run folder, report and CLI call it, so a family that learns
 * differently (reconstruction, a variational bound, two adversarial networks, nodes of a graph) changes this
 * object, not the loop.
 */
public interface TrainingObjective {
    /** Recorded in the model's manifest and summary.json: {@code classification}, {@code reconstruction}, ... */
    String name();

    /** The splits the model trains on, made from the dataset's labelled splits. */
    DataSplits prepare(DataSplits labelled);

    /** The metrics {@link #evaluate} reports; early stopping may monitor any of them as {@code val_<name>}. */
    List<String> metricNames();

    /** Scores {@code network} on one split of the prepared data ({@code info} is the prepared data's). */
    Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info);

    /**
     * One epoch's training batches, each drawn from {@code seed} and {@code epoch} only so that a resumed run sees
     * the same ones: shuffled minibatches by default; a graph trains on all its nodes at once.
     */
    default List<DataSet> epochBatches(DataSet train, int batchSize, long seed, int epoch) {
        return EpochBatches.shuffled(train, batchSize, seed, epoch);
    }

    /** How many steps one epoch of {@link #epochBatches} takes (the learning-rate schedule counts them). */
    default int batchesPerEpoch(int trainRows, int batchSize) {
        return (trainRows + batchSize - 1) / batchSize;
    }

    /**
     * The network this objective trains, from the one a factory built: itself by default; a graph network is
     * attached to its graph.
     */
    default Network network(Network built) {
        return built;
    }

    /** What an augmented training batch's labels become: kept, unless the targets are the inputs themselves. */
    default DataSet afterAugmentation(DataSet augmented) {
        return augmented;
    }

    /**
     * Test metrics beyond {@link #evaluate}'s (their names without the {@code test_} prefix).
     *
     * @param trainClasses the classes the job restricted training to, empty for all
     */
    default Map<String, Double> extraTestMetrics(Network model, DataSplits labelled, DataSplits prepared,
                                                List<Integer> trainClasses) {
        return Map.of();
    }

    /**
     * Plots this objective adds to a finished run (reconstructions, samples, latent spaces), written to
     * {@code folder} and shown in report.html.
     *
     * @param testClasses the true class of each test row, or null for data without classes
     */
    default List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        return List.of();
    }

    /**
     * Reads a model written by {@link ModelArchive#save}, with its training state, as the network this objective
     * trains. One DL4J network by default; an objective that trains several networks reads them all.
     */
    default Network load(Path file, ModelManifest manifest) throws IOException {
        return switch (manifest.kind()) {
            case SequentialNetwork.KIND -> SequentialNetwork.load(file);
            case PaddingMaskedNetwork.KIND -> PaddingMaskedNetwork.load(file);
            case GraphNetwork.KIND -> GraphNetwork.load(file);
            default -> throw new IOException(file + ": model kind '" + manifest.kind() + "' is not one network; "
                    + "objective " + name() + " cannot read it");
        };
    }

    /**
     * Called after every epoch once its checkpoint is written, with the state that records it: an objective may
     * write what it shows per epoch to {@code plots} (a GAN's sample grid) and report training health to
     * {@code warnings}. Nothing by default.
     */
    default void epochEnded(Network network, TrainingState state, Path plots, Consumer<String> warnings)
            throws IOException {
    }

    /**
     * How text generation reads {@code network}, a language model trained on windows of {@code context} tokens: by
     * default the whole network over the last {@code context} tokens for every token ({@link WindowedModel}).
     */
    default NextTokenModel nextTokenModel(Network network, int context) {
        return new WindowedModel(network, context, false);
    }

    /**
     * What ONNX export writes when it is not the trained network fed the dataset's preprocessed inputs (a GAN's
     * generator, fed noise), with {@code samples} rows to judge its parity on; empty, the default, for the network
     * itself judged on test rows.
     */
    default Optional<ExportedModel> exportedModel(Network network, int samples) {
        return Optional.empty();
    }

    /** Why this objective's model has no ONNX export, said to the user; empty, the default, when it has one. */
    default Optional<String> exportRefusal() {
        return Optional.empty();
    }
}
