package dev.workbench.models.rnn;

import static dev.workbench.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.models.rnn.RecurrentSameDiffLayer.Direction;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The workbench's LSTM computes DL4J's LSTM on unmasked sequences, one way or both, has correct gradients under a
 * mask, carries its state (h and c) through masked steps so that padding anywhere changes no real step, and saves.
 */
class LstmTest {
    private static final int N_IN = 3;
    private static final int HIDDEN = 4;
    private static final int STEPS = 5;
    private static final int BATCH = 2;

    private static MultiLayerNetwork network(Layer layer) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .list().layer(layer).setInputType(InputType.recurrent(N_IN, STEPS)).build());
        net.init();
        return net;
    }

    private static LSTM dl4jLstm() {
        return new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build();
    }

    @Test
    void computesDl4jsLstmForward() {
        MultiLayerNetwork dl4j = network(dl4jLstm());
        MultiLayerNetwork ours = network(new Lstm(HIDDEN, Direction.FORWARD));
        for (String name : new String[]{Lstm.INPUT_WEIGHTS, Lstm.RECURRENT_WEIGHTS, Lstm.BIAS}) {
            // Random values everywhere, the forget-gate bias included, so every block is exercised.
            dl4j.getLayer(0).getParam(name).assign(Nd4j.randn(DataType.DOUBLE, dl4j.getLayer(0).getParam(name).shape()));
            ours.getLayer(0).getParam(name).assign(dl4j.getLayer(0).getParam(name));
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS);
        assertClose(dl4j.output(x), ours.output(x), 1e-12, "LSTM outputs");
    }

    @Test
    void computesDl4jsBidirectionalLstm() {
        MultiLayerNetwork dl4j = network(new Bidirectional(Bidirectional.Mode.CONCAT, dl4jLstm()));
        MultiLayerNetwork ours = network(new Lstm(HIDDEN, Direction.BIDIRECTIONAL));
        for (String name : new String[]{Lstm.INPUT_WEIGHTS, Lstm.RECURRENT_WEIGHTS, Lstm.BIAS}) {
            ours.getLayer(0).getParam(name).assign(dl4j.getLayer(0).getParam("f" + name));
            ours.getLayer(0).getParam(Lstm.REVERSE_PREFIX + name).assign(dl4j.getLayer(0).getParam("b" + name));
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS);
        assertClose(dl4j.output(x), ours.output(x), 1e-12, "bidirectional LSTM outputs");
    }

    @Test
    void startsWithDl4jsForgetGateBias() {
        INDArray bias = network(new Lstm(HIDDEN, Direction.FORWARD)).getLayer(0).getParam(Lstm.BIAS);
        assertEquals(HIDDEN * Lstm.FORGET_GATE_BIAS, bias.sumNumber().doubleValue(), 0.0);
        assertEquals(Lstm.FORGET_GATE_BIAS, bias.get(NDArrayIndex.point(0), NDArrayIndex.interval(HIDDEN, 2 * HIDDEN))
                .minNumber().doubleValue(), 0.0);
    }

    /** A sequence padded in front, one with a pad between real steps and one padded at the end. */
    private static final double[][] MASK = {{1, 1, 1, 1, 1}, {0, 1, 1, 0, 1}, {1, 1, 1, 0, 0}};

    @ParameterizedTest
    @EnumSource(Direction.class)
    void gradientsUnderAMaskMatchFiniteDifferences(Direction direction) {
        assertTrue(RecurrentGradientCheck.passes(new Lstm(HIDDEN, direction),
                new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build(), true, N_IN, MASK));
    }

    @Test
    void gradientsThroughTheLastStepMatchFiniteDifferences() {
        assertTrue(RecurrentGradientCheck.passes(new Lstm(HIDDEN, Direction.BIDIRECTIONAL),
                new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build(), false, N_IN, MASK));
    }

    @Test
    void maskedStepsCarryTheStateSoRealStepsMatchTheUnpaddedSequence() {
        MultiLayerNetwork net = network(new Lstm(HIDDEN, Direction.BIDIRECTIONAL));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, N_IN, STEPS);
        INDArray mask = Nd4j.createFromArray(new double[][]{{0, 1, 1, 0, 1}});
        INDArray masked = net.output(x, false, mask, null);
        // The real steps 1, 2 and 4 alone, as a sequence of 3 (a graph for 3 steps).
        INDArray real = Nd4j.concat(2, x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 3)),
                x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 5)));
        INDArray unpadded = net.output(real);
        int[] realSteps = {1, 2, 4};
        for (int i = 0; i < realSteps.length; i++) {
            assertClose(unpadded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i)),
                    masked.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(realSteps[i])), 1e-12,
                    "real step " + realSteps[i]);
        }
        INDArray forward = masked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, HIDDEN), NDArrayIndex.all());
        INDArray backward = masked.get(NDArrayIndex.all(), NDArrayIndex.interval(HIDDEN, 2 * HIDDEN), NDArrayIndex.all());
        // Forward, the pad at step 3 keeps step 2's state; backward, it keeps step 4's.
        assertEquals(forward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)),
                forward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(3)));
        assertEquals(backward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(4)),
                backward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(3)));
        assertEquals(0.0, forward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).amaxNumber().doubleValue(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void savedAndLoadedNetworkGivesIdenticalOutputs(Direction direction, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network(new Lstm(HIDDEN, direction));
        File file = dir.resolve("lstm.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS);
        INDArray mask = Nd4j.createFromArray(new double[][]{{0, 1, 1, 1, 1}, {1, 1, 0, 1, 1}});
        assertEquals(net.output(x, false, mask, null), loaded.output(x, false, mask, null));
        assertEquals(direction, ((Lstm) loaded.getLayerWiseConfigurations().getConf(0).getLayer()).getDirection());
    }
}
