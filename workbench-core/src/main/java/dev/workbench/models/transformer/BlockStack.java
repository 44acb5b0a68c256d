package dev.workbench.models.transformer;

import dev.workbench.data.InputShape;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.transformer.TransformerEncoderBlock.FeedForwardActivation;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import dev.workbench.models.ModelContext;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * What the transformer family's architectures share: token embedding (d_model), positions, then {@code layers}
 * blocks, with DL4J dropout layers after the positions and after each block when dropout is on, and dropout on
 * attention probabilities and residual paths inside each block when those rates are on (all active only in training;
 * see {@link TransformerEncoderBlock}). An architecture adds its head.
 *
 * @param positions {@code learned} or {@code sinusoidal}
 */
record BlockStack(int dModel, int heads, int feedForward, int layers, FeedForwardActivation activation, double dropout,
                  String positions, boolean preNorm, boolean causal, double attentionDropout, double residualDropout) {
    static final List<String> POSITIONS = List.of("learned", "sinusoidal");

    /** The hyperparameters every architecture of the family takes, with its own defaults for width and depth. */
    static List<HyperparameterSpec> hyperparameters(int dModel, int heads, int feedForward, int layers, double dropout) {
        return List.of(
                HyperparameterSpec.integer("d_model", dModel, 2, 4096, "width of the token embedding and of every block"),
                HyperparameterSpec.integer("heads", heads, 1, 64, "attention heads per block (must divide d_model)"),
                HyperparameterSpec.integer("ff", feedForward, 1, 16384, "hidden width of each block's feed-forward network"),
                HyperparameterSpec.integer("layers", layers, 1, 24, "blocks"),
                HyperparameterSpec.choice("activation", "relu", List.of("relu", "gelu"), "feed-forward activation"),
                CommonHyperparameters.dropout(dropout),
                HyperparameterSpec.real("attention_dropout", 0.0, 0.0, 0.9,
                        "fraction of attention probabilities dropped in training, inside each block (0 = off)"),
                HyperparameterSpec.real("residual_dropout", 0.0, 0.0, 0.9,
                        "fraction of each sublayer's output dropped in training before its residual add (0 = off)"));
    }

    /** The stack a job's hyperparameters describe; {@code positions} and {@code norm} where the architecture has them. */
    static BlockStack of(Hyperparameters hp, String positions, boolean preNorm, boolean causal) {
        return new BlockStack(hp.integer("d_model"), hp.integer("heads"), hp.integer("ff"), hp.integer("layers"),
                FeedForwardActivation.valueOf(hp.choice("activation").toUpperCase()), hp.real("dropout"), positions,
                preNorm, causal, hp.real("attention_dropout"), hp.real("residual_dropout"));
    }

    /** Why heads cannot split d_model, or empty. */
    static Optional<String> headsProblem(Hyperparameters hp) {
        if (hp.integer("d_model") % hp.integer("heads") != 0) {
            return Optional.of("heads: " + hp.integer("heads") + " does not divide d_model " + hp.integer("d_model")
                    + " (each head reads d_model / heads features)");
        }
        return Optional.empty();
    }

    /**
     * The network of this stack followed by {@code head}, over {@code context}'s token sequences, initialised with
     * the job's seed.
     */
    MultiLayerNetwork network(ModelContext context, Layer... head) {
        return network(context, false, head);
    }

    /** As {@link #network(ModelContext, Layer...)}; with {@code tiedEmbedding} as {@link #addTo(NeuralNetConfiguration.ListBuilder, InputShape, boolean)}. */
    MultiLayerNetwork network(ModelContext context, boolean tiedEmbedding, Layer... head) {
        InputShape input = context.data().input();
        NeuralNetConfiguration.ListBuilder list = context.base().builder().weightInit(WeightInit.XAVIER).list();
        addTo(list, input, tiedEmbedding);
        for (Layer layer : head) {
            list.layer(layer);
        }
        list.setInputType(InputType.recurrent(input.channels(), input.length()));
        // Keep the embedding's nIn (the vocabulary): DL4J would otherwise overwrite it with the input's 1 channel.
        list.overrideNinUponBuild(false);
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Adds embedding, positions and blocks for token sequences of {@code input}'s length and vocabulary. */
    void addTo(NeuralNetConfiguration.ListBuilder list, InputShape input) {
        addTo(list, input, false);
    }

    /**
     * As {@link #addTo(NeuralNetConfiguration.ListBuilder, InputShape)}; with {@code tiedEmbedding} the token embedding
     * shares the weights of the network's softmax output head ({@link TiedTokenEmbedding}).
     */
    void addTo(NeuralNetConfiguration.ListBuilder list, InputShape input, boolean tiedEmbedding) {
        list.layer(tiedEmbedding ? new TiedTokenEmbedding(input.vocabulary(), dModel, input.length())
                : new EmbeddingSequenceLayer.Builder().nIn(input.vocabulary()).nOut(dModel)
                .inputLength(input.length()).build());
        list.layer(positions.equals("sinusoidal") ? new SinusoidalPositionalEncoding(input.length())
                : new LearnedPositionalEmbedding(input.length()));
        addDropout(list);
        for (int i = 0; i < layers; i++) {
            list.layer(new TransformerEncoderBlock(dModel, heads, feedForward, activation, causal).preNorm(preNorm)
                    .dropout(attentionDropout, residualDropout));
            addDropout(list);
        }
    }

    private void addDropout(NeuralNetConfiguration.ListBuilder list) {
        if (dropout > 0) {
            // DL4J takes the probability of keeping a unit; jobs give the fraction dropped.
            list.layer(new SequenceDropout(1.0 - dropout));
        }
    }
}
