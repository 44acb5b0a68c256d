package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The moving average of a generator's parameters against the same average computed by hand. */
class GeneratorAverageTest {
    /** A generator of 2 inputs and 3 outputs: 6 weights and 3 biases. */
    private static MultiLayerNetwork tiny() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .list().layer(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build()).build());
        net.init();
        return net;
    }

    @Test
    void afterKUpdatesEachParameterIsTheHandComputedExponentialAverage() {
        MultiLayerNetwork generator = tiny();
        double[][] steps = {
                {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.0, 1.0, -1.0},
                {1.5, 0.5, -0.5, 2.0, 0.25, -0.75, 0.5, 0.5, 0.5},
                {-1.0, -1.0, 2.0, 0.0, 3.0, 1.0, -2.0, 0.125, 4.0}};
        double decay = 0.9;
        double[] expected = generator.params().toDoubleVector();
        GeneratorAverage average = GeneratorAverage.startingAt(generator, decay);
        for (double[] step : steps) {
            generator.setParams(Nd4j.createFromArray(step).castTo(DataType.FLOAT).reshape(1, step.length));
            average.update(generator);
            for (int i = 0; i < expected.length; i++) {
                expected[i] = decay * expected[i] + (1 - decay) * step[i];
            }
        }
        assertArrayEquals(expected, average.network().params().toDoubleVector(), 1e-6);
        // The shadow draws with the averaged parameters, not the generator's.
        var input = Nd4j.createFromArray(new float[][]{{0.5f, -1f}});
        assertNotEquals(generator.output(input), average.network().output(input));
        generator.setParams(average.network().params().dup());
        assertArrayEquals(generator.output(input).toDoubleVector(), average.network().output(input).toDoubleVector(), 0);
    }

    @Test
    void theAverageStartsAsACopyThatTheGeneratorsLaterUpdatesDoNotReachUntilItsOwnUpdate() {
        MultiLayerNetwork generator = tiny();
        double[] start = generator.params().toDoubleVector();
        GeneratorAverage average = GeneratorAverage.startingAt(generator, 0.5);
        generator.params().addi(1);
        assertArrayEquals(start, average.network().params().toDoubleVector(), 0);
        average.update(generator);
        for (int i = 0; i < start.length; i++) {
            start[i] += 0.5;
        }
        assertArrayEquals(start, average.network().params().toDoubleVector(), 1e-6);
    }

    @Test
    void aDecayOutsideTheOpenUnitIntervalIsRefused() {
        for (double decay : new double[]{0, 1, -0.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> GeneratorAverage.startingAt(tiny(), decay));
        }
    }
}
