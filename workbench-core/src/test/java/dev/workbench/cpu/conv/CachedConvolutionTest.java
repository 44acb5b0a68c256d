package dev.workbench.cpu.conv;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The cached convolution is DL4J's convolution, only faster to train: on 32 real MNIST digits a network of a 5x5
 * truncate convolution, 2x2 max pooling, a 3x3 'same' convolution (ELU) and a 3x3 stride-2 'same' one without bias
 * (tanh) gives DL4J's outputs, gradients and input gradient, and stays equal over Adam steps; a first layer that
 * skips its input gradient (5x5, or 5x5 'same' with stride 2, padded by one at the top and left) still gives DL4J's parameter gradients.
 */
class CachedConvolutionTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 32);

    private static MultiLayerNetwork network(UnaryOperator<Layer> convolution) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(convolution.apply(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU)
                        .convolutionMode(ConvolutionMode.Truncate).build()))
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(convolution.apply(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.ELU)
                        .convolutionMode(ConvolutionMode.Same).build()))
                .layer(convolution.apply(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8).hasBias(false)
                        .activation(Activation.TANH).convolutionMode(ConvolutionMode.Same).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair() {
        return pair(network(l -> CachedConvolution.of((ConvolutionLayer) l)));
    }

    private static MultiLayerNetwork[] pair(MultiLayerNetwork cached) {
        MultiLayerNetwork dl4j = network(l -> l);
        cached.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, cached};
    }

    /** The cached network whose first convolution skips the input gradient. */
    private static MultiLayerNetwork firstLayerWithoutInputGradient() {
        boolean[] first = {true};
        return network(l -> {
            CachedConvolution convolution = CachedConvolution.of((ConvolutionLayer) l);
            boolean isFirst = first[0];
            first[0] = false;
            return isFirst ? convolution.withoutInputGradient() : convolution;
        });
    }

    @Test
    void buildsCachedLayersThatSaveAsSuch() {
        MultiLayerNetwork cached = pair()[1];
        assertInstanceOf(CachedConvolutionLayer.class, cached.getLayer(3));
        assertInstanceOf(CachedConvolution.class, TestWorkbench.savedAndRestored(cached).getConf(3).getLayer());
    }

    @Test
    void sameGradientsAndInputGradientAsDl4j() {
        MultiLayerNetwork[] nets = pair();
        Pair<Gradient, INDArray> want = nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-4);
        assertClose(want.getSecond(), got.getSecond(), 1e-4, "input gradient");
        assertClose(nets[0].output(DIGITS.getFeatures()), nets[1].output(DIGITS.getFeatures()), 1e-5, "outputs");
    }

    @Test
    void firstLayerWithoutInputGradientHasDl4jsParameterGradients() {
        MultiLayerNetwork[] nets = pair(firstLayerWithoutInputGradient());
        assertInstanceOf(FlatImageInput.class, nets[1].getLayerWiseConfigurations().getInputPreProcess(0));
        Pair<Gradient, INDArray> want = nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-4);
        assertNull(got.getSecond(), "a first layer without input gradient hands back none");

        MultiLayerConfiguration restored = TestWorkbench.savedAndRestored(nets[1]);
        assertFalse(((CachedConvolution) restored.getConf(0).getLayer()).isInputGradient());
        assertInstanceOf(FlatImageInput.class, restored.getInputPreProcess(0));
    }

    @Test
    void paddedStridedFirstLayerWithoutInputGradientHasDl4jsParameterGradients() {
        UnaryOperator<Layer> padded = l -> new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(4).hasBias(false)
                .activation(Activation.TANH).convolutionMode(ConvolutionMode.Same).build();
        MultiLayerNetwork dl4j = firstOnly(padded.apply(null));
        MultiLayerNetwork cached = firstOnly(CachedConvolution.of((ConvolutionLayer) padded.apply(null)).withoutInputGradient());
        cached.setParams(dl4j.params().dup());
        for (int fit = 0; fit < 2; fit++) { // the second batch reuses the layer's buffers
            DataSet batch = fit == 0 ? DIGITS : TestWorkbench.firstRows(DIGITS, 20);
            assertSameGradients(dl4j.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null).getFirst(),
                    cached.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null).getFirst(), 1e-4);
        }
    }

    @Test
    void leakyFirstLayerAsTheDcganDiscriminatorHasDl4jsOutputsAndParameterGradients() {
        UnaryOperator<Layer> leaky = l -> new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(8)
                .activation(new ActivationLReLU(0.2)).convolutionMode(ConvolutionMode.Truncate).build();
        MultiLayerNetwork dl4j = firstOnly(leaky.apply(null));
        MultiLayerNetwork cached = firstOnly(CachedConvolution.of((ConvolutionLayer) leaky.apply(null)).withoutInputGradient());
        cached.setParams(dl4j.params().dup());
        assertSameGradients(dl4j.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(),
                cached.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(), 1e-4);
        List<INDArray> want = dl4j.feedForward(DIGITS.getFeatures(), true);
        List<INDArray> got = cached.feedForward(DIGITS.getFeatures(), true);
        assertClose(want.get(1), got.get(1), 1e-5, "the convolution's training activations");
    }

    @Test
    void leakyFirstLayerAsTheDcganDiscriminatorHasDl4jsInputGradientToo() {
        // Where the generator's update reads it: one input channel, trained channels-last, the input gradient by
        // OneChannelTransposedConvolution reading that layout.
        UnaryOperator<Layer> leaky = l -> new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(8)
                .activation(new ActivationLReLU(0.2)).convolutionMode(ConvolutionMode.Truncate).build();
        MultiLayerNetwork dl4j = firstOnly(leaky.apply(null));
        MultiLayerNetwork cached = firstOnly(CachedConvolution.of((ConvolutionLayer) leaky.apply(null)));
        cached.setParams(dl4j.params().dup());
        Pair<Gradient, INDArray> want = dl4j.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = cached.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-4);
        assertClose(want.getSecond(), got.getSecond(), 1e-5, "input gradient");
        INDArray activations = cached.feedForward(DIGITS.getFeatures(), true).get(1);
        assertNotNull(HostArrays.channelsLast(activations), "trained channels-last");
        assertClose(dl4j.feedForward(DIGITS.getFeatures(), true).get(1), activations, 1e-5, "the training activations");
    }

    private static MultiLayerNetwork firstOnly(Layer convolution) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(convolution)
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        return net;
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork[] nets = pair(firstLayerWithoutInputGradient());
        double initial = nets[1].score(DIGITS);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(DIGITS);
            nets[1].fit(DIGITS);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(DIGITS) < 0.9 * initial, "loss " + initial + " -> " + nets[1].score(DIGITS));
    }
}
