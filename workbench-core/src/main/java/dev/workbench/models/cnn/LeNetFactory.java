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
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * LeNet-5 as usually trained today: conv(k x k, c1) -> max-pool 2 -> conv(k x k, c2) -> max-pool 2 ->
 * dense -> head, with ReLU. Defaults are the W2 reference workload (20 and 50 filters, 5x5, dense 500).
 */
public final class LeNetFactory implements ModelFactory {
    @Override
    public String family() {
        return "cnn";
    }

    @Override
    public String architecture() {
        return "lenet5";
    }

    @Override
    public String description() {
        return "LeNet-5: two conv + max-pool stages, a dense layer, the head (images)";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integer("conv1_filters", 20, 1, 1024, "filters of the first convolution"),
                HyperparameterSpec.integer("conv2_filters", 50, 1, 1024, "filters of the second convolution"),
                HyperparameterSpec.integer("kernel_size", 5, 1, 11, "square kernel of both convolutions"),
                HyperparameterSpec.choice("padding", "valid", List.of("valid", "same"), "convolution padding"),
                HyperparameterSpec.integer("dense", 500, 1, 65_536, "units of the dense layer"),
                CommonHyperparameters.activation("relu"),
                CommonHyperparameters.dropout(0.0));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        InputShape input = data.input();
        if (!input.isImage()) {
            return Optional.of("needs image input; dataset " + data.name() + " is tabular (" + input + " features)");
        }
        int side = Math.min(input.height(), input.width());
        int k = hp.integer("kernel_size");
        int after = "same".equals(hp.choice("padding")) ? side / 4 : ((side - k + 1) / 2 - k + 1) / 2;
        if (after < 1) {
            return Optional.of("input " + input + " is too small for two " + k + "x" + k + " '"
                    + hp.choice("padding") + "' convolutions with pooling; use padding: same or a smaller kernel_size");
        }
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        InputShape input = context.data().input();
        int k = hp.integer("kernel_size");
        ConvolutionMode mode = "same".equals(hp.choice("padding")) ? ConvolutionMode.Same : ConvolutionMode.Truncate;
        NeuralNetConfiguration.ListBuilder layers = context.base().builder()
                .weightInit(WeightInit.RELU)
                .convolutionMode(mode)
                .list()
                .layer(new ConvolutionLayer.Builder(k, k).nOut(hp.integer("conv1_filters"))
                        .activation(CommonHyperparameters.activation(hp)).build())
                .layer(ConvBlocks.maxPool2x2())
                .layer(new ConvolutionLayer.Builder(k, k).nOut(hp.integer("conv2_filters"))
                        .activation(CommonHyperparameters.activation(hp)).build())
                .layer(ConvBlocks.maxPool2x2())
                .layer(CommonHyperparameters.hiddenDense(hp.integer("dense"), hp))
                .layer(OutputHeads.forData(context.data()))
                .setInputType(InputType.convolutionalFlat(input.height(), input.width(), input.channels()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }
}
