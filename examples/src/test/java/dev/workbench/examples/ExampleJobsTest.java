package dev.workbench.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.ModelRegistry;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.train.ProgressReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example job under examples/jobs trains end to end at reduced size (3 epochs, fewer training images; 30
 * epochs of a graph job).
 */
class ExampleJobsTest {
    private static final Path ROOT = Path.of(System.getProperty("workbench.root", ".."));
    /** Datasets of 60,000 training images: a full epoch of each job would take minutes. */
    private static final Set<String> FULL_SIZE_IMAGES = Set.of("mnist", "fashion-mnist");

    @TempDir
    Path output;

    private static Workbench workbench() {
        return new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(), DataLocations.fromEnvironment(),
                new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleJobTrainsAtReducedSize() throws IOException {
        List<Path> jobs;
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/jobs"))) {
            jobs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        // -Dworkbench.exampleJobs=shakespeare-char-gpt trains only the jobs whose file name contains it.
        String only = System.getProperty("workbench.exampleJobs", "");
        jobs = jobs.stream().filter(p -> p.getFileName().toString().contains(only)).toList();
        assertTrue(only.isEmpty() ? jobs.size() >= 2 : !jobs.isEmpty(), "example jobs found: " + jobs);
        return jobs.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Workbench workbench = workbench();
            List<String> reduced = new java.util.ArrayList<>(List.of("training.epochs=3", "training.schedule.warmup_epochs=0",
                    "output=" + output.resolve(file.getFileName().toString())));
            JobSpec asWritten = workbench.readJob(file, List.of());
            String dataset = asWritten.dataset().name();
            if (dataset.equals("tinyshakespeare")) {
                reduced.add("dataset.limit=320");  // a full epoch of Tiny Shakespeare takes minutes
            } else if (asWritten.model().architecture().equals("bert-mlm")) {
                reduced.add("dataset.limit=150");  // 150 training sentences and 150 of the 24,148 unlabelled lines
            } else if (FULL_SIZE_IMAGES.contains(dataset)) {
                // 2,000 of the 54,000 training images and 1,200 validation images (validation is a fraction of the
                // training images); the test split stays the dataset's 10,000, so the export compares real test inputs.
                reduced.addAll(List.of("dataset.limit=2000", "dataset.splits.validation=0.02"));
            }
            boolean decoder = asWritten.model().architecture().equals("gpt");
            if (decoder) {
                // One block instead of four and two epochs: each evaluation reads all 111,000 validation characters.
                reduced.add("model.hyperparameters.layers=1");
                reduced.set(0, "training.epochs=2");
            }
            boolean graph = asWritten.model().family().equals("gnn");
            if (graph) {
                // A graph epoch is one full-batch step or a few sampled minibatches: a tenth of a second.
                reduced.set(0, "training.epochs=30");
            }
            if (asWritten.model().hyperparameters().containsKey("pretrained_run")) {
                // A fine-tuning job starts from its pre-training job's run, trained here at reduced size first.
                Path pretraining = file.resolveSibling(file.getFileName().toString().replace("finetune", "pretrain"));
                JobSpec pretrain = workbench.readJob(pretraining, List.of("training.epochs=1", "dataset.limit=150",
                        "output=" + output.resolve(pretraining.getFileName().toString())));
                reduced.add("model.hyperparameters.pretrained_run=" + workbench.train(pretrain).folder().root());
                // Its 7,700-word embedding learns slowly: after 3 epochs of 1,950 sentences it was at 72.8%.
                reduced.set(0, "training.epochs=5");
            }
            JobSpec job = workbench.readJob(file, reduced);
            Workbench.Run run = workbench.train(job);
            int epochs = Integer.parseInt(reduced.get(0).substring("training.epochs=".length()));
            assertTrue(run.summary().epochsCompleted() >= 1 && run.summary().epochsCompleted() <= epochs);
            if (run.summary().test().containsKey("test_perplexity")) {
                // Checked before accuracy: a language model reports both, but its class count is its vocabulary,
                // known only once the corpus is read. It must beat guessing uniformly (ln V nats per token).
                int vocabulary = workbench.finished(run.folder().root()).data().info().labels().size();
                assertTrue(run.summary().test().get("test_loss") < Math.log(vocabulary), run.summary().test().toString());
            } else if (run.summary().test().containsKey("test_d_fake")) {
                // A GAN has no accuracy to beat; it must have trained both networks into a finite game and drawn its
                // sample grid after the last epoch.
                assertTrue(run.summary().test().values().stream().allMatch(Double::isFinite), run.summary().test().toString());
                assertTrue(Files.exists(run.folder().plots().resolve("samples-epoch-003.png")));
            } else if (run.summary().test().containsKey("test_accuracy")) {
                int classes = workbench.datasets().get(job.dataset().name()).info().numClasses();
                double accuracy = run.summary().test().get("test_accuracy");
                assertTrue(accuracy > 1.5 / classes, file + ": test accuracy " + accuracy + " after 3 epochs");
            } else if (job.dataset().trainClasses().isEmpty()) {
                double mse = run.summary().test().get("test_mse");
                double baseline = meanTargetError(workbench.finished(run.folder().root()).data());
                // Beating the mean target is the least a regression must do (a 2-D VAE reaches 0.83 of it in 3 epochs).
                assertTrue(mse < baseline, file + ": MSE " + mse + " vs " + baseline + " for the mean training target");
            } else {
                // The test split holds unseen classes on purpose: the anomaly score, not the MSE, is the measure.
                assertTrue(run.summary().test().get("test_anomaly_auc") > 0.6, run.summary().test().toString());
            }
            assertTrue(Files.exists(run.folder().reportHtml()));
            if (asWritten.model().architecture().equals("bert-mlm")) {
                // Its padded steps have no output in DL4J: refused by name rather than exported unlike it.
                Exception refused = assertThrows(Exception.class, () -> workbench.export(run.folder().root(),
                        OnnxExporter.DEFAULT_OPSET, null, 64));
                assertTrue(refused.getMessage().contains("bert-mlm has no ONNX export"), refused.getMessage());
            } else {
                exportsAndMatchesOnnxRuntime(workbench, job, run);
            }
        }));
    }

    /**
     * The trained run exports and ONNX Runtime reproduces it on real test inputs: every output within 1e-5 of
     * DL4J's (fp32 rounding through a few layers; the parity check's own tolerance is relative, so this bound is
     * the one that catches an exporter drifting).
     */
    private static void exportsAndMatchesOnnxRuntime(Workbench workbench, JobSpec job, Workbench.Run run) {
        Workbench.Export export = workbench.export(run.folder().root(), OnnxExporter.DEFAULT_OPSET, null, 64);
        // 64 inputs, or the whole test split where it is smaller (iris: 30); a graph model: every node of its graph; a
        // decoder: 64 validation windows, every step's next-token probabilities.
        assertTrue(export.parity().samples() >= 30, job.name() + ": " + export.parity().samples() + " inputs compared");
        assertTrue(export.parity().maxAbsDiff() <= 1e-5, job.name() + ": max abs difference "
                + export.parity().maxAbsDiff());
        System.out.printf("%s: ONNX parity on %d test inputs, max abs %.2e, max rel %.2e%n", job.name(),
                export.parity().samples(), export.parity().maxAbsDiff(), export.parity().maxRelDiff());
    }

    /** MSE of predicting every test target as the mean training target (for an autoencoder: the mean input). */
    private static double meanTargetError(dev.workbench.data.DataSplits data) {
        var mean = data.train().getLabels().mean(0);
        var diff = data.test().getLabels().subRowVector(mean);
        return diff.muli(diff).meanNumber().doubleValue();
    }

    @Test
    void javaApiExampleTrains() {
        Workbench.Run run = workbench().train(TrainFromJava.wineJob(output.toString(), 5));
        assertEquals("wine-mlp-java", run.summary().job());
        assertTrue(run.summary().test().get("test_accuracy") > 0.5, run.summary().test().toString());
    }
}
