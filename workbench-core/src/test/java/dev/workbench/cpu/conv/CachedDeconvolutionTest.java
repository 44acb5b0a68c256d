package dev.workbench.cpu.conv;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DeconvolutionParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The cached transposed convolution is DL4J's, only without the second forward pass in training: on 32 real 8x8
 * digits, a DCGAN-style doubling (4x4, stride 2, padding 1, ReLU), a 'same' one (3x3, stride 2, tanh, no
 * bias) and two to one channel (a generator's image: 4x4, stride 2, padding 1, with bias; 3x3, strides 1 and 2, no bias)
 * give DL4J's outputs, gradients and input gradient, and stay equal over Adam steps; a nonzero bias, which the
 * cached layer adds itself, gives DL4J's output bits.
 */
class CachedDeconvolutionTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("digits").load(
            new DatasetSpec("digits", 32, new SplitSpec(0.1, null), "min_max", List.of()), 4,
            DataLocations.fromEnvironment()).train(), 32);

    private static MultiLayerNetwork network(UnaryOperator<Layer> deconvolution) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).list()
                .layer(deconvolution.apply(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(6)
                        .activation(Activation.RELU).convolutionMode(ConvolutionMode.Truncate).build()))
                .layer(deconvolution.apply(new Deconvolution2D.Builder(3, 3).stride(2, 2).nOut(2).hasBias(false)
                        .activation(Activation.TANH).convolutionMode(ConvolutionMode.Same).build()))
                .layer(deconvolution.apply(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(1)
                        .activation(Activation.TANH).convolutionMode(ConvolutionMode.Truncate).build()))
                .layer(deconvolution.apply(new Deconvolution2D.Builder(3, 3).stride(1, 2).nOut(1).hasBias(false)
                        .activation(Activation.SIGMOID).convolutionMode(ConvolutionMode.Truncate).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1))
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair() {
        MultiLayerNetwork dl4j = network(l -> l);
        MultiLayerNetwork cached = network(l -> CachedDeconvolution.of((Deconvolution2D) l));
        cached.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, cached};
    }

    @Test
    void buildsCachedLayersThatSaveAsSuch() {
        MultiLayerNetwork cached = pair()[1];
        assertInstanceOf(CachedDeconvolutionLayer.class, cached.getLayer(2));
        assertInstanceOf(CachedDeconvolution.class, TestWorkbench.savedAndRestored(cached).getConf(2).getLayer());
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
    void addsItsBiasAsDl4jDoes() {
        // The layers start with zero biases; the bias the first layer adds itself must give DL4J's bits.
        MultiLayerNetwork[] nets = pair();
        INDArray bias = nets[0].getLayer(0).getParam(DeconvolutionParamInitializer.BIAS_KEY);
        bias.assign(Nd4j.linspace(DataType.FLOAT, -0.3, 0.1, bias.length()).reshape(bias.shape()));
        nets[1].setParams(nets[0].params().dup());
        INDArray want = nets[0].feedForward(DIGITS.getFeatures(), true).get(1);
        INDArray got = nets[1].feedForward(DIGITS.getFeatures(), true).get(1);
        assertTrue(want.minNumber().doubleValue() == 0 && want.maxNumber().doubleValue() > 0, "ReLU output, some positive");
        assertClose(want, got, 0.0, "first layer's training output with a nonzero bias");
        assertSameGradients(nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(),
                nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(), 1e-4);
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork[] nets = pair();
        INDArray initial = nets[1].params().dup();
        for (int step = 0; step < 5; step++) {
            nets[0].fit(DIGITS);
            nets[1].fit(DIGITS);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(nets[1].params().sub(initial).amaxNumber().doubleValue() > 1e-3, "the steps moved the parameters");
    }
}
