package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.DamagedFiles;
import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobSpec;
import dev.workbench.report.MetricsCsv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run resumed from its checkpoint ends exactly where an uninterrupted run ends; its summary counts
 * every process; a finished run is left alone.
 */
class ResumeTest {
    @Test
    void resumedRunEndsWithTheSameMetricsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        Workbench.Run straight = TestWorkbench.quiet().train(job);

        Workbench interrupted = TestWorkbench.with(new InterruptAfter(3));
        assertThrows(IllegalStateException.class, () -> interrupted.train(job));
        Path partial = Files.list(dir).filter(p -> !p.equals(straight.folder().root())).findFirst().orElseThrow();
        assertEquals(3, MetricsCsv.read(partial.resolve("metrics.csv")).size());
        assertTrue(Files.exists(partial.resolve("checkpoints/epoch-0003.zip")));

        Workbench.Run resumed = TestWorkbench.quiet().resume(partial);

        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(6, actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String metric : List.of("train_loss", "val_loss", "val_accuracy", "val_f1", "lr")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0,
                        "epoch " + (i + 1) + " " + metric);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());
        assertEquals(straight.summary().bestEpoch(), resumed.summary().bestEpoch());
    }

    @Test
    void aRunTrainedOnToMoreEpochsFollowsTheCosineCurveOfTheNewTotal(@TempDir Path dir) throws Exception {
        Workbench.Run shorter = TestWorkbench.quiet().train(TestWorkbench.irisJob(dir.resolve("a"), "training.epochs=3"));
        Workbench.Run extended = TestWorkbench.quiet().extend(shorter.folder().root(), 6);
        Workbench.Run straight = TestWorkbench.quiet().train(TestWorkbench.irisJob(dir.resolve("b")));

        List<EpochMetrics> longer = MetricsCsv.read(extended.folder().metricsCsv());
        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        assertEquals(6, longer.size());
        for (int epoch = 4; epoch <= 6; epoch++) {
            assertEquals(expected.get(epoch - 1).get("lr"), longer.get(epoch - 1).get("lr"), 1e-12, "lr of epoch " + epoch);
        }
        // The 3-epoch curve had reached its floor; the 6-epoch one is half way down at epoch 4.
        assertEquals(0.001, longer.get(2).get("lr"), 1e-9);
        assertTrue(longer.get(3).get("lr") > 0.005, "epoch 4 lr " + longer.get(3).get("lr"));
    }

    @Test
    void resumingAFolderWithoutCheckpointsSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("job.yaml"), dev.workbench.job.JobFile.toYaml(TestWorkbench.irisJob(dir)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestWorkbench.quiet().resume(dir));
        assertTrue(e.getMessage().contains("no checkpoint to resume from"), e.getMessage());
    }

    private static Path interruptedAfter(int epoch, JobSpec job, Path output) throws Exception {
        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(epoch)).train(job));
        try (Stream<Path> runs = Files.list(output)) {
            return runs.findFirst().orElseThrow();
        }
    }

    private static TrainingState recorded(Path run) {
        return new CheckpointStore(run.resolve("checkpoints"), TestWorkbench.ARCHIVE).latest().orElseThrow();
    }

    /** Every file of a folder with its bytes, to see that nothing was rewritten. */
    private static Map<String, String> contents(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    @Test
    void afterAResumeTheSummaryCountsEveryProcessAndTheWholeRunsThroughput(@TempDir Path dir) throws Exception {
        Path run = interruptedAfter(3, TestWorkbench.irisJob(dir), dir);
        // As if the interrupted process had run for 1000 s: the resumed summary must include them.
        Path stateJson = run.resolve("checkpoints/state.json");
        ObjectMapper json = new ObjectMapper();
        json.writeValue(stateJson.toFile(), json.readValue(stateJson.toFile(), TrainingState.class).withWallSeconds(1000));

        Workbench.Run resumed = TestWorkbench.quiet().resume(run);

        List<EpochMetrics> history = recorded(run).history();
        assertEquals(6, history.size());
        double resumedEpochsSeconds = history.subList(3, 6).stream().mapToDouble(m -> m.get("seconds")).sum();
        assertTrue(resumed.summary().wallSeconds() >= 1000 + resumedEpochsSeconds, "wallSeconds "
                + resumed.summary().wallSeconds() + " must count the 1000 s before and the resumed epochs' "
                + resumedEpochsSeconds + " s");
        // metrics.csv's wall time goes on from the interrupted process's, and grows epoch by epoch.
        assertTrue(history.get(3).get("wall_seconds") >= 1000 + history.get(3).get("seconds"), history.get(3).toString());
        assertTrue(history.get(5).get("wall_seconds") > history.get(4).get("wall_seconds"));
        double samples = history.stream().mapToDouble(m -> m.get("seconds") * m.get("samples_per_sec")).sum();
        double seconds = history.stream().mapToDouble(m -> m.get("seconds")).sum();
        assertEquals(samples / seconds, resumed.summary().trainSamplesPerSecond(), 1e-9 * samples / seconds);
        assertTrue(resumed.summary().trainSamplesPerSecond() > 0);
    }

    @Test
    void resumingAFinishedRunChangesNoFile(@TempDir Path dir) throws Exception {
        Workbench.Run done = TestWorkbench.quiet().train(TestWorkbench.irisJob(dir, "training.epochs=2"));
        Map<String, String> before = contents(done.folder().root());

        Workbench.Run again = TestWorkbench.quiet().resume(done.folder().root());

        assertTrue(again.alreadyComplete());
        assertEquals("completed", again.summary().status());
        assertEquals(done.summary().test(), again.summary().test());
        assertEquals(done.summary().wallSeconds(), again.summary().wallSeconds());
        assertEquals(done.summary().trainSamplesPerSecond(), again.summary().trainSamplesPerSecond());
        assertEquals(before, contents(done.folder().root()));
    }

    @Test
    void aFinishedRunWithADamagedModelZipIsFinishedAgainFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
        Workbench.Run done = TestWorkbench.quiet().train(TestWorkbench.irisJob(dir, "training.epochs=2"));
        Path model = done.folder().model();
        DamagedFiles.truncate(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Workbench.Run again = TestWorkbench.with(new ProgressReporter.Lines(new PrintStream(out, true,
                StandardCharsets.UTF_8))).resume(done.folder().root());

        assertEquals(List.of("warning: " + model + ": not a readable zip (zip END header not found); the file is "
                + "truncated or damaged; rebuilding it from the run's last checkpoint"),
                out.toString(StandardCharsets.UTF_8).lines().toList(), "no epoch is trained again");
        assertFalse(again.alreadyComplete());
        assertEquals(done.summary().test(), again.summary().test());
        // No epoch ran in the second process; the throughput is still the run's, not 0.
        assertEquals(done.summary().trainSamplesPerSecond(), again.summary().trainSamplesPerSecond());
        assertTrue(again.summary().wallSeconds() > recorded(done.folder().root()).wallSeconds());
        assertEquals(done.summary().test(), TestWorkbench.quiet().evaluate(done.folder().root()));
    }
}
