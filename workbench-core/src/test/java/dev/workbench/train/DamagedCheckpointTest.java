package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.DamagedFiles;
import dev.workbench.ForwardingNetwork;
import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.ModelRegistry;
import dev.workbench.report.MetricsCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints stay resumable when a write fails (a full disk) or a file is damaged afterwards: resume goes on from
 * the newest checkpoint that reads back, warns naming the file it passed over and the one it used, and ends exactly
 * where an uninterrupted run ends.
 */
class DamagedCheckpointTest {
    @TempDir
    static Path runs;
    static Workbench.Run straight;
    /** Interrupted after epoch 3: checkpoints/ holds epoch-0002.zip, epoch-0003.zip and state.json naming the latter. */
    static Path interrupted;

    @BeforeAll
    static void trainStraightAndInterrupted() throws Exception {
        JobSpec job = TestWorkbench.irisJob(runs);
        straight = TestWorkbench.quiet().train(job);
        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(3)).train(job));
        try (Stream<Path> folders = Files.list(runs)) {
            interrupted = folders.filter(p -> !p.equals(straight.folder().root())).findFirst().orElseThrow();
        }
    }

    private record Resumed(Workbench.Run run, List<String> warnings) {
    }

    private static Resumed resume(Path run) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbench workbench = TestWorkbench.with(new ProgressReporter.Lines(new PrintStream(out, true,
                StandardCharsets.UTF_8)));
        Workbench.Run resumed = workbench.resume(run);
        return new Resumed(resumed, out.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("warning: ")).toList());
    }

    private static void assertEndsAsTheUninterruptedRun(Workbench.Run resumed) throws Exception {
        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(6, actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String metric : List.of("train_loss", "val_loss", "val_accuracy", "lr")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0, "epoch " + (i + 1) + " " + metric);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());
    }

    /** The network written until the disk is full: half of the file, then the error the operating system gives. */
    private static final class FullDiskWhileSaving extends ForwardingNetwork {
        FullDiskWhileSaving(Network inner) {
            super(inner);
        }

        @Override
        public void save(Path file) throws IOException {
            inner.save(file);
            DamagedFiles.truncate(file);
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aCheckpointWriteThatFailsHalfwayLeavesStateJsonOnTheLastIntactOne(@TempDir Path dir) throws Exception {
        Path run = DamagedFiles.copy(interrupted, dir.resolve("run"));
        Path checkpoints = run.resolve("checkpoints");
        JobSpec job = TestWorkbench.irisJob(runs);
        DataSplits iris = DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(),
                DataLocations.fromEnvironment());
        CheckpointStore store = new CheckpointStore(checkpoints, ModelRegistry.builtIn().get("dense", "mlp")
                .archive(iris.info()));
        TrainingState epoch3 = store.latest().orElseThrow();
        TrainingState epoch4 = new TrainingState(4, epoch3.bestValue(), epoch3.bestEpoch(),
                epoch3.epochsWithoutImprovement() + 1, epoch3.checkpoint(), epoch3.history(), epoch3.wallSeconds());

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> store.write(new FullDiskWhileSaving(store.load(epoch3)), epoch4));

        assertEquals("cannot write checkpoint " + checkpoints.resolve("epoch-0004.zip") + " (state.json still names "
                + "epoch-0003.zip; once the cause is fixed, continue with: workbench train --resume " + run + ")",
                e.getMessage());
        assertEquals("No space left on device", e.getCause().getMessage());
        try (Stream<Path> files = Files.list(checkpoints)) {
            assertEquals(List.of("best.zip", "epoch-0002.zip", "epoch-0003.zip", "state.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no partial or temporary file");
        }
        assertEquals("epoch-0003.zip", store.latest().orElseThrow().checkpoint());

        Resumed resumed = resume(run);
        assertEquals(List.of(), resumed.warnings());
        assertEndsAsTheUninterruptedRun(resumed.run());
    }

    @Test
    void aTruncatedNewestCheckpointIsPassedOverForThePreviousOne(@TempDir Path dir) throws Exception {
        Path run = DamagedFiles.copy(interrupted, dir.resolve("run"));
        Path newest = run.resolve("checkpoints/epoch-0003.zip");
        DamagedFiles.truncate(newest);

        Resumed resumed = resume(run);

        assertEquals(List.of("warning: " + newest + ": not a readable zip (zip END header not found); the file is "
                + "truncated or damaged (kept as epoch-0003.zip.damaged). Resuming from "
                + run.resolve("checkpoints/epoch-0002.zip") + " (epoch 2) instead; the epochs after it are trained again"),
                resumed.warnings());
        assertEndsAsTheUninterruptedRun(resumed.run());
        assertTrue(Files.exists(run.resolve("checkpoints/epoch-0003.zip.damaged")));
        assertEquals("epoch-0006.zip", new CheckpointStore(run.resolve("checkpoints"), TestWorkbench.ARCHIVE).latest()
                .orElseThrow().checkpoint());
    }

    @Test
    void garbledWeightsInTheNewestCheckpointArePassedOverToo(@TempDir Path dir) throws Exception {
        Path run = DamagedFiles.copy(interrupted, dir.resolve("run"));
        Path newest = run.resolve("checkpoints/epoch-0003.zip");
        DamagedFiles.garble(newest, "coefficients.bin");

        Resumed resumed = resume(run);

        assertEquals(List.of("warning: " + newest + ": cannot read the network inside (its data ends early); the file "
                + "is damaged (kept as epoch-0003.zip.damaged). Resuming from " + run.resolve("checkpoints/epoch-0002.zip")
                + " (epoch 2) instead; the epochs after it are trained again"), resumed.warnings());
        assertEndsAsTheUninterruptedRun(resumed.run());
    }

    @Test
    void aTruncatedStateJsonIsRecoveredFromTheStateInsideTheNewestCheckpoint(@TempDir Path dir) throws Exception {
        Path run = DamagedFiles.copy(interrupted, dir.resolve("run"));
        Path state = run.resolve("checkpoints/state.json");
        DamagedFiles.truncate(state);

        Resumed resumed = resume(run);

        assertEquals(List.of("warning: " + state + ": cannot be read (the file ends early, truncated?); the file is "
                + "damaged. Resuming from " + run.resolve("checkpoints/epoch-0003.zip") + " (epoch 3), which holds its "
                + "own copy of the training state"), resumed.warnings());
        assertEndsAsTheUninterruptedRun(resumed.run());
    }

    @Test
    void whenNoCheckpointReadsBackTheMessageNamesEachAndSaysToTrainAgain(@TempDir Path dir) throws Exception {
        Path run = DamagedFiles.copy(interrupted, dir.resolve("run"));
        Path checkpoints = run.resolve("checkpoints");
        for (String file : List.of("state.json", "epoch-0002.zip", "epoch-0003.zip")) {
            DamagedFiles.truncate(checkpoints.resolve(file));
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resume(run));

        assertEquals(checkpoints + ": no checkpoint can be resumed (" + checkpoints.resolve("state.json")
                + ": cannot be read (the file ends early, truncated?); the file is damaged; "
                + checkpoints.resolve("epoch-0003.zip") + ": not a readable zip (zip END header not found); the file is "
                + "truncated or damaged (kept as epoch-0003.zip.damaged); " + checkpoints.resolve("epoch-0002.zip")
                + ": not a readable zip (zip END header not found); the file is truncated or damaged (kept as "
                + "epoch-0002.zip.damaged)): train the job again with: workbench train " + run.resolve("job.yaml"),
                e.getMessage());
        assertFalse(Files.exists(run.resolve("summary.json")));
    }
}
