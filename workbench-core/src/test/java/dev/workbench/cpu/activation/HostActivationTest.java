package dev.workbench.cpu.activation;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The host activation layer is DL4J's for ReLU and LeakyReLU(0.2): on 32 real MNIST digits, half of them shifted
 * by -0.5 (negatives) and half as they are (exact zeros, where ND4J's rules for the tie decide), the outputs and
 * the input gradient are bit-identical, and in the DCGAN discriminator's shape (convolution, batch norm,
 * activation) every gradient, the batch norm's running statistics and 5 Adam steps equal DL4J's; other
 * activations go through DL4J.
 */
class HostActivationTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4,
            DataLocations.fromEnvironment()).train(), 32);
    private static final List<IActivation> RECTIFIERS = List.of(new ActivationReLU(), new ActivationLReLU(0.2));

    private static INDArray shiftedDigits() {
        INDArray x = DIGITS.getFeatures().dup();
        x.get(interval(0, 16), all()).subi(0.5);
        return x;
    }

    private static MultiLayerNetwork[] pair(Function<Function<ActivationLayer, Layer>, MultiLayerNetwork> network) {
        MultiLayerNetwork dl4j = network.apply(layer -> layer);
        MultiLayerNetwork host = network.apply(HostActivation::of);
        host.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, host};
    }

    private static MultiLayerNetwork direct(IActivation activation, Function<ActivationLayer, Layer> twin) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).list()
                .layer(twin.apply(new ActivationLayer.Builder().activation(activation).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork discriminatorShaped(IActivation activation, Function<ActivationLayer, Layer> twin) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).convolutionMode(ConvolutionMode.Truncate).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(8)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(twin.apply(new ActivationLayer.Builder().activation(activation).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }

    @Test
    void buildsHostLayersThatSaveAsSuch() {
        MultiLayerNetwork host = pair(twin -> direct(new ActivationLReLU(0.2), twin))[1];
        assertInstanceOf(HostActivationLayer.class, host.getLayer(0));
        assertInstanceOf(HostActivation.class, TestWorkbench.savedAndRestored(host).getConf(0).getLayer());
    }

    @Test
    void sameOutputsAndInputGradientsAsDl4jBitForBit() {
        INDArray x = shiftedDigits();
        assertTrue(x.eq(0).castTo(DataType.FLOAT).sumNumber().intValue() > 1000, "exact zeros in the input");
        for (IActivation activation : RECTIFIERS) {
            MultiLayerNetwork[] nets = pair(twin -> direct(activation, twin));
            INDArray want = nets[0].feedForward(x, true).get(1);
            INDArray got = nets[1].feedForward(x, true).get(1);
            assertClose(want, got, 0.0, activation + " output");
            Pair<Gradient, INDArray> dl4j = nets[0].calculateGradients(x, DIGITS.getLabels(), null, null);
            Pair<Gradient, INDArray> host = nets[1].calculateGradients(x, DIGITS.getLabels(), null, null);
            assertSameGradients(dl4j.getFirst(), host.getFirst(), 0.0);
            assertClose(dl4j.getSecond(), host.getSecond(), 0.0, activation + " input gradient");
        }
    }

    @Test
    void trainsAsDl4jBehindABatchNorm() {
        for (IActivation activation : RECTIFIERS) {
            MultiLayerNetwork[] nets = pair(twin -> discriminatorShaped(activation, twin));
            Pair<Gradient, INDArray> dl4j = nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
            Pair<Gradient, INDArray> host = nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
            assertSameGradients(dl4j.getFirst(), host.getFirst(), 1e-6);
            assertClose(dl4j.getSecond(), host.getSecond(), 1e-6, activation + " input gradient");
            INDArray before = nets[1].params().dup();
            for (int step = 0; step < 5; step++) {
                DataSet batch = step % 2 == 0 ? DIGITS : TestWorkbench.firstRows(DIGITS, 20); // another batch size
                nets[0].fit(batch);
                nets[1].fit(batch);
            }
            // The parameters hold the batch norm's running mean and variance too.
            assertClose(nets[0].params(), nets[1].params(), 1e-5, activation + " parameters after 5 Adam steps");
            assertNotEquals(before, nets[1].params());
            assertClose(nets[0].output(DIGITS.getFeatures(), false), nets[1].output(DIGITS.getFeatures(), false), 1e-5,
                    activation + " inference output");
        }
    }

    @Test
    void otherActivationsGoThroughDl4j() {
        MultiLayerNetwork[] nets = pair(twin -> direct(new ActivationReLU(6.0, 0.0, 0.0), twin));
        INDArray x = shiftedDigits().muli(20);
        assertClose(nets[0].output(x, false), nets[1].output(x, false), 0.0, "capped ReLU");
        assertClose(nets[0].calculateGradients(x, DIGITS.getLabels(), null, null).getSecond(),
                nets[1].calculateGradients(x, DIGITS.getLabels(), null, null).getSecond(), 0.0, "capped ReLU input gradient");
    }
}
