package dev.workbench.cpu.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.train.SequentialNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The one-pass Adam step is DL4J's three passes (minibatch division, Adam, the step function's subtraction) over
 * the same network: on 100 real MNIST digits (a batch size whose division is not exact) the parameters and the
 * Adam state agree bit for bit over several steps, with a fixed or scheduled learning rate; with clipping, weight
 * decay, L2 or another updater in a block the network takes DL4J's own step and still trains as DL4J's does.
 */
class OnePassAdamDescentTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 100, new SplitSpec(0.1, null), "scale", List.of()), 4,
            DataLocations.fromEnvironment()).train(), 100);
    private static final int STEPS = 6;

    /** 784 -> 64 -> 32 -> 10 ReLU MLP with softmax cross-entropy, trained by {@code adam}, settings added by {@code settings}. */
    private static MultiLayerNetwork mlp(UnaryOperator<NeuralNetConfiguration.Builder> settings) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2));
        MultiLayerNetwork net = new MultiLayerNetwork(settings.apply(builder).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(32).nOut(10).build())
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork fast(MultiLayerNetwork plain) {
        return ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(plain))).net();
    }

    /** The same fast layers and CpuAdam, stepping through DL4J's optimizer (what a loaded model.zip does). */
    private static MultiLayerNetwork threePasses(MultiLayerNetwork fast) {
        MultiLayerNetwork copy = new MultiLayerNetwork(fast.getLayerWiseConfigurations().clone());
        copy.init(fast.params().dup(), true);
        copy.getUpdater(true).setStateViewArray(copy, fast.getUpdater(true).getStateViewArray().dup(), false);
        return copy;
    }

    private static long onePassSteps(MultiLayerNetwork net) {
        return assertInstanceOf(OnePassAdamDescent.class, net.getOptimizer()).onePassSteps();
    }

    /** Trains both networks side by side and asserts equal parameters and optimizer state, bit for bit, each step. */
    private static void assertSameSteps(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        assertSameSteps(List.of(expected, actual));
    }

    /** Trains the networks side by side, asserting the first's loss, parameters and optimizer state in every other. */
    private static void assertSameSteps(List<MultiLayerNetwork> nets) {
        MultiLayerNetwork expected = nets.get(0);
        for (int step = 0; step < STEPS; step++) {
            nets.forEach(net -> net.fit(DIGITS));
            for (MultiLayerNetwork actual : nets.subList(1, nets.size())) {
                assertEquals(expected.score(), actual.score(), 0.0, "loss at step " + step);
                assertArrayEquals(expected.params().toFloatVector(), actual.params().toFloatVector(),
                        "parameters after step " + step);
                assertArrayEquals(expected.getUpdater().getStateViewArray().toFloatVector(),
                        actual.getUpdater().getStateViewArray().toFloatVector(), "Adam's m and v after step " + step);
            }
        }
    }

    @Test
    void oneCpuAdamPassGivesDl4jsThreePassesBitForBit() {
        MultiLayerNetwork onePass = fast(mlp(b -> b));
        MultiLayerNetwork reference = threePasses(onePass);
        assertSameSteps(reference, onePass);
        assertEquals(STEPS, onePassSteps(onePass));
        assertEquals(STEPS, onePass.getIterationCount());
    }

    @Test
    void aScheduledLearningRateStepsAsDl4jSteps() {
        MultiLayerNetwork onePass = fast(mlp(b -> b.updater(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, 0.02, 0.7)))));
        MultiLayerNetwork reference = threePasses(onePass);
        assertSameSteps(reference, onePass);
        assertEquals(STEPS, onePassSteps(onePass));
    }

    @Test
    void aSavedNetworkResumesBitForBitThroughEitherOptimizer(@TempDir Path dir) throws Exception {
        SequentialNetwork onePass = new SequentialNetwork(fast(mlp(b -> b)));
        for (int step = 0; step < 3; step++) {
            onePass.fit(DIGITS);
        }
        MultiLayerNetwork loaded = ((SequentialNetwork) TestWorkbench.savedAndLoaded(onePass, dir.resolve("net.zip"))).net();
        MultiLayerNetwork resumed = fast(threePasses(loaded));
        assertSameSteps(List.of(onePass.net(), loaded, resumed));
        assertEquals(STEPS, onePassSteps(resumed));
    }

    @Test
    void clippingTakesDl4jsStepAndStillTrainsAsDl4j() {
        assertTakesDl4jsStep(b -> b.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(1e-3));
    }

    @Test
    void l2TakesDl4jsStepAndStillTrainsAsDl4j() {
        assertTakesDl4jsStep(b -> b.l2(1e-2));
    }

    @Test
    void weightDecayTakesDl4jsStepAndStillTrainsAsDl4j() {
        assertTakesDl4jsStep(b -> b.weightDecay(1e-2));
    }

    @Test
    void anotherUpdaterInOneBlockTakesDl4jsStep() {
        assertTakesDl4jsStep(b -> b.biasUpdater(new Sgd(0.1)));
    }

    /**
     * With {@code settings}, the fast network takes DL4J's step (no pass of its own) and trains as the same network
     * through DL4J's optimizer, and within float rounding as DL4J's own layers with DL4J's Adam.
     */
    private static void assertTakesDl4jsStep(UnaryOperator<NeuralNetConfiguration.Builder> settings) {
        MultiLayerNetwork dl4j = mlp(settings);
        MultiLayerNetwork onePass = fast(dl4j.clone());
        MultiLayerNetwork reference = threePasses(onePass);
        assertSameSteps(reference, onePass);
        assertEquals(0, onePassSteps(onePass));
        for (int step = 0; step < STEPS; step++) {
            dl4j.fit(DIGITS);
        }
        assertTrue(dl4j.params().equalsWithEps(onePass.params(), 1e-4), "parameters after " + STEPS + " steps");
    }

    @Test
    void followsDl4jsOwnLayersAndAdamWithinFloatRounding() {
        MultiLayerNetwork dl4j = mlp(b -> b);
        MultiLayerNetwork onePass = fast(dl4j.clone());
        for (int step = 0; step < STEPS; step++) {
            dl4j.fit(DIGITS);
            onePass.fit(DIGITS);
            assertEquals(dl4j.score(), onePass.score(), 1e-5 * dl4j.score(), "loss at step " + step);
        }
        assertEquals(STEPS, onePassSteps(onePass));
        assertTrue(dl4j.params().equalsWithEps(onePass.params(), 1e-4), "parameters after " + STEPS + " steps");
        assertTrue(dl4j.getUpdater().getStateViewArray().equalsWithEps(onePass.getUpdater().getStateViewArray(), 1e-5),
                "Adam state after " + STEPS + " steps");
    }
}
