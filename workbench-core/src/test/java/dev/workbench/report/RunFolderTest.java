package dev.workbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.Sha256Sums;
import dev.workbench.job.JobFile;
import dev.workbench.train.EpochMetrics;
import dev.workbench.train.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished run leaves everything the README promises in its folder, with consistent numbers. */
class RunFolderTest {
    @TempDir
    static Path output;
    static Workbench.Run run;

    @BeforeAll
    static void trainOnce() {
        run = TestWorkbench.quiet().train(TestWorkbench.irisJob(output, "training.epochs=4", "training.checkpoint_every=2"));
    }

    @Test
    void folderIsNamedAfterTheJobAndATimestamp() {
        assertTrue(run.folder().root().getFileName().toString().matches("iris-test-\\d{8}-\\d{6}(-\\d+)?"));
    }

    @Test
    void jobYamlIsTheResolvedJobAndReadsBack() {
        assertEquals(TestWorkbench.irisJob(output, "training.epochs=4", "training.checkpoint_every=2"),
                JobFile.load(run.folder().jobYaml(), List.of()));
    }

    @Test
    void metricsCsvHasOneRowPerEpochWithValidationMetrics() throws Exception {
        List<EpochMetrics> rows = MetricsCsv.read(run.folder().metricsCsv());
        assertEquals(4, rows.size());
        assertEquals(List.of("train_loss", "val_loss", "val_accuracy", "val_f1", "lr", "seconds", "samples_per_sec", "wall_seconds"),
                List.copyOf(rows.get(0).values().keySet()));
        for (EpochMetrics row : rows) {
            assertTrue(row.get("val_accuracy") >= 0 && row.get("val_accuracy") <= 1);
            assertTrue(row.get("train_loss") > 0);
        }
    }

    @Test
    void summaryJsonRecordsTestMetricsAndTheMachine() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(run.folder().summaryJson().toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(4, summary.get("epochsCompleted").asInt());
        double accuracy = summary.get("test").get("test_accuracy").asDouble();
        assertEquals(run.summary().test().get("test_accuracy"), accuracy);
        assertTrue(accuracy > 0.5, "4 epochs on iris beat chance by far, got " + accuracy);
        assertTrue(summary.get("wallSeconds").asDouble() > 0);
        assertTrue(summary.get("trainSamplesPerSecond").asDouble() > 0);
        JsonNode environment = summary.get("environment");
        assertTrue(environment.get("backend").asText().toLowerCase().contains("cpu"), environment.toString());
        assertTrue(environment.get("ompThreads").asInt() > 0);
        assertEquals("[16, 8]", summary.get("hyperparameters").get("hidden").toString().replace(",", ", "));
    }

    @Test
    void summaryRecordsHowTheRunWasMade() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(run.folder().summaryJson().toFile());
        assertEquals("classification", summary.get("objective").asText());
        JsonNode provenance = summary.get("provenance");
        assertEquals("0.1.0-SNAPSHOT", provenance.get("workbenchVersion").asText());
        assertEquals("1.0.0-M2.1", provenance.get("libraries").get("deeplearning4j-nn").asText());
        assertEquals("1.0.0-M2.1", summary.get("environment").get("dl4j").asText());
        assertEquals("iris", provenance.get("dataset").asText());
        Path iris = DataLocations.fromEnvironment().datasets().resolve("iris/iris.csv");
        assertEquals(Sha256Sums.sha256(iris), provenance.get("dataFiles").get("iris.csv").asText());
        Path root = Path.of(System.getProperty("workbench.root"));
        if (Files.exists(root.resolve(".git"))) {
            assertTrue(provenance.get("commit").asText().matches("[0-9a-f]{40}"), provenance.toString());
        }
    }

    @Test
    void modelZipHoldsTheNetworkAndItsNormaliser() throws Exception {
        Network model = TestWorkbench.quiet().finished(run.folder().root()).model();
        assertEquals(run.summary().parameters(), model.parameterCount());
        assertTrue(ModelSerializer.restoreNormalizerFromFile(run.folder().model().toFile()) != null);
    }

    @Test
    void evalReproducesTheSummaryTestMetrics() {
        Map<String, Double> again = TestWorkbench.quiet().evaluate(run.folder().root());
        assertEquals(run.summary().test(), again);
        assertTrue(Files.exists(run.folder().root().resolve("eval.json")));
    }

    @Test
    void checkpointsAreWrittenEveryNEpochs() {
        assertTrue(Files.exists(run.folder().checkpoints().resolve("epoch-0002.zip")));
        assertTrue(Files.exists(run.folder().checkpoints().resolve("epoch-0004.zip")));
        assertTrue(Files.exists(run.folder().checkpoints().resolve("state.json")));
        assertTrue(Files.exists(run.folder().checkpoints().resolve("best.zip")));
    }

    @Test
    void plotsArePngImagesAndTheReportEmbedsThem() throws Exception {
        for (String plot : List.of("loss.png", "metrics.png", "lr.png", "confusion.png")) {
            Path file = run.folder().plots().resolve(plot);
            assertTrue(ImageIO.read(file.toFile()).getWidth() > 100, plot);
        }
        String html = Files.readString(run.folder().reportHtml());
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1);
        assertTrue(html.contains("test_accuracy"));
        assertTrue(html.contains("iris-test"));
    }
}
