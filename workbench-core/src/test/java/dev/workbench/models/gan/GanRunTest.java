package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.cli.WorkbenchCommand;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.report.MetricsCsv;
import dev.workbench.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GAN jobs through the one trainer: per-epoch metrics and sample grids, the report, and a bit-identical resume. */
class GanRunTest {
    private static JobSpec job(Path output, String architecture, String hyperparameters) {
        return JobFile.parse("""
                name: gan-test
                seed: 5
                dataset: {name: mnist-10k, batch_size: 32, normalization: scale, limit: 192, splits: {validation: 0.05}}
                model: {family: gan, architecture: %s, hyperparameters: %s}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.0002}}
                output: %s
                """.formatted(architecture, hyperparameters, output.toString().replace("\\", "/")), "gan-test.yaml",
                List.of());
    }

    private static JobSpec cosineJob(Path output, int gSteps, int epochs) {
        return JobFile.parse("""
                name: gan-schedule
                seed: 5
                dataset: {name: mnist-10k, batch_size: 32, normalization: scale, limit: 192, splits: {validation: 0.05}}
                model: {family: gan, architecture: dense, hyperparameters: {generator: [16], discriminator: [16], latent: 4, g_steps: %d, g_ema: 0.9}}
                training: {epochs: %d, optimizer: {type: adam, lr: 0.001}, schedule: {type: cosine}}
                output: %s
                """.formatted(gSteps, epochs, output.toString().replace("\\", "/")), "gan-schedule.yaml", List.of());
    }

    /**
     * The generator counts its own updates, g_steps a batch: its cosine curve still ends with the run (counted in
     * batches it ended half way), and a run trained on to more epochs takes the curve for the new total.
     */
    @Test
    void withTwoGeneratorStepsTheGeneratorFollowsTheJobsScheduleEpochByEpoch(@TempDir Path dir) throws Exception {
        List<EpochMetrics> once = MetricsCsv.read(TestWorkbench.quiet().train(cosineJob(dir.resolve("a"), 1, 4))
                .folder().metricsCsv());
        Workbench.Run twice = TestWorkbench.quiet().train(cosineJob(dir.resolve("b"), 2, 4));
        List<EpochMetrics> twiceMetrics = MetricsCsv.read(twice.folder().metricsCsv());
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertEquals(once.get(epoch - 1).get("lr"), twiceMetrics.get(epoch - 1).get("lr"), 1e-12, "lr of epoch " + epoch);
        }
        assertTrue(twiceMetrics.get(2).get("lr") > 1e-4, "epoch 3 of 4: " + twiceMetrics.get(2).get("lr"));

        Workbench.Run shorter = TestWorkbench.quiet().train(cosineJob(dir.resolve("c"), 2, 2));
        List<EpochMetrics> extended = MetricsCsv.read(TestWorkbench.quiet().extend(shorter.folder().root(), 4)
                .folder().metricsCsv());
        assertEquals(twiceMetrics.get(2).get("lr"), extended.get(2).get("lr"), 1e-12);
    }

    /** With g_ema, the moving average too: saved in every checkpoint, it goes on where it was. */
    @ParameterizedTest
    @ValueSource(strings = {"{filters: 4, latent: 8}", "{filters: 4, latent: 8, g_ema: 0.9}"})
    void anInterruptedDcganResumesToTheSameMetricsAndWeightsAsAnUninterruptedOne(String hyperparameters,
                                                                                 @TempDir Path dir) throws Exception {
        JobSpec job = job(dir.resolve("straight"), "dcgan", hyperparameters);
        Workbench.Run straight = TestWorkbench.quiet().train(job);

        JobSpec same = job(dir.resolve("interrupted"), "dcgan", hyperparameters);
        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(1)).train(same));
        Path partial;
        try (Stream<Path> runs = Files.list(dir.resolve("interrupted"))) {
            partial = runs.findFirst().orElseThrow();
        }
        Workbench.Run resumed = TestWorkbench.quiet().resume(partial);

        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(2, actual.size());
        for (int i = 0; i < 2; i++) {
            for (String metric : List.of("train_loss", "train_d_loss", "train_g_loss", "train_d_real", "train_d_fake",
                    "val_loss", "val_d_real", "val_d_fake", "lr")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0, "epoch " + (i + 1) + " " + metric);
            }
        }
        GanNetwork a = (GanNetwork) TestWorkbench.quiet().finished(straight.folder().root()).model();
        GanNetwork b = (GanNetwork) TestWorkbench.quiet().finished(resumed.folder().root()).model();
        assertEquals(a.generator().params(), b.generator().params());
        assertEquals(a.discriminator().params(), b.discriminator().params());
        assertEquals(a.drawingGenerator().params(), b.drawingGenerator().params());
        assertEquals(a.settings().averaged(), hyperparameters.contains("g_ema"));
        assertEquals(a.settings().averaged(), !a.drawingGenerator().params().equals(a.generator().params()),
                "with g_ema the average draws, apart from the trained generator");
        assertEquals(straight.summary().test(), resumed.summary().test());
        assertArrayEquals(Files.readAllBytes(straight.folder().plots().resolve("samples-epoch-002.png")),
                Files.readAllBytes(resumed.folder().plots().resolve("samples-epoch-002.png")));
        // workbench generate draws with the generator that draws (the average with g_ema), from model.zip.
        assertEquals(0, generate(resumed.folder().root(), dir.resolve("g.png"), "--count", "6", "--seed", "3"));
        assertEquals(b.generate(LatentNoise.of(6, 8, 3), null).reshape(6, 1, 28, 28),
                Nd4j.createFromNpyFile(dir.resolve("g.npy").toFile()));
        // That generator (its transposed convolutions as ConvTranspose) exports with parity.
        assertTrue(TestWorkbench.quiet().export(resumed.folder().root(), OnnxExporter.DEFAULT_OPSET, null, 64).parity()
                .passed());
    }

    @Test
    void aConditionalRunRecordsBothNetworksHealthAndShowsItsGridsInTheReport(@TempDir Path dir) throws Exception {
        Workbench.Run run = TestWorkbench.quiet().train(job(dir, "conditional",
                "{generator: [64], discriminator: [64], latent: 16}"));
        List<EpochMetrics> rows = MetricsCsv.read(run.folder().metricsCsv());
        assertEquals(List.of("train_loss", "train_d_fake", "train_d_loss", "train_d_real", "train_g_loss", "val_loss",
                        "val_d_loss", "val_g_loss", "val_d_real", "val_d_fake", "lr", "seconds", "samples_per_sec", "wall_seconds"),
                List.copyOf(rows.get(0).values().keySet()));
        for (EpochMetrics row : rows) {
            double real = row.get("train_d_real");
            double fake = row.get("train_d_fake");
            assertTrue(real > 0 && real < 1 && fake > 0 && fake < 1, row.toString());
            // metrics.csv keeps 8 significant digits.
            assertEquals(row.get("train_d_loss") + row.get("train_g_loss"), row.get("train_loss"), 1e-6);
        }
        assertTrue(run.summary().test().containsKey("test_d_fake"), run.summary().test().toString());
        // One row per class, eight columns: 10 rows of 28-pixel digits at three times their size, 4 pixels apart.
        var grid = javax.imageio.ImageIO.read(run.folder().plots().resolve("samples-epoch-002.png").toFile());
        assertEquals(10 * (28 * 3 + 4), grid.getHeight());
        assertEquals(8 * (28 * 3 + 4), grid.getWidth());
        String report = Files.readString(run.folder().reportHtml());
        assertTrue(report.contains("samples-epoch-001.png") && report.contains("samples-epoch-002.png"));

        // workbench generate: the same seed gives the same images, another seed others; --label fixes the class.
        Path root = run.folder().root();
        assertEquals(0, generate(root, dir.resolve("a.png"), "--count", "12", "--seed", "3"));
        assertEquals(0, generate(root, dir.resolve("b.png"), "--count", "12", "--seed", "3"));
        assertEquals(0, generate(root, dir.resolve("c.png"), "--count", "12", "--seed", "4"));
        INDArray a = Nd4j.createFromNpyFile(dir.resolve("a.npy").toFile());
        assertArrayEquals(new long[]{12, 1, 28, 28}, a.shape());
        assertTrue(a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() <= 1);
        assertEquals(a, Nd4j.createFromNpyFile(dir.resolve("b.npy").toFile()));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.png")), Files.readAllBytes(dir.resolve("b.png")));
        assertNotEquals(a, Nd4j.createFromNpyFile(dir.resolve("c.npy").toFile()));
        GanNetwork gan = (GanNetwork) TestWorkbench.quiet().finished(root).model();
        GeneratedImages sevens = GeneratedImages.write(gan, 4, 7, 3, dir.resolve("sevens.png"));
        assertArrayEquals(new int[]{7, 7, 7, 7}, sevens.classes());
        assertEquals(gan.generate(LatentNoise.of(4, 16, 3), sevens.classes()).reshape(4, 1, 28, 28),
                Nd4j.createFromNpyFile(sevens.raw().toFile()));
        assertEquals(WorkbenchCommand.BAD_INPUT, generate(root, dir.resolve("d.png"), "--label", "10"));

        // workbench export writes the generator, judged on the fixed noise with the classes in turn.
        Workbench.Export export = TestWorkbench.quiet().export(root, OnnxExporter.DEFAULT_OPSET, null, 50);
        assertTrue(export.parity().passed() && export.parity().samples() == 50, export.parity().toString());
        assertArrayEquals(new long[]{50, 784}, export.parity().outputShape());
        assertTrue(Files.exists(root.resolve("onnx-parity.json")) && Files.exists(root.resolve("model.onnx")));
        // predict and serve feed rows of a dataset: a generator's noise and label inputs are refused by name.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TestWorkbench.quiet().predictor(root, "onnx"));
        assertTrue(refused.getMessage().contains("[noise, label]") || refused.getMessage().contains("[label, noise]"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("workbench generate"), refused.getMessage());
    }

    private static int generate(Path run, Path output, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", run.toString(), "--output", output.toString()));
        args.addAll(List.of(options));
        var cli = WorkbenchCommand.commandLine();
        cli.setOut(new java.io.PrintWriter(java.io.OutputStream.nullOutputStream()));
        cli.setErr(new java.io.PrintWriter(java.io.OutputStream.nullOutputStream()));
        return cli.execute(args.toArray(String[]::new));
    }
}
