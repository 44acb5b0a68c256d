package dev.workbench.cpu.dense;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
 * The cached dense layer is DL4J's dense layer, only faster to train: on 64 real MNIST digits an MLP built from it
 * gives DL4J's outputs, loss, gradients and input gradient, and stays equal over Adam steps; marked as a first layer
 * it hands back no input gradient.
 */
class CachedDenseTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 64);

    /** 784 -> 64 (ELU) -> 32 (tanh) -> 10 softmax: activations whose derivatives need the pre-activation. */
    private static MultiLayerNetwork mlp(UnaryOperator<Layer> first, UnaryOperator<Layer> hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(first.apply(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.ELU).build()))
                .layer(hidden.apply(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(32).nOut(10).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork cached(boolean firstInputGradient) {
        return mlp(l -> firstInputGradient ? CachedDense.of((DenseLayer) l) : CachedDense.of((DenseLayer) l).withoutInputGradient(),
                l -> CachedDense.of((DenseLayer) l));
    }

    private static MultiLayerNetwork dl4j() {
        return mlp(l -> l, l -> l);
    }

    @Test
    void savesTheInputGradientChoice() {
        MultiLayerNetwork net = cached(false);
        assertInstanceOf(CachedDenseLayer.class, net.getLayer(1));
        MultiLayerConfiguration restored = TestWorkbench.savedAndRestored(net);
        assertEquals(false, ((CachedDense) restored.getConf(0).getLayer()).isInputGradient());
        assertEquals(true, ((CachedDense) restored.getConf(1).getLayer()).isInputGradient());
    }

    @Test
    void sameLossGradientsAndInputGradientAsDl4j() {
        MultiLayerNetwork expected = dl4j();
        MultiLayerNetwork actual = cached(true);
        actual.setParams(expected.params().dup());
        Pair<Gradient, INDArray> want = expected.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = actual.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-5);
        assertClose(want.getSecond(), got.getSecond(), 1e-5, "input gradient");
        assertClose(expected.output(DIGITS.getFeatures()), actual.output(DIGITS.getFeatures()), 1e-6, "outputs");
    }

    @Test
    void firstLayerWithoutInputGradientHandsBackNone() {
        MultiLayerNetwork expected = dl4j();
        MultiLayerNetwork actual = cached(false);
        actual.setParams(expected.params().dup());
        Pair<Gradient, INDArray> want = expected.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = actual.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertNotNull(want.getSecond());
        assertNull(got.getSecond());
        assertClose(want.getFirst().getGradientFor("0_W"), got.getFirst().getGradientFor("0_W"), 1e-5, "first layer's weights");
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork expected = dl4j();
        MultiLayerNetwork actual = cached(false);
        actual.setParams(expected.params().dup());
        double initial = actual.score(DIGITS);
        for (int step = 0; step < 5; step++) {
            expected.fit(DIGITS);
            actual.fit(DIGITS);
        }
        assertClose(expected.params(), actual.params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(actual.score(DIGITS) < 0.8 * initial, "loss " + initial + " -> " + actual.score(DIGITS));
    }

    @Test
    void rectifiedLayersStayEqualToDl4jOverTraining() {
        // ReLU and LeakyReLU hidden layers add their bias and activate in one host pass.
        UnaryOperator<Layer> relu = l -> {
            ((DenseLayer) l).setActivationFn(Activation.RELU.getActivationFunction());
            return l;
        };
        UnaryOperator<Layer> leaky = l -> {
            ((DenseLayer) l).setActivationFn(Activation.LEAKYRELU.getActivationFunction());
            return l;
        };
        MultiLayerNetwork expected = mlp(relu, leaky);
        MultiLayerNetwork actual = mlp(l -> CachedDense.of((DenseLayer) relu.apply(l)), l -> CachedDense.of((DenseLayer) leaky.apply(l)));
        actual.setParams(expected.params().dup());
        Pair<Gradient, INDArray> want = expected.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        Pair<Gradient, INDArray> got = actual.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null);
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-5);
        assertClose(want.getSecond(), got.getSecond(), 1e-5, "input gradient");
        double initial = actual.score(DIGITS);
        for (int step = 0; step < 5; step++) {
            expected.fit(DIGITS);
            actual.fit(DIGITS);
        }
        assertClose(expected.params(), actual.params(), 1e-4, "parameters after 5 Adam steps");
        assertEquals(expected.score(DIGITS), actual.score(DIGITS), 1e-5, "loss after 5 Adam steps");
        assertTrue(actual.score(DIGITS) < 0.8 * initial, "loss " + initial + " -> " + actual.score(DIGITS));
    }

    @Test
    void dropsOutItsInputAsDl4jDoes() {
        // The layer computes its own pre-activation; dropout on its input must still be drawn and applied as DL4J's.
        UnaryOperator<Layer> withDropout = l -> {
            l.setIDropout(new Dropout(0.7));
            return l;
        };
        MultiLayerNetwork expected = mlp(withDropout, l -> l);
        MultiLayerNetwork actual = mlp(l -> CachedDense.of((DenseLayer) withDropout.apply(l)), l -> CachedDense.of((DenseLayer) l));
        MultiLayerNetwork withoutDropout = dl4j();
        actual.setParams(expected.params().dup());
        withoutDropout.setParams(expected.params().dup());
        for (int step = 0; step < 3; step++) {
            for (MultiLayerNetwork net : List.of(expected, actual, withoutDropout)) {
                Nd4j.getRandom().setSeed(11 + step);
                net.fit(DIGITS);
            }
        }
        assertClose(expected.params(), actual.params(), 1e-4, "parameters after 3 Adam steps with dropout");
        double apart = withoutDropout.params().distance1(actual.params()) / actual.params().length();
        assertTrue(apart > 1e-4, "dropout changed the parameters by only " + apart + " per parameter");
    }
}
