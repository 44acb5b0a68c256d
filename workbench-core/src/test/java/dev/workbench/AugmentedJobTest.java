package dev.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.job.AugmentationSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobFileException;
import dev.workbench.job.JobSpec;
import dev.workbench.models.ModelRegistry;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.report.MetricsCsv;
import dev.workbench.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset.augmentation} in a job file: binding, validation, and what it changes in a real run. */
class AugmentedJobTest {
    private static String digitsJob(Path output, String augmentation) {
        return """
                name: digits-augmented
                seed: 6
                dataset: {name: digits, batch_size: 32, normalization: scale, splits: {validation: 0.1, test: 0.2}%s}
                model: {family: cnn, architecture: vgg, hyperparameters: {widths: [8], dense: 16}}
                training:
                  epochs: 3
                  optimizer: {type: adam, lr: 0.005}
                  checkpoint_every: 1
                output: %s
                """.formatted(augmentation, output.toString().replace("\\", "/"));
    }

    private static JobSpec validated(String yaml) {
        return new JobValidator(DatasetRegistry.builtIn(), ModelRegistry.builtIn())
                .validate(JobFile.parse(yaml, "job.yaml", List.of()), "job.yaml");
    }

    @Test
    void augmentationBindsFromSnakeCaseKeysAndIsWrittenBack(@TempDir Path dir) {
        JobSpec job = validated(digitsJob(dir, ", augmentation: {shift: 1, rotation: 8, flip_horizontal: true, prefetch: 0}"));
        assertEquals(new AugmentationSpec(1, 8.0, true, 0), job.dataset().augmentation());
        assertEquals(job, JobFile.parse(JobFile.toYaml(job), "again.yaml", List.of()));
        assertEquals(AugmentationSpec.DEFAULT_PREFETCH,
                validated(digitsJob(dir, ", augmentation: {shift: 1}")).dataset().augmentation().prefetch());
        assertNull(validated(digitsJob(dir, "")).dataset().augmentation());
    }

    @Test
    void augmentingANonImageDatasetIsAnErrorNamingTheField() {
        String yaml = """
                name: iris-augmented
                dataset: {name: iris, augmentation: {shift: 2}}
                model: {family: dense, architecture: mlp}
                """;
        JobFileException e = assertThrows(JobFileException.class, () -> validated(yaml));
        assertTrue(e.getMessage().contains("job.yaml: dataset.augmentation: image transforms need image data; iris has input 4"),
                e.getMessage());
    }

    @Test
    void outOfRangeAmountsAreListedTogether(@TempDir Path dir) {
        JobFileException e = assertThrows(JobFileException.class,
                () -> validated(digitsJob(dir, ", augmentation: {shift: -1, rotation: 200, prefetch: 65}")));
        assertTrue(e.getMessage().contains("dataset.augmentation.shift: must be >= 0, got -1"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset.augmentation.rotation: must be in [0, 180] degrees, got 200.0"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset.augmentation.prefetch: must be in [0, 64] batches, got 65"), e.getMessage());
    }

    @Test
    void theSwitchChangesTrainingAndAResumedAugmentedRunEndsBitIdentical(@TempDir Path dir) throws Exception {
        JobSpec plain = validated(digitsJob(dir.resolve("plain"), ""));
        JobSpec augmented = validated(digitsJob(dir.resolve("augmented"), ", augmentation: {shift: 1, rotation: 10}"));
        Workbench.Run withoutAugmentation = TestWorkbench.quiet().train(plain);
        Workbench.Run straight = TestWorkbench.quiet().train(augmented);
        assertNotEquals(metric(withoutAugmentation, 0, "train_loss"), metric(straight, 0, "train_loss"));

        // Interrupted after epoch 2 (its checkpoint written), then resumed: epoch 3 sees the same augmented batches.
        Workbench interrupted = TestWorkbench.with(new InterruptAfter(2));
        assertThrows(IllegalStateException.class, () -> interrupted.train(augmented));
        Path partial;
        try (var runs = Files.list(dir.resolve("augmented"))) {
            partial = runs.filter(p -> !p.equals(straight.folder().root())).findFirst().orElseThrow();
        }
        Workbench.Run resumed = TestWorkbench.quiet().resume(partial);
        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(3, actual.size());
        for (int i = 0; i < 3; i++) {
            for (String name : List.of("train_loss", "val_loss", "val_accuracy")) {
                assertEquals(expected.get(i).get(name), actual.get(i).get(name), 0.0, "epoch " + (i + 1) + " " + name);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());
    }

    private static double metric(Workbench.Run run, int epochIndex, String name) throws Exception {
        return MetricsCsv.read(run.folder().metricsCsv()).get(epochIndex).get(name);
    }
}
