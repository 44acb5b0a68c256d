package dev.workbench.models.transformer;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.SupervisedObjective;
import dev.workbench.train.TrainingObjective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * A transformer encoder over token sequences, read into one vector for a classification or regression head:
 * token embedding (d_model) + learned positions, {@code layers} post-LN encoder blocks, mean over time, output.
 * Dropout, when on, follows the positional encoding and each block ({@link BlockStack}). With {@code padding_mask}, padding
 * is neither attended to nor averaged over ({@link PaddingMaskedNetwork}). With {@code pretrained_run}, the embedding,
 * positions and blocks start from a {@code bert-mlm} run's ({@link FineTuningObjective}).
 */
public final class TransformerEncoderFactory implements ModelFactory {
    @Override
    public String family() {
        return "transformer";
    }

    @Override
    public String architecture() {
        return "encoder";
    }

    @Override
    public String description() {
        return "transformer encoder (token + learned positional embedding, post-LN blocks, mean pooling): sequence classifier";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> specs = new ArrayList<>(BlockStack.hyperparameters(128, 4, 512, 2, 0.1));
        specs.add(HyperparameterSpec.flag("padding_mask", false, "keep padding (id 0) out of attention and the mean over "
                + "time (the ONNX export computes the same mask from the ids)"));
        specs.add(HyperparameterSpec.text("pretrained_run", "", "run folder of a finished bert-mlm job on the same "
                + "dataset and split: embedding, positions and blocks start from its weights (empty: from random ones)"));
        return specs;
    }

    @Override
    public TrainingObjective objective(DatasetInfo data) {
        return new TransformerObjective(data.task());
    }

    @Override
    public TrainingObjective objective(DatasetInfo data, Hyperparameters hyperparameters) {
        String run = hyperparameters.text("pretrained_run");
        return run.isBlank() ? objective(data) : new FineTuningObjective(objective(data), Path.of(run));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (!data.input().isTokens()) {
            return Optional.of("encoder reads token sequences (word or character ids); " + data.name() + " has input "
                    + data.input());
        }
        if (data.task() == Task.LANGUAGE_MODEL) {
            return Optional.of("encoder: a language model needs a causal decoder (architecture gpt); "
                    + data.name() + " is a language-model dataset");
        }
        return BlockStack.headsProblem(hp);
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        SequentialNetwork network = new SequentialNetwork(BlockStack.of(hp, "learned", false, false).network(context,
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), OutputHeads.forData(context.data())));
        return hp.flag("padding_mask") ? new PaddingMaskedNetwork(network) : network;
    }
}
