package dev.workbench.models.gan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import dev.workbench.report.MetricsCsv;
import dev.workbench.train.EpochMetrics;
import dev.workbench.train.ProgressReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Inception Score and Fréchet distance on cases with known answers, and both per epoch of a GAN run. */
class GanScoreTest {
    @Test
    void theInceptionScoreIsOneForAlikePredictionsAndKForOneHotOnesSpreadOverKClasses() {
        assertEquals(1.0, InceptionScore.of(Nd4j.valueArrayOf(new long[]{40, 10}, 0.1, DataType.FLOAT)), 1e-6);
        INDArray alike = Nd4j.create(new float[][]{{0.7f, 0.2f, 0.1f}, {0.7f, 0.2f, 0.1f}});
        assertEquals(1.0, InceptionScore.of(alike), 1e-6);
        int[] classes = new int[40];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = i % 4;
        }
        assertEquals(4.0, InceptionScore.of(LatentNoise.oneHot(classes, 10)), 1e-5);
        // Confident but all one class: nothing is spread, so 1.
        assertEquals(1.0, InceptionScore.of(LatentNoise.oneHot(new int[]{3, 3, 3}, 10)), 1e-6);
    }

    @Test
    void theFrechetDistanceMatchesTheClosedFormForKnownGaussians() {
        // S1 = [[2, 1], [1, 2]] has eigenvalues 3 and 1, S2 = I: Tr(S1 + S2 - 2 sqrt(S1)) = 4 + 2 - 2 (sqrt 3 + 1).
        FeatureGaussian a = new FeatureGaussian(new ArrayRealVector(new double[]{1, 2}),
                new Array2DRowRealMatrix(new double[][]{{2, 1}, {1, 2}}));
        FeatureGaussian b = new FeatureGaussian(new ArrayRealVector(new double[]{0, 0}),
                new Array2DRowRealMatrix(new double[][]{{1, 0}, {0, 1}}));
        double expected = 1 + 4 + 4 + 2 - 2 * (Math.sqrt(3) + 1);
        assertEquals(expected, a.frechetDistance(b), 1e-9);
        assertEquals(expected, b.frechetDistance(a), 1e-9);
        assertEquals(0, a.frechetDistance(a), 1e-9);
    }

    @Test
    void fitsOfSamplesGiveAboutZeroWithThemselvesAndTheClosedFormBetweenTwoGaussians() {
        INDArray x = gaussianSample(20_000, new double[]{0, 0, 0}, new double[]{1, 4, 9}, 1);
        INDArray y = gaussianSample(20_000, new double[]{1, -1, 2}, new double[]{4, 1, 1}, 2);
        FeatureGaussian fx = FeatureGaussian.fit(x);
        assertEquals(0, fx.frechetDistance(fx), 1e-8);
        // Diagonal covariances: |mu1 - mu2|^2 + sum (sigma1 - sigma2)^2 = 6 + (1 + 1 + 4).
        assertEquals(12.0, fx.frechetDistance(FeatureGaussian.fit(y)), 0.3);
        assertThrows(IllegalArgumentException.class, () -> FeatureGaussian.fit(x.getRow(0, true)));
    }

    private static INDArray gaussianSample(int n, double[] mean, double[] variance, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][mean.length];
        for (double[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                row[j] = mean[j] + Math.sqrt(variance[j]) * random.nextGaussian();
            }
        }
        return Nd4j.create(rows);
    }

    @Test
    void aRunNamingAReferenceClassifierRecordsBothScoresPerEpochAndOneWithoutSaysHowToGetThem(@TempDir Path dir)
            throws Exception {
        Workbench.Run reference = TestWorkbench.quiet().train(JobFile.parse("""
                name: reference
                seed: 3
                dataset: {name: mnist-10k, batch_size: 32, normalization: scale, limit: 256, splits: {validation: 0.1}}
                model: {family: cnn, architecture: lenet5, hyperparameters: {conv1_filters: 4, conv2_filters: 4, dense: 16}}
                training: {epochs: 1, optimizer: {type: adam, lr: 0.002}}
                output: %s
                """.formatted(path(dir.resolve("ref"))), "reference.yaml", List.of()));
        String gan = """
                name: scored
                seed: 5
                dataset: {name: mnist-10k, batch_size: 32, normalization: scale, limit: 128, splits: {validation: 0.05}}
                model: {family: gan, architecture: dense, hyperparameters: {generator: [32], discriminator: [32], latent: 8%s}}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.0002}}
                output: %s
                """;
        Workbench.Run scored = TestWorkbench.quiet().train(JobFile.parse(gan.formatted(
                ", reference_run: " + path(reference.folder().root()) + ", score_samples: 60", path(dir.resolve("gan"))),
                "gan.yaml", List.of()));
        for (EpochMetrics row : MetricsCsv.read(scored.folder().metricsCsv())) {
            double is = row.get("val_inception_score");
            assertTrue(is >= 1 && is <= 10, row.toString());
            assertTrue(row.get("val_frechet_distance") > 0, row.toString());
        }
        assertTrue(scored.summary().test().containsKey("test_frechet_distance"), scored.summary().test().toString());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Workbench.Run unscored = TestWorkbench.with(new ProgressReporter.Lines(new PrintStream(printed, true, UTF_8)))
                .train(JobFile.parse(gan.formatted("", path(dir.resolve("plain"))), "gan.yaml", List.of()));
        assertEquals(List.of("warning: " + GanObjective.NO_SCORE), printed.toString(UTF_8).lines()
                .filter(line -> line.startsWith("warning:")).toList());
        assertFalse(MetricsCsv.read(unscored.folder().metricsCsv()).get(0).values().containsKey("val_inception_score"));

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> TestWorkbench.quiet()
                .train(JobFile.parse(gan.formatted(", reference_run: " + path(dir.resolve("nowhere")),
                        path(dir.resolve("bad"))), "gan.yaml", List.of())));
        assertTrue(missing.getMessage().startsWith("model.hyperparameters.reference_run: "), missing.getMessage());
    }

    private static String path(Path p) {
        return p.toString().replace("\\", "/");
    }
}
