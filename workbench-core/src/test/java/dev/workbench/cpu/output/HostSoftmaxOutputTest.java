package dev.workbench.cpu.output;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The host softmax output layer is DL4J's softmax MCXENT output layer, only faster to train: on 100 real MNIST
 * digits a 784-64-10 network ending in it gives DL4J's loss, every gradient and the input gradient, and stays with
 * DL4J's over Adam steps; the substitution step puts it only where it fits and takes it back out.
 */
class HostSoftmaxOutputTest {
    private static final DataSet DIGITS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 100, new SplitSpec(0.1, null), "scale", List.of()), 4,
            DataLocations.fromEnvironment()).train(), 100);

    private static MultiLayerNetwork mlp(UnaryOperator<OutputLayer> output) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.TANH).build())
                .layer(output.apply(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(64).nOut(10).build()))
                .build());
        net.init();
        return net;
    }

    /** Loss and gradients of one training step's computation, DL4J's way (backprop, then the score). */
    private static Gradient gradientAndScore(MultiLayerNetwork net) {
        net.setInput(DIGITS.getFeatures());
        net.setLabels(DIGITS.getLabels());
        net.computeGradientAndScore();
        return net.gradient();
    }

    @Test
    void sameLossGradientsAndInputGradientAsDl4j() {
        MultiLayerNetwork expected = mlp(l -> l);
        MultiLayerNetwork actual = mlp(HostSoftmaxOutput::of);
        actual.setParams(expected.params().dup());
        assertInstanceOf(HostSoftmaxOutputLayer.class, actual.getOutputLayer());
        Gradient want = gradientAndScore(expected);
        Gradient got = gradientAndScore(actual);
        assertEquals(expected.score(), actual.score(), 1e-6 * expected.score(), "loss");
        assertSameGradients(want, got, 1e-5);
        assertClose(expected.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getSecond(),
                actual.calculateGradients(DIGITS.getFeatures(), DIGITS.getLabels(), null, null).getSecond(), 1e-5,
                "input gradient");
        assertClose(expected.output(DIGITS.getFeatures()), actual.output(DIGITS.getFeatures()), 1e-6, "outputs");
    }

    @Test
    void aConfidentWrongClassIsClippedAsDl4jClipsIt() {
        // Large weights push some probabilities below DL4J's clip (1e-10), where the loss reads the clipped value.
        MultiLayerNetwork expected = mlp(l -> l);
        expected.getOutputLayer().getParam("W").muli(400);
        MultiLayerNetwork actual = mlp(HostSoftmaxOutput::of);
        actual.setParams(expected.params().dup());
        Gradient want = gradientAndScore(expected);
        Gradient got = gradientAndScore(actual);
        assertTrue(expected.score() > 5, "some digits confidently wrong: loss " + expected.score());
        assertEquals(expected.score(), actual.score(), 1e-6 * expected.score(), "loss");
        assertSameGradients(want, got, 1e-5);
    }

    @Test
    void staysEqualToDl4jOverAdamSteps() {
        MultiLayerNetwork expected = mlp(l -> l);
        MultiLayerNetwork actual = mlp(HostSoftmaxOutput::of);
        actual.setParams(expected.params().dup());
        double initial = expected.score(DIGITS);
        for (int step = 0; step < 5; step++) {
            expected.fit(DIGITS);
            actual.fit(DIGITS);
            assertEquals(expected.score(), actual.score(), 1e-5 * expected.score(), "loss at step " + step);
        }
        assertClose(expected.params(), actual.params(), 1e-4, "parameters after 5 Adam steps");
        assertEquals(expected.score(DIGITS), actual.score(DIGITS), 1e-5, "loss after 5 Adam steps");
        assertTrue(actual.score(DIGITS) < 0.8 * initial, "loss " + initial + " -> " + actual.score(DIGITS));
    }

    @Test
    void theSubstitutionSwapsOnlySoftmaxCrossEntropyAndGivesItBack() {
        MultiLayerNetwork fast = ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(mlp(l -> l)))).net();
        assertInstanceOf(HostSoftmaxOutput.class, fast.getLayerWiseConfigurations().getConf(1).getLayer());
        MultiLayerNetwork plain = ((SequentialNetwork) CpuTraining.plain(new SequentialNetwork(fast))).net();
        assertSame(OutputLayer.class, plain.getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        assertFalse(plain.getLayerWiseConfigurations().toJson().contains("dev.workbench"));

        MultiLayerNetwork weighted = mlp(l -> {
            l.setLossFn(new LossMCXENT(org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 10)));
            return l;
        });
        MultiLayerNetwork squared = mlp(l -> {
            l.setLossFn(new LossMSE());
            return l;
        });
        for (MultiLayerNetwork other : List.of(weighted, squared)) {
            MultiLayerNetwork kept = ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(other))).net();
            assertSame(OutputLayer.class, kept.getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        }
    }
}
