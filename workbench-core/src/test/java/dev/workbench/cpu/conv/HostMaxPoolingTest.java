package dev.workbench.cpu.conv;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.cpu.kernels.HostArrays;
import java.util.List;
import java.util.function.Supplier;
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
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The host max pooling is DL4J's 2x2 stride-2 max pooling: on 32 real MNIST digits, after ReLU convolutions (so that
 * many windows tie at zero), a 24x24 pooling and an 11x11 one (truncate: the last row and column dropped; 25 windows
 * per plane, so the scalar tail after the vector lanes runs) give DL4J's activations, gradients and input gradient,
 * and stay equal over Adam steps, also behind a first convolution that trains channels-last; a 3x3 or padded pooling
 * still goes through DL4J.
 */
class HostMaxPoolingTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 32);

    private static MultiLayerNetwork network(Supplier<Layer> pooling) {
        return network(pooling, first -> first);
    }

    private static MultiLayerNetwork network(Supplier<Layer> pooling, UnaryOperator<ConvolutionLayer> firstConvolution) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).convolutionMode(ConvolutionMode.Truncate).list()
                .layer(firstConvolution.apply(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build()))
                .layer(pooling.get())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.RELU).build())
                .layer(pooling.get())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair() {
        MultiLayerNetwork dl4j = network(() -> new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2).stride(2, 2).build());
        MultiLayerNetwork host = network(HostMaxPooling::twoByTwo);
        host.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, host};
    }

    @Test
    void buildsHostLayersThatSaveAsSuch() {
        MultiLayerNetwork host = pair()[1];
        assertInstanceOf(HostMaxPoolingLayer.class, host.getLayer(1));
        assertInstanceOf(HostMaxPooling.class, TestWorkbench.savedAndRestored(host).getConf(3).getLayer());
    }

    @Test
    void sameActivationsGradientsAndInputGradientAsDl4j() {
        MultiLayerNetwork[] nets = pair();
        List<INDArray> want = nets[0].feedForward(DIGITS.getFeatures(), false);
        List<INDArray> got = nets[1].feedForward(DIGITS.getFeatures(), false);
        for (int layer : new int[]{2, 4}) {
            assertClose(want.get(layer), got.get(layer), 0.0, "pooled activations of layer " + (layer - 1));
        }
        double zeros = want.get(1).eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        assertTrue(zeros > 0.2, "ReLU zeros in the pooled input: " + zeros);

        Pair<Gradient, INDArray> dl4j = nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> host = nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(dl4j.getFirst(), host.getFirst(), 1e-5);
        assertClose(dl4j.getSecond(), host.getSecond(), 1e-5, "input gradient");
    }

    @Test
    void tiedWindowsSendTheGradientWhereDl4jDoes() {
        // Pooling the digits themselves: saturated strokes put equal positive pixels side by side.
        MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
        for (int i = 0; i < 2; i++) {
            nets[i] = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                    .layer(i == 0 ? new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build()
                            : HostMaxPooling.twoByTwo())
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                    .setInputType(InputType.convolutionalFlat(28, 28, 1))
                    .build());
            nets[i].init();
        }
        nets[1].setParams(nets[0].params().dup());
        INDArray images = DIGITS.getFeatures().reshape(32, 1, 28, 28);
        INDArray tiedPairs = images.get(all(), all(), all(), interval(0, 27)).eq(images.get(all(), all(), all(), interval(1, 28)))
                .castTo(DataType.FLOAT).mul(images.get(all(), all(), all(), interval(0, 27)).gt(0.5).castTo(DataType.FLOAT));
        assertTrue(tiedPairs.sumNumber().intValue() > 100, "equal bright neighbours: " + tiedPairs.sumNumber());
        assertClose(nets[0].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getSecond(),
                nets[1].calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getSecond(), 0.0, "input gradient");
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork[] nets = pair();
        double initial = nets[1].score(DIGITS);
        for (int step = 0; step < 5; step++) {
            DataSet batch = step % 2 == 0 ? DIGITS : TestWorkbench.firstRows(DIGITS, 20); // other batch sizes reuse the buffers
            nets[0].fit(batch);
            nets[1].fit(batch);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(DIGITS) < 0.9 * initial, "loss " + initial + " -> " + nets[1].score(DIGITS));
    }

    @Test
    void poolsAChannelsLastFirstConvolutionAsDl4j() {
        // A first CachedConvolution trains on a channels-last output, which the pooling reads and whose gradient it
        // hands back laid out alike: 6 channels, so a pixel's channels do not fill a vector.
        MultiLayerNetwork dl4j = network(() -> new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2).stride(2, 2).build());
        MultiLayerNetwork host = network(HostMaxPooling::twoByTwo, first -> CachedConvolution.of(first).withoutInputGradient());
        host.setParams(dl4j.params().dup());
        INDArray firstOutput = host.getLayer(0).activate(DIGITS.getFeatures().reshape(32, 1, 28, 28), true, LayerWorkspaceMgr.noWorkspaces());
        assertNotNull(HostArrays.channelsLast(firstOutput), "the first convolution's training output is channels-last");

        assertSameGradients(dl4j.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(),
                host.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(), 1e-5);
        for (int step = 0; step < 4; step++) {
            DataSet batch = step % 2 == 0 ? DIGITS : TestWorkbench.firstRows(DIGITS, 20);
            dl4j.fit(batch);
            host.fit(batch);
        }
        assertClose(dl4j.params(), host.params(), 1e-4, "parameters after 4 Adam steps");
        assertClose(dl4j.output(DIGITS.getFeatures()), host.output(DIGITS.getFeatures()), 1e-5, "inference after training");
    }

    @Test
    void otherPoolingGoesThroughDl4j() {
        for (SubsamplingLayer other : new SubsamplingLayer[]{
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).padding(1, 1).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build()}) {
            MultiLayerNetwork dl4j = network(() -> other.clone());
            MultiLayerNetwork host = network(() -> HostMaxPooling.of(other.clone()));
            host.setParams(dl4j.params().dup());
            assertSameGradients(dl4j.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(),
                    host.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getFirst(), 1e-5);
        }
    }
}
