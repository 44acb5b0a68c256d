package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobSpec;
import dev.workbench.report.MetricsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted run resumed from its checkpoint ends exactly where an uninterrupted run ends. */
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
    void resumingAFolderWithoutCheckpointsSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("job.yaml"), dev.workbench.job.JobFile.toYaml(TestWorkbench.irisJob(dir)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestWorkbench.quiet().resume(dir));
        assertTrue(e.getMessage().contains("no checkpoint to resume from"), e.getMessage());
    }
}
