package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbench.train.LearningRateCurve.Shape;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;

class LearningRateCurveTest {
    @Test
    void warmUpRisesLinearlyToTheBaseRate() {
        LearningRateCurve curve = new LearningRateCurve(Shape.CONSTANT, 0.1, 10, 100, 1, 1, 0);
        assertEquals(0.01, curve.valueAt(0, 0), 1e-12);
        assertEquals(0.05, curve.valueAt(4, 0), 1e-12);
        assertEquals(0.1, curve.valueAt(9, 0), 1e-12);
        assertEquals(0.1, curve.valueAt(50, 3), 1e-12);
    }

    @Test
    void stepDecayMultipliesByGammaEveryStep() {
        LearningRateCurve curve = new LearningRateCurve(Shape.STEP, 0.1, 0, 100, 20, 0.5, 0);
        assertEquals(0.1, curve.valueAt(19, 0), 1e-12);
        assertEquals(0.05, curve.valueAt(20, 1), 1e-12);
        assertEquals(0.025, curve.valueAt(45, 2), 1e-12);
    }

    @Test
    void cosineFallsFromBaseToMinimumAfterWarmUp() {
        LearningRateCurve curve = new LearningRateCurve(Shape.COSINE, 0.1, 10, 110, 1, 1, 0.001);
        assertEquals(0.1, curve.valueAt(10, 1), 1e-12);
        assertEquals(0.001 + 0.5 * 0.099, curve.valueAt(60, 5), 1e-12);
        assertEquals(0.001, curve.valueAt(110, 11), 1e-12);
        assertEquals(0.001, curve.valueAt(500, 50), 1e-12);
    }

    @Test
    void curveSurvivesTheNetworkSaveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        LearningRateCurve curve = new LearningRateCurve(Shape.COSINE, 0.02, 5, 50, 1, 1, 0.0);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam(curve)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(3).nOut(2).build())
                .build());
        net.init();
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        Adam adam = (Adam) restored.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W");
        assertEquals(curve.valueAt(20, 2), adam.getLearningRateSchedule().valueAt(20, 2), 1e-15);
    }
}
