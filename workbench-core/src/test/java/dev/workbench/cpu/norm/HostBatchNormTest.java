package dev.workbench.cpu.norm;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
 * The host batch norm is DL4J's: in the DCGAN discriminator's shape (convolution, batch norm, LeakyReLU) on 32 real
 * MNIST digits, the batch norm's output, every gradient (gamma, beta, the convolution's) and the input gradient
 * agree with DL4J's float layer and with its double-precision definition within float rounding; after 5 Adam steps
 * at two batch sizes the parameters, which hold the running mean and log10 std (or variance), and the inference
 * output agree; 2-D input goes through DL4J.
 */
class HostBatchNormTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4,
            DataLocations.fromEnvironment()).train(), 32);

    private static MultiLayerNetwork convNet(DataType type, boolean logStd, Function<BatchNormalization, Layer> twin) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(type).updater(new Adam(1e-2)).convolutionMode(ConvolutionMode.Truncate).list()
                // No bias: a batch norm cancels it, so its gradient is zero up to float rounding, which Adam
                // would turn into steps of the full learning rate in random directions.
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(8).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(twin.apply(new BatchNormalization.Builder().useLogStd(logStd).build()))
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }

    /** DL4J's float network, the host one, and DL4J's in double, all with the first one's parameters. */
    private static MultiLayerNetwork[] trio(boolean logStd) {
        MultiLayerNetwork dl4j = convNet(DataType.FLOAT, logStd, layer -> layer);
        MultiLayerNetwork host = convNet(DataType.FLOAT, logStd, HostBatchNorm::of);
        MultiLayerNetwork exact = convNet(DataType.DOUBLE, logStd, layer -> layer);
        host.setParams(dl4j.params().dup());
        exact.setParams(dl4j.params().castTo(DataType.DOUBLE));
        return new MultiLayerNetwork[]{dl4j, host, exact};
    }

    private static INDArray features(DataType type) {
        return DIGITS.getFeatures().castTo(type);
    }

    @Test
    void buildsHostLayersThatSaveAsSuch() {
        MultiLayerNetwork host = trio(true)[1];
        assertInstanceOf(HostBatchNormLayer.class, host.getLayer(1));
        assertInstanceOf(HostBatchNorm.class, TestWorkbench.savedAndRestored(host).getConf(1).getLayer());
    }

    @Test
    void sameOutputAndGradientsAsDl4jInFloatAndDouble() {
        MultiLayerNetwork[] nets = trio(true);
        INDArray want = nets[0].feedForward(features(DataType.FLOAT), true).get(2);
        INDArray exact = nets[2].feedForward(features(DataType.DOUBLE), true).get(2);
        INDArray got = nets[1].feedForward(features(DataType.FLOAT), true).get(2);
        assertClose(want, got, 1e-5, "batch norm output against DL4J's float layer");
        assertClose(exact, got, 1e-5, "batch norm output against DL4J in double");
        INDArray labels = DIGITS.getLabels();
        Pair<Gradient, INDArray> dl4j = nets[0].calculateGradients(features(DataType.FLOAT), labels, null, null);
        Pair<Gradient, INDArray> inDouble = nets[2].calculateGradients(features(DataType.DOUBLE),
                labels.castTo(DataType.DOUBLE), null, null);
        Pair<Gradient, INDArray> host = nets[1].calculateGradients(features(DataType.FLOAT), labels, null, null);
        assertSameGradients(dl4j.getFirst(), host.getFirst(), 1e-4);
        assertSameGradients(inDouble.getFirst(), host.getFirst(), 1e-4);
        assertClose(dl4j.getSecond(), host.getSecond(), 1e-4, "input gradient against DL4J's float layer");
        assertClose(inDouble.getSecond(), host.getSecond(), 1e-4, "input gradient against DL4J in double");
    }

    @Test
    void trainsAsDl4jWithEitherRunningVarianceForm() {
        for (boolean logStd : new boolean[]{true, false}) {
            MultiLayerNetwork[] nets = trio(logStd);
            INDArray before = nets[1].params().dup();
            for (int step = 0; step < 5; step++) {
                DataSet batch = step % 2 == 0 ? DIGITS : TestWorkbench.firstRows(DIGITS, 20); // another batch size
                nets[0].fit(batch);
                nets[1].fit(batch);
                nets[2].fit(new DataSet(batch.getFeatures().castTo(DataType.DOUBLE),
                        batch.getLabels().castTo(DataType.DOUBLE)));
            }
            String form = logStd ? "log10 std" : "variance";
            // The parameters hold the running mean and log10 std (or variance) too.
            assertClose(nets[0].params(), nets[1].params(), 1e-4, form + ": parameters after 5 Adam steps");
            assertClose(nets[2].params(), nets[1].params(), 1e-4, form + ": against DL4J in double");
            INDArray runningStats = nets[1].getLayer(1).params().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(16, 32));
            assertClose(nets[2].getLayer(1).params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(16, 32)),
                    runningStats, 1e-5, form + ": running statistics against DL4J in double");
            assertNotEquals(before, nets[1].params());
            assertClose(nets[0].output(features(DataType.FLOAT), false),
                    nets[1].output(features(DataType.FLOAT), false), 1e-4, form + ": inference output");
        }
    }

    @Test
    void denseInputGoesThroughDl4j() {
        Function<Function<BatchNormalization, Layer>, MultiLayerNetwork> dense = twin -> {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                    .dataType(DataType.FLOAT).updater(new Adam(1e-2)).list()
                    .layer(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build())
                    .layer(twin.apply(new BatchNormalization.Builder().build()))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                    .setInputType(InputType.feedForward(784)).build());
            net.init();
            return net;
        };
        MultiLayerNetwork dl4j = dense.apply(layer -> layer);
        MultiLayerNetwork host = dense.apply(HostBatchNorm::of);
        host.setParams(dl4j.params().dup());
        INDArray x = features(DataType.FLOAT);
        assertClose(dl4j.feedForward(x, true).get(2), host.feedForward(x, true).get(2), 0.0, "2-D output");
        assertSameGradients(dl4j.calculateGradients(x, DIGITS.getLabels(), null, null).getFirst(),
                host.calculateGradients(x, DIGITS.getLabels(), null, null).getFirst(), 0.0);
    }
}
