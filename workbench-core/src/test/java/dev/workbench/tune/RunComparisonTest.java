package dev.workbench.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsShareOnePageWithTheirCurvesMetricsAndHyperparameters() throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Path a = workbench.train(TestWorkbench.irisJob(dir, "training.epochs=3")).folder().root();
        Path b = workbench.train(TestWorkbench.irisJob(dir, "training.epochs=4", "training.optimizer.lr=0.005",
                "model.hyperparameters.hidden=[32]")).folder().root();
        Path page = RunComparison.write(List.of(a, b), dir.resolve("compare.html"));
        String html = Files.readString(page);
        assertTrue(html.contains(a.getFileName().toString()) && html.contains(b.getFileName().toString()));
        assertTrue(html.contains("test_accuracy") && html.contains("0.005") && html.contains("[32]"), "metrics and hyperparameters");
        assertTrue(Files.isRegularFile(dir.resolve("compare.html-plots").resolve("curve-0.png")), "validation curves drawn");
        assertTrue(html.contains("data:image/png;base64,"));
    }
}
