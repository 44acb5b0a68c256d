package dev.workbench.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.conv.CachedConvolution;
import dev.workbench.cpu.conv.FlatImageInput;
import dev.workbench.cpu.dense.CachedDense;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.train.FirstLayerInputGradient;
import dev.workbench.train.InputGradientOption;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A GAN discriminator's first layer (the DCGAN's one-channel convolution, the dense GAN's dense layer) switched off
 * around a backward pass: no input gradient, the same parameter gradients to the bit, and on again afterwards.
 */
class FirstLayerInputGradientTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 32);

    private static ConvolutionLayer downsampling(int channels, org.nd4j.linalg.activations.IActivation activation) {
        return new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(channels).activation(activation)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }

    /** The DCGAN discriminator's convolutions as CpuTraining puts them in for a read input gradient, and a logit. */
    private static MultiLayerNetwork convolutional() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(CachedConvolution.of(downsampling(8, new ActivationLReLU(0.2))))
                .layer(CachedConvolution.of(downsampling(8, Activation.IDENTITY.getActivationFunction())))
                .layer(CachedDense.of(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build()))
                .inputPreProcessor(0, new FlatImageInput(28, 28, 1))
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork dense() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(CachedDense.of(new DenseLayer.Builder().nOut(16).activation(new ActivationLReLU(0.2)).build()))
                .layer(CachedDense.of(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build()))
                .setInputType(InputType.feedForward(784))
                .build());
        net.init();
        return net;
    }

    @Test
    void theDcganDiscriminatorsFirstConvolutionSkipsItWithTheSameParameterGradients() {
        switchedOffAroundTheBackwardPass(convolutional());
    }

    @Test
    void theDenseDiscriminatorsFirstLayerSkipsItWithTheSameParameterGradients() {
        switchedOffAroundTheBackwardPass(dense());
    }

    @Test
    void dl4jsOwnLayersAndDl4jsReshapeComputeIt() {
        MultiLayerNetwork plain = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(downsampling(8, new ActivationLReLU(0.2)))
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        plain.init();
        assertFalse(FirstLayerInputGradient.of(plain).skips(), "DL4J's convolution");
        MultiLayerNetwork reshapedByDl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(CachedConvolution.of(downsampling(8, new ActivationLReLU(0.2))))
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        reshapedByDl4j.init();
        assertFalse(FirstLayerInputGradient.of(reshapedByDl4j).skips(), "DL4J's reshape fails on a missing gradient");
    }

    private static void switchedOffAroundTheBackwardPass(MultiLayerNetwork net) {
        FirstLayerInputGradient firstLayer = FirstLayerInputGradient.of(net);
        assertTrue(firstLayer.skips());
        Pair<float[], INDArray> computed = backward(net, passes -> passes.get());
        Pair<float[], INDArray> skipped = backward(net, firstLayer::skipWhile);
        assertNotNull(computed.getSecond());
        assertNull(skipped.getSecond(), "no input gradient while switched off");
        assertArrayEquals(computed.getFirst(), skipped.getFirst(), "the parameter gradients, bit for bit");
        assertTrue(((InputGradientOption) net.getLayer(0).conf().getLayer()).isInputGradient(), "on again afterwards");
        assertNotNull(backward(net, passes -> passes.get()).getSecond());
    }

    private interface Around {
        Pair<Gradient, INDArray> run(Supplier<Pair<Gradient, INDArray>> backprop);
    }

    /** A training forward pass, then the backward pass from the logits' gradient 0.1 - D(x), run by {@code around}. */
    private static Pair<float[], INDArray> backward(MultiLayerNetwork net, Around around) {
        net.setInput(DIGITS.getFeatures());
        INDArray logits = net.feedForward(true, false).get(net.getnLayers());
        INDArray logitGradient = logits.neg().addi(0.1);
        Pair<Gradient, INDArray> gradients = around.run(
                () -> net.backpropGradient(logitGradient, LayerWorkspaceMgr.noWorkspaces()));
        return new Pair<>(gradients.getFirst().gradient().toFloatVector(), gradients.getSecond());
    }
}
