package dev.workbench.models.cnn;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.train.GraphNetwork;
import dev.workbench.train.Network;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet for small images (He et al. 2016, CIFAR variant): a 3x3 stem, three stages of residual blocks
 * (conv-BN-ReLU-conv-BN + shortcut, then ReLU), global average pooling and the head. The first block of a
 * stage that changes width or resolution uses a 1x1 projection shortcut, the others an identity. Depth is
 * {@code 6 * blocks_per_stage + 2}: ResNet-8, -14, -20 for 1, 2, 3.
 */
public final class ResNetFactory implements ModelFactory {
    @Override
    public String family() {
        return "cnn";
    }

    @Override
    public String architecture() {
        return "resnet";
    }

    @Override
    public String description() {
        return "ResNet (6n+2 layers): residual blocks with identity/projection shortcuts, BN, global pooling (images)";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integer("blocks_per_stage", 1, 1, 18, "residual blocks per stage: depth = 6n + 2"),
                HyperparameterSpec.integers("widths", List.of(16, 32, 64), 1, 1024, "filters of each stage; stages after the first halve the image"));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (!data.input().isImage()) {
            return Optional.of("needs image input; dataset " + data.name() + " is tabular (" + data.input() + " features)");
        }
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        InputShape input = context.data().input();
        List<Integer> widths = hp.integers("widths");
        ComputationGraphConfiguration.GraphBuilder graph = context.base().builder()
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutionalFlat(input.height(), input.width(), input.channels()))
                .addLayer("stem_conv", ConvBlocks.conv(3, widths.get(0), 1), "input")
                .addLayer("stem_bn", ConvBlocks.batchNorm(), "stem_conv")
                .addLayer("stem_relu", ConvBlocks.activation(Activation.RELU), "stem_bn");
        String previous = "stem_relu";
        int channels = widths.get(0);
        for (int stage = 0; stage < widths.size(); stage++) {
            for (int block = 0; block < hp.integer("blocks_per_stage"); block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = residualBlock(graph, "s" + stage + "b" + block, previous, channels, widths.get(stage), stride);
                channels = widths.get(stage);
            }
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("output", OutputHeads.forData(context.data()), "pool")
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return new GraphNetwork(net);
    }

    /** Adds one block; returns the name of its output vertex. */
    private static String residualBlock(ComputationGraphConfiguration.GraphBuilder graph, String name, String input,
                                        int inChannels, int filters, int stride) {
        graph.addLayer(name + "_conv1", ConvBlocks.conv(3, filters, stride), input)
                .addLayer(name + "_bn1", ConvBlocks.batchNorm(), name + "_conv1")
                .addLayer(name + "_relu1", ConvBlocks.activation(Activation.RELU), name + "_bn1")
                .addLayer(name + "_conv2", ConvBlocks.conv(3, filters, 1), name + "_relu1")
                .addLayer(name + "_bn2", ConvBlocks.batchNorm(), name + "_conv2");
        String shortcut = input;
        if (stride != 1 || inChannels != filters) {
            graph.addLayer(name + "_proj", ConvBlocks.conv(1, filters, stride), input)
                    .addLayer(name + "_proj_bn", ConvBlocks.batchNorm(), name + "_proj");
            shortcut = name + "_proj_bn";
        }
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut)
                .addLayer(name + "_out", ConvBlocks.activation(Activation.RELU), name + "_add");
        return name + "_out";
    }
}
