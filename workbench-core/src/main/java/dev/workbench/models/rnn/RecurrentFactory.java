package dev.workbench.models.rnn;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.models.transformer.SequenceDropout;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What every recurrent architecture shares; a subclass only supplies its cell. Token inputs go through an
 * embedding first; recurrent layers stack; the head depends on the task: a softmax at every step for language
 * models, otherwise the sequence is read into one vector (max or mean over time, or the last step) for the
 * classification or regression head. With {@code padding_mask}, token padding is no step and is not pooled over
 * ({@link PaddingMaskedNetwork}).
 */
abstract class RecurrentFactory implements ModelFactory {
    static final List<String> POOLING = List.of("max", "mean", "last");

    /**
     * A recurrent layer of {@code units} outputs reading forward in time or, when {@code bidirectional}, both ways
     * with the two directions' outputs concatenated (2 × units wide); with {@code paddingMask}, one whose masked
     * steps carry the state unchanged.
     */
    abstract Layer cell(int units, boolean bidirectional, boolean paddingMask);

    @Override
    public final String family() {
        return "rnn";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("hidden", List.of(256), 1, 8192, "units of each recurrent layer, input side first"),
                HyperparameterSpec.integer("embedding", 64, 1, 4096, "width of the token embedding (token inputs only)"),
                HyperparameterSpec.flag("bidirectional", false, "read the sequence both ways (not for language models)"),
                HyperparameterSpec.choice("pooling", "max", POOLING,
                        "how a classification or regression head reads the sequence: max or mean over time, or the last step"),
                CommonHyperparameters.dropout(0.0),
                HyperparameterSpec.flag("padding_mask", false, "token classifiers: padding (id 0) is no step of the "
                        + "recurrent layers (they carry their state through it) and is not pooled over; the ONNX export "
                        + "computes the same mask from the ids"));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (!data.input().isSequence()) {
            return Optional.of(architecture() + " reads sequences; " + data.name() + " has input " + data.input());
        }
        if (data.task() == Task.LANGUAGE_MODEL && hp.flag("bidirectional")) {
            return Optional.of("bidirectional: a language model predicts each token from the ones before it, "
                    + "so it must not read the sequence backwards");
        }
        if (hp.flag("padding_mask") && (!data.input().isTokens() || data.task() == Task.LANGUAGE_MODEL)) {
            return Optional.of("padding_mask: only for token sequences read into one vector (a classifier or regressor); "
                    + data.name() + " has input " + data.input() + " for " + data.task().name().toLowerCase()
                    + " and no padding id");
        }
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        DatasetInfo data = context.data();
        InputShape input = data.input();
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.XAVIER).list();
        if (input.isTokens()) {
            layers.layer(new EmbeddingSequenceLayer.Builder().nIn(input.vocabulary()).nOut(hp.integer("embedding"))
                    .inputLength(input.length()).build());
        }
        List<Integer> hidden = hp.integers("hidden");
        boolean sequenceHead = data.task() != Task.LANGUAGE_MODEL;
        String pooling = hp.choice("pooling");
        for (int i = 0; i < hidden.size(); i++) {
            layers.layer(cell(hidden.get(i), hp.flag("bidirectional"), hp.flag("padding_mask")));
            if (hp.real("dropout") > 0) {
                // DL4J takes the probability of keeping a unit; jobs give the fraction dropped. DL4J's own dropout
                // layer cannot take a sequence's padding mask; SequenceDropout drops alike and passes the mask on.
                double retain = 1.0 - hp.real("dropout");
                layers.layer(hp.flag("padding_mask") ? new SequenceDropout(retain) : new DropoutLayer.Builder(retain).build());
            }
        }
        if (!sequenceHead) {
            layers.layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nOut(data.labels().size()).build());
        } else {
            // One way to take the last step for every cell: DL4J's LastTimeStep wrapper only knows its own layers.
            layers.layer(pooling.equals("last") ? new LastStep()
                    : new GlobalPoolingLayer.Builder(pooling.equals("max") ? PoolingType.MAX : PoolingType.AVG).build());
            layers.layer(OutputHeads.forData(data));
        }
        layers.setInputType(InputType.recurrent(input.channels(), input.length()));
        // Keep the embedding's nIn (the vocabulary): DL4J would otherwise overwrite it with the input's 1 channel.
        layers.overrideNinUponBuild(false);
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        SequentialNetwork network = new SequentialNetwork(net);
        // A masked step carries the cell's state unchanged (MaskedRecurrence) and pooling skips it: each real step sees exactly the
        // unpadded sentence, both ways in a bidirectional layer.
        return hp.flag("padding_mask") ? new PaddingMaskedNetwork(network) : network;
    }
}
