package dev.workbench.cpu.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.dense.MlpFactory;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.LearningRateCurve;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class CpuAdamTest {
    // Warm-up then cosine decay, so the step size changes every iteration.
    private static final LearningRateCurve CURVE = new LearningRateCurve(LearningRateCurve.Shape.COSINE, 0.05, 3, 12, 1, 1, 0.001);

    private static DataSplits iris(JobSpec job) {
        return DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(), DataLocations.fromEnvironment());
    }

    /** A small ReLU MLP on iris trained by plain SGD: its gradients are the real inputs both updaters see. */
    private static MultiLayerNetwork gradientSource(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(16).nOut(3).build())
                .build());
        net.init();
        return net;
    }

    /** Runs DL4J's Adam and CpuAdam side by side on the network's gradients for several iterations. */
    private static void assertUpdatesMatchDl4j(DataType type, int viewOffset, Path dir) {
        DataSet batch = TestWorkbench.firstRows(iris(TestWorkbench.irisJob(dir)).train(), 32);
        batch = new DataSet(batch.getFeatures().castTo(type), batch.getLabels().castTo(type));
        MultiLayerNetwork net = gradientSource(type);
        long n = net.numParams();
        INDArray dl4jState = Nd4j.zeros(type, 1, 2 * n);
        GradientUpdater<?> dl4j = new Adam(CURVE).instantiate(dl4jState, true);
        // Our state and gradient sit at an offset inside larger buffers, as in a multi-block DL4J updater.
        INDArray stateBuffer = Nd4j.zeros(type, 1, 2 * n + viewOffset);
        INDArray ourState = stateBuffer.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(viewOffset, viewOffset + 2 * n));
        GradientUpdater<?> ours = new CpuAdam(CURVE).instantiate(ourState, true);
        for (int iteration = 0; iteration < 8; iteration++) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
            INDArray expected = net.gradient().gradient().dup();
            INDArray gradientBuffer = Nd4j.zeros(type, 1, n + viewOffset);
            INDArray actual = gradientBuffer.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(viewOffset, viewOffset + n));
            actual.assign(expected);
            assertTrue(expected.amaxNumber().doubleValue() > 0, "a real, non-zero gradient");

            dl4j.applyUpdater(expected, iteration, iteration / 4);
            ours.applyUpdater(actual, iteration, iteration / 4);
            assertClose(expected, actual, "update at iteration " + iteration);
            assertClose(dl4jState, ourState, "m and v after iteration " + iteration);
            net.fit(batch);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double[] e = expected.toDoubleVector();
        double[] a = actual.toDoubleVector();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            double tolerance = 1e-6 * Math.max(Math.abs(e[i]), Math.abs(a[i]));
            assertEquals(e[i], a[i], tolerance, what + ", element " + i);
        }
    }

    @Test
    void updatesMatchDl4jAdamOnRealGradientsWithAScheduledLearningRate(@TempDir Path dir) {
        assertUpdatesMatchDl4j(DataType.FLOAT, 5, dir);
    }

    @Test
    void doubleArraysTakeTheNativeOpAndStillMatchDl4j(@TempDir Path dir) {
        assertUpdatesMatchDl4j(DataType.DOUBLE, 0, dir);
    }

    @Test
    void savedNetworkKeepsItsAdamStateAndContinuesIdentically(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir, "model.hyperparameters.dropout=0.0");
        DataSplits data = iris(job);
        MlpFactory factory = new MlpFactory();
        Network original = CpuTraining.forTraining(factory.build(new ModelContext(data.info(),
                Hyperparameters.resolve(factory.hyperparameters(), job.model().hyperparameters()),
                new BaseConfiguration(job.seed(), job.training(), 6))));
        for (int i = 0; i < 10; i++) {
            original.fit(data.train());
        }
        Path file = dir.resolve("net.zip");
        Network restored = TestWorkbench.savedAndLoaded(original, file);

        MultiLayerNetwork restoredNet = ((SequentialNetwork) restored).net();
        assertInstanceOf(CpuAdam.class, restoredNet.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"));
        assertEquals(((SequentialNetwork) original).net().getUpdater().getStateViewArray(),
                restoredNet.getUpdater().getStateViewArray());
        for (int i = 0; i < 5; i++) {
            original.fit(data.train());
            restored.fit(data.train());
            assertEquals(original.score(), restored.score(), 0.0, "step " + i);
        }
    }

    @Test
    void theCpuSubstitutionTrainsTheJobsAdamWithCpuAdam(@TempDir Path dir) {
        assertTrue(Nd4j.getEnvironment().isCPU(), "tests run on nd4j-native");
        JobSpec job = TestWorkbench.irisJob(dir);
        MultiLayerNetwork plain = new MultiLayerNetwork(new BaseConfiguration(1, job.training(), 6).builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(4).nOut(3).build())
                .build());
        plain.init();
        MultiLayerNetwork net = ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(plain))).net();
        CpuAdam adam = assertInstanceOf(CpuAdam.class, net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"));
        assertEquals(0.02, adam.getLearningRate(6, 1), 1e-12, "the job's lr after its one warm-up epoch");
    }
}
