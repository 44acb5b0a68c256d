package dev.workbench.models.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.models.rnn.RecurrentSameDiffLayer.Direction;
import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The GRU layer computes the documented recurrence, has correct gradients, learns, saves, and honours masks. */
class GruTest {
    private static final int N_IN = 3;
    private static final int HIDDEN = 4;
    private static final int STEPS = 3;
    private static final int BATCH = 2;

    private static MultiLayerNetwork gruOnly(Direction direction, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).dataType(type).list()
                .layer(new Gru(HIDDEN, direction))
                .setInputType(InputType.recurrent(N_IN, STEPS)).build());
        net.init();
        return net;
    }

    /** Reference GRU in plain doubles: x [batch][nIn][time], weights as the layer stores them; returns [batch][H][time]. */
    private static double[][][] reference(double[][][] x, double[][] w, double[][] r, double[] wb, double[] rb, boolean reverse) {
        double[][][] out = new double[BATCH][HIDDEN][STEPS];
        for (int b = 0; b < BATCH; b++) {
            double[] h = new double[HIDDEN];
            for (int i = 0; i < STEPS; i++) {
                int t = reverse ? STEPS - 1 - i : i;
                double[] xw = new double[3 * HIDDEN];
                double[] hr = new double[3 * HIDDEN];
                for (int j = 0; j < 3 * HIDDEN; j++) {
                    xw[j] = wb[j];
                    hr[j] = rb[j];
                    for (int k = 0; k < N_IN; k++) {
                        xw[j] += x[b][k][t] * w[k][j];
                    }
                    for (int k = 0; k < HIDDEN; k++) {
                        hr[j] += h[k] * r[k][j];
                    }
                }
                double[] next = new double[HIDDEN];
                for (int j = 0; j < HIDDEN; j++) {
                    double z = sigmoid(xw[j] + hr[j]);
                    double reset = sigmoid(xw[HIDDEN + j] + hr[HIDDEN + j]);
                    double n = Math.tanh(xw[2 * HIDDEN + j] + reset * hr[2 * HIDDEN + j]);
                    next[j] = (1 - z) * n + z * h[j];
                    out[b][j][t] = next[j];
                }
                h = next;
            }
        }
        return out;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double[][] random(Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian() * 0.7;
            }
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = Direction.class, names = {"FORWARD", "BACKWARD"})
    void outputEqualsAHandComputedGruStepByStep(Direction direction) {
        Random random = new Random(3);
        double[][] w = random(random, N_IN, 3 * HIDDEN);
        double[][] r = random(random, HIDDEN, 3 * HIDDEN);
        double[] wb = random(random, 1, 3 * HIDDEN)[0];
        double[] rb = random(random, 1, 3 * HIDDEN)[0];
        double[][][] x = new double[BATCH][][];
        for (int b = 0; b < BATCH; b++) {
            x[b] = random(random, N_IN, STEPS);
        }
        MultiLayerNetwork net = gruOnly(direction, DataType.DOUBLE);
        Layer gru = net.getLayer(0);
        gru.getParam(Gru.INPUT_WEIGHTS).assign(Nd4j.create(w));
        gru.getParam(Gru.RECURRENT_WEIGHTS).assign(Nd4j.create(r));
        gru.getParam(Gru.INPUT_BIAS).assign(Nd4j.create(new double[][]{wb}));
        gru.getParam(Gru.RECURRENT_BIAS).assign(Nd4j.create(new double[][]{rb}));

        INDArray actual = net.output(Nd4j.create(x));
        double[][][] expected = reference(x, w, r, wb, rb, direction == Direction.BACKWARD);
        assertArrayEquals(new long[]{BATCH, HIDDEN, STEPS}, actual.shape());
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < HIDDEN; j++) {
                for (int t = 0; t < STEPS; t++) {
                    assertEquals(expected[b][j][t], actual.getDouble(b, j, t), 1e-5, "b " + b + " unit " + j + " step " + t);
                }
            }
        }
    }

    @Test
    void bidirectionalOutputIsForwardThenBackward() {
        MultiLayerNetwork both = gruOnly(Direction.BIDIRECTIONAL, DataType.DOUBLE);
        MultiLayerNetwork forward = gruOnly(Direction.FORWARD, DataType.DOUBLE);
        MultiLayerNetwork backward = gruOnly(Direction.BACKWARD, DataType.DOUBLE);
        for (String name : new String[]{Gru.INPUT_WEIGHTS, Gru.RECURRENT_WEIGHTS, Gru.INPUT_BIAS, Gru.RECURRENT_BIAS}) {
            forward.getLayer(0).getParam(name).assign(both.getLayer(0).getParam(name));
            backward.getLayer(0).getParam(name).assign(both.getLayer(0).getParam(Gru.REVERSE_PREFIX + name));
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS);
        INDArray out = both.output(x);
        assertEquals(forward.output(x), out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, HIDDEN), NDArrayIndex.all()));
        assertEquals(backward.output(x), out.get(NDArrayIndex.all(), NDArrayIndex.interval(HIDDEN, 2 * HIDDEN), NDArrayIndex.all()));
    }

    /** GradientCheckUtil in double precision, with the second sequence padded at its last step. */
    private static boolean gradientsMatch(org.deeplearning4j.nn.conf.layers.Layer gru, org.deeplearning4j.nn.conf.layers.Layer head,
                                          boolean perStepLabels) {
        return RecurrentGradientCheck.passes(gru, head, perStepLabels, N_IN, new double[][]{{1, 1, 1}, {1, 1, 0}});
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void gradientsMatchFiniteDifferences(Direction direction) {
        assertTrue(gradientsMatch(new Gru(HIDDEN, direction),
                new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build(), true));
    }

    @Test
    void gradientsThroughTheLastStepMatchFiniteDifferences() {
        assertTrue(gradientsMatch(new Gru(HIDDEN, Direction.BIDIRECTIONAL),
                new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build(), false));
    }

    @Test
    void lastStepIsTheLastUnmaskedStep() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new LastStep()).setInputType(InputType.recurrent(N_IN, STEPS)).build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, N_IN, STEPS);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 1}, {1, 0, 0}});
        INDArray last = net.output(x, false, mask, null);
        assertEquals(x.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(2)), last.getRow(0));
        assertEquals(x.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(0)), last.getRow(1));
        assertEquals(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)), net.output(x));
    }

    /** Noisy sine waves of random frequency and phase; the target is the next value. */
    private static DataSet sineWaves(Random random, int n, int steps) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, 1, steps);
        INDArray y = Nd4j.create(DataType.FLOAT, n, 1);
        for (int i = 0; i < n; i++) {
            double frequency = 0.1 + 0.4 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            for (int t = 0; t <= steps; t++) {
                double v = Math.sin(frequency * t + phase) + 0.05 * random.nextGaussian();
                if (t < steps) {
                    x.putScalar(i, 0, t, v);
                } else {
                    y.putScalar(i, 0, v);
                }
            }
        }
        return new DataSet(x, y);
    }

    @Test
    void forecasterReadingTheLastStepLearnsNextValueOfSineWaves() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2)).list()
                .layer(new Gru(16, Direction.FORWARD))
                .layer(new LastStep())
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build())
                .setInputType(InputType.recurrent(1, 20)).build());
        net.init();
        DataSet train = sineWaves(new Random(1), 128, 20);
        DataSet test = sineWaves(new Random(2), 128, 20);
        double before = net.score(test);
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(train);
        }
        double after = net.score(test);
        assertTrue(after < before / 5, "test MSE " + before + " -> " + after);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void savedAndLoadedNetworkGivesIdenticalOutputs(Direction direction, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = gruOnly(direction, DataType.FLOAT);
        File file = dir.resolve("gru.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, N_IN, STEPS);
        assertEquals(net.output(x), loaded.output(x));
        assertEquals(direction, ((Gru) loaded.getLayerWiseConfigurations().getConf(0).getLayer()).getDirection());
    }

    @Test
    void maskedStepsCarryTheStateAndMatchTheUnpaddedSequence() {
        MultiLayerNetwork net = gruOnly(Direction.BIDIRECTIONAL, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, N_IN, STEPS);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 0}});
        INDArray masked = net.output(x, false, mask, null);
        INDArray forward = masked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, HIDDEN), NDArrayIndex.all());
        INDArray backward = masked.get(NDArrayIndex.all(), NDArrayIndex.interval(HIDDEN, 2 * HIDDEN), NDArrayIndex.all());
        // Forward: the padded step keeps the state of step 1. Backward: the padded step is read first and leaves 0.
        assertEquals(forward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1)),
                forward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)));
        assertEquals(0.0, backward.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)).amaxNumber().doubleValue(), 0.0);
        // And the real steps equal those of the sequence without its padding (a graph for 2 steps).
        INDArray unpadded = net.output(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)));
        assertEquals(unpadded, masked.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)));
    }
}
