package dev.workbench.models.cnn;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * VGG-style stack: per stage two 3x3 convolutions (each followed by batch norm and the activation), a 2x2
 * max-pool and dropout; then a dense layer and the head.
 */
public final class VggFactory implements ModelFactory {
    @Override
    public String family() {
        return "cnn";
    }

    @Override
    public String architecture() {
        return "vgg";
    }

    @Override
    public String description() {
        return "VGG-style: stages of conv-BN-act x2 + max-pool + dropout, dense layer, head (images)";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("widths", List.of(32, 64), 1, 1024, "filters of each stage; each stage halves the image"),
                HyperparameterSpec.integer("dense", 128, 1, 65_536, "units of the dense layer"),
                CommonHyperparameters.activation("relu"),
                CommonHyperparameters.dropout(0.25));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        InputShape input = data.input();
        if (!input.isImage()) {
            return Optional.of("needs image input; dataset " + data.name() + " is tabular (" + input + " features)");
        }
        int stages = hp.integers("widths").size();
        if (Math.min(input.height(), input.width()) >> stages < 1) {
            return Optional.of("input " + input + " is too small for " + stages + " pooling stages; use fewer widths");
        }
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        Activation activation = CommonHyperparameters.activation(hp);
        InputShape input = context.data().input();
        NeuralNetConfiguration.ListBuilder layers = context.base().builder()
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).list();
        for (int filters : hp.integers("widths")) {
            for (int i = 0; i < 2; i++) {
                layers.layer(ConvBlocks.conv(3, filters, 1))
                        .layer(ConvBlocks.batchNorm())
                        .layer(ConvBlocks.activation(activation));
            }
            layers.layer(ConvBlocks.maxPool2x2());
            if (hp.real("dropout") > 0) {
                layers.layer(new DropoutLayer.Builder(1.0 - hp.real("dropout")).build());
            }
        }
        layers.layer(CommonHyperparameters.hiddenDense(hp.integer("dense"), hp))
                .layer(OutputHeads.forData(context.data()))
                .setInputType(InputType.convolutionalFlat(input.height(), input.width(), input.channels()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }
}
