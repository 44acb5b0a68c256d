package dev.workbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.Task;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.onnx.OnnxParityCheck;
import dev.workbench.models.autoencoder.VariationalNetwork;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The autoencoder family: shapes, learning on real digits, save/load, export, anomaly scoring. */
class AutoencoderTest {
    private static final DataSplits LABELLED = DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, 0.2), "scale", List.of()), 1, DataLocations.fromEnvironment());
    private static final DataSplits MNIST = ModelRegistry.builtIn().get("autoencoder", "dense").objective(LABELLED.info())
            .prepare(LABELLED);

    private static Network build(String architecture, Map<String, Object> hp) {
        ModelFactory factory = ModelRegistry.builtIn().get("autoencoder", architecture);
        return factory.build(new ModelContext(MNIST.info(), Hyperparameters.resolve(factory.hyperparameters(), hp),
                new BaseConfiguration(3, new TrainingSpec(2, null, null, null, null, null), 10)));
    }


    @Test
    void reconstructionTargetsAreTheInputs() {
        assertEquals(Task.REGRESSION, MNIST.info().task());
        assertEquals(784, MNIST.info().labels().size());
        assertEquals(MNIST.test().getFeatures(), MNIST.test().getLabels());
    }

    @Test
    void encoderIsMirroredAndOutputsTheInputSize() {
        Network ae = build("dense", Map.of("encoder", List.of(32, 8)));
        long expected = (784 * 32 + 32) + (32 * 8 + 8) + (8 * 32 + 32) + (32 * 784 + 784);
        assertEquals(expected, ae.parameterCount());
        assertArrayEquals(new long[]{5, 784}, ae.output(TestWorkbench.firstRows(MNIST.test(), 5).getFeatures()).shape());
    }

    @Test
    void bothVariantsLearnToReconstructRealDigits() {
        for (String architecture : List.of("dense", "denoising")) {
            Network ae = build(architecture, Map.of("encoder", List.of(64, 16)));
            DataSet batch = TestWorkbench.firstRows(MNIST.train(), 256);
            ae.fit(batch);
            double first = ae.score();
            for (int i = 0; i < 60; i++) {
                ae.fit(batch);
            }
            assertTrue(ae.score() < 0.6 * first, architecture + ": loss " + first + " -> " + ae.score());
        }
    }

    @Test
    void gaussianCorruptionIsOffAtInference() {
        Network ae = build("denoising", Map.of("noise", "gaussian", "noise_level", 0.5));
        var x = TestWorkbench.firstRows(MNIST.test(), 8).getFeatures();
        assertEquals(ae.output(x), ae.output(x));
    }

    @Test
    void sparsityPenaltyQuietsTheCodeAndTheReconstructionStillExports(@TempDir Path dir) throws Exception {
        double[] activity = new double[2];
        double[] sparsities = {0.0, 0.05};
        Network sparse = null;
        for (int k = 0; k < 2; k++) {
            sparse = build("sparse", Map.of("encoder", List.of(64, 32), "sparsity", sparsities[k]));
            DataSet batch = TestWorkbench.firstRows(MNIST.train(), 256);
            for (int i = 0; i < 60; i++) {
                sparse.fit(batch);
            }
            var graph = ((dev.workbench.train.GraphNetwork) sparse).graph();
            activity[k] = graph.feedForward(TestWorkbench.firstRows(MNIST.test(), 200).getFeatures(), false).get("encoder1")
                    .amean().getDouble(0);
        }
        assertTrue(activity[1] < 0.5 * activity[0], "mean |code| without / with the penalty: " + activity[0] + " / " + activity[1]);

        var x = TestWorkbench.firstRows(MNIST.test(), 32).getFeatures();
        assertArrayEquals(new long[]{32, 784}, sparse.output(x).shape());
        ModelArchive archive = ModelRegistry.builtIn().get("autoencoder", "sparse").archive(LABELLED.info());
        archive.save(sparse, dir.resolve("sparse.zip"));
        assertEquals(sparse.output(x), archive.load(dir.resolve("sparse.zip")).output(x));
        byte[] model = new dev.workbench.onnx.OnnxExporter(dev.workbench.onnx.ExportRules.standard()).export(
                ((dev.workbench.train.GraphNetwork) sparse).graph(), MNIST.info().input(),
                dev.workbench.onnx.ModelMetadata.of("sparse", MNIST.info(), null), 17).toByteArray();
        try (var onnx = dev.workbench.onnx.OnnxRuntimeModel.load(model)) {
            var report = OnnxParityCheck.compare(sparse, onnx, x);
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff());
            assertEquals(784, report.outputShape()[1]);
        }
    }

    @Test
    void variationalAutoencoderLowersItsNegativeElboAndReconstructs() {
        Network vae = build("variational", Map.of("encoder", List.of(64), "decoder", List.of(64), "latent", 2));
        assertTrue(vae instanceof VariationalNetwork);
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 256);
        vae.fit(batch);
        double first = vae.score();
        for (int i = 0; i < 60; i++) {
            vae.fit(batch);
        }
        assertTrue(vae.score() < 0.8 * first, "negative ELBO " + first + " -> " + vae.score());
        var x = TestWorkbench.firstRows(MNIST.test(), 4).getFeatures();
        assertArrayEquals(new long[]{4, 784}, vae.output(x).shape());
        assertArrayEquals(new long[]{4, 2}, ((VariationalNetwork) vae).encode(x).shape());
        double outMin = vae.output(x).minNumber().doubleValue();
        double outMax = vae.output(x).maxNumber().doubleValue();
        assertTrue(outMin >= 0 && outMax <= 1, "Bernoulli means lie in [0,1]: " + outMin + ".." + outMax);
    }

    @Test
    void variationalAutoencoderSavesLoadsAndDrawsItsPlots(@TempDir Path dir) throws Exception {
        Network vae = build("variational", Map.of("encoder", List.of(32), "decoder", List.of(32), "latent", 2));
        vae.fit(TestWorkbench.firstRows(MNIST.train(), 128));
        ModelArchive archive = ModelRegistry.builtIn().get("autoencoder", "variational").archive(LABELLED.info());
        archive.save(vae, dir.resolve("vae.zip"));
        Network loaded = archive.load(dir.resolve("vae.zip"));
        assertTrue(loaded instanceof VariationalNetwork);
        var x = TestWorkbench.firstRows(MNIST.test(), 6).getFeatures();
        assertEquals(vae.output(x), loaded.output(x));

        int[] classes = dev.workbench.data.StratifiedSplit.classesOf(LABELLED.test());
        List<Path> plots = archive.objective().plots(loaded, MNIST, classes, dir);
        assertEquals(List.of("reconstructions.png", "samples.png", "latent.png"),
                plots.stream().map(p -> p.getFileName().toString()).toList());
        for (Path plot : plots) {
            assertTrue(ImageIO.read(plot.toFile()).getWidth() > 200, plot.toString());
        }
    }

    @Test
    void variationalAutoencoderExportsItsReconstructionForBothLikelihoods() {
        for (String likelihood : List.of("bernoulli", "gaussian")) {
            Network vae = build("variational", Map.of("encoder", List.of(32, 16), "decoder", List.of(16, 32), "latent", 3,
                    "reconstruction", likelihood));
            for (int i = 0; i < 20; i++) {
                vae.fit(TestWorkbench.firstRows(MNIST.train(), 128));
            }
            byte[] model = new dev.workbench.onnx.OnnxExporter(dev.workbench.onnx.ExportRules.standard()).export(
                    (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) vae.model(), MNIST.info().input(),
                    dev.workbench.onnx.ModelMetadata.of("vae", MNIST.info(), null), 17).toByteArray();
            try (var onnx = dev.workbench.onnx.OnnxRuntimeModel.load(model)) {
                var report = OnnxParityCheck.compare(vae, onnx, TestWorkbench.firstRows(MNIST.test(), 64).getFeatures());
                assertTrue(report.passed(), likelihood + ": max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
                assertEquals(784, report.outputShape()[1]);
            }
        }
    }

    @Test
    void anomalyJobTrainsOnNormalDigitsAndScoresTheOthers(@TempDir Path dir) throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        var job = JobFile.parse("""
                name: anomaly
                dataset: {name: mnist-10k, batch_size: 64, normalization: scale, train_classes: [0, 1], splits: {validation: 0.1}}
                model: {family: autoencoder, architecture: dense, hyperparameters: {encoder: [64, 8]}}
                training: {epochs: 3, optimizer: {lr: 0.002}, early_stopping: {metric: val_mse, patience: 5}}
                output: %s
                """.formatted(dir.toString().replace("\\", "/")), "anomaly.yaml", List.of());
        Workbench.Run run = workbench.train(job);
        double auc = run.summary().test().get("test_anomaly_auc");
        assertTrue(auc > 0.7, "digits 2-9 against an autoencoder of 0s and 1s: AUC " + auc);
        assertTrue(ImageIO.read(run.folder().plots().resolve("reconstructions.png").toFile()).getWidth() > 280);
        assertTrue(Files.readString(run.folder().reportHtml()).contains("test_anomaly_auc"));

        Workbench.Export export = workbench.export(run.folder().root(), 17, null, 64);
        OnnxParityCheck.Report parity = export.parity();
        assertTrue(parity.passed(), "max abs " + parity.maxAbsDiff());
        assertEquals(784, parity.outputShape()[1]);
    }
}
