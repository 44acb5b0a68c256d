package dev.workbench.models.transformer;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.models.transformer.TransformerEncoderBlock.FeedForwardActivation;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * A transformer encoder over token sequences, read into one vector for a classification or regression head:
 * token embedding (d_model) + learned positions, {@code layers} post-LN encoder blocks, mean over time, output.
 * Dropout, when on, follows the positional encoding and each block (DL4J dropout layers, active only in
 * training; see {@link TransformerEncoderBlock} for why not inside the block). With {@code padding_mask}, padding
 * is neither attended to nor averaged over ({@link PaddingMaskedNetwork}).
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
        return List.of(
                HyperparameterSpec.integer("d_model", 128, 2, 4096, "width of the token embedding and of every block"),
                HyperparameterSpec.integer("heads", 4, 1, 64, "attention heads per block (must divide d_model)"),
                HyperparameterSpec.integer("ff", 512, 1, 16384, "hidden width of each block's feed-forward network"),
                HyperparameterSpec.integer("layers", 2, 1, 24, "encoder blocks"),
                HyperparameterSpec.choice("activation", "relu", List.of("relu", "gelu"), "feed-forward activation"),
                HyperparameterSpec.flag("padding_mask", false, "keep padding (id 0) out of attention and the mean over "
                        + "time; off by default because the ONNX export has no mask yet"),
                CommonHyperparameters.dropout(0.1));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (!data.input().isTokens()) {
            return Optional.of("encoder reads token sequences (word or character ids); " + data.name() + " has input "
                    + data.input());
        }
        if (data.task() == Task.LANGUAGE_MODEL) {
            return Optional.of("encoder: language models are not supported yet (they need a causal decoder); "
                    + data.name() + " is a language-model dataset");
        }
        if (hp.integer("d_model") % hp.integer("heads") != 0) {
            return Optional.of("heads: " + hp.integer("heads") + " does not divide d_model " + hp.integer("d_model")
                    + " (each head reads d_model / heads features)");
        }
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        InputShape input = context.data().input();
        int dModel = hp.integer("d_model");
        FeedForwardActivation activation = FeedForwardActivation.valueOf(hp.choice("activation").toUpperCase());
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.XAVIER).list();
        layers.layer(new EmbeddingSequenceLayer.Builder().nIn(input.vocabulary()).nOut(dModel)
                .inputLength(input.length()).build());
        layers.layer(new LearnedPositionalEmbedding(input.length()));
        addDropout(layers, hp);
        for (int i = 0; i < hp.integer("layers"); i++) {
            layers.layer(new TransformerEncoderBlock(dModel, hp.integer("heads"), hp.integer("ff"), activation));
            addDropout(layers, hp);
        }
        layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        layers.layer(OutputHeads.forData(context.data()));
        layers.setInputType(InputType.recurrent(input.channels(), input.length()));
        // Keep the embedding's nIn (the vocabulary): DL4J would otherwise overwrite it with the input's 1 channel.
        layers.overrideNinUponBuild(false);
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        SequentialNetwork network = new SequentialNetwork(net);
        return hp.flag("padding_mask") ? new PaddingMaskedNetwork(network) : network;
    }

    private static void addDropout(NeuralNetConfiguration.ListBuilder layers, Hyperparameters hp) {
        if (hp.real("dropout") > 0) {
            // DL4J takes the probability of keeping a unit; jobs give the fraction dropped.
            layers.layer(new DropoutLayer.Builder(1.0 - hp.real("dropout")).build());
        }
    }
}
