package dev.workbench.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.ProgressReporter;
import dev.workbench.tune.Tuner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every example search under examples/searches runs at reduced size: 2 candidates (3 with halving), 2 epochs. */
class ExampleSearchesTest {
    private static final Path ROOT = Path.of(System.getProperty("workbench.root", ".."));
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path output;

    @TestFactory
    Stream<DynamicTest> everyExampleSearchRunsAtReducedSize() throws IOException {
        List<Path> searches;
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/searches"))) {
            searches = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(searches.size() >= 3, "example searches found: " + searches);
        return searches.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Workbench workbench = new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(),
                    DataLocations.fromEnvironment(), new ProgressReporter.Lines(QUIET));
            boolean halving = Files.readString(file).contains("halving:");
            List<String> reduced = new ArrayList<>(List.of("training.epochs=2", "search.candidates=" + (halving ? 3 : 2),
                    "output=" + output.resolve(file.getFileName().toString())));
            if (halving) {
                reduced.add("search.halving.min_epochs=1");
            }
            Tuner.Result result = new Tuner(workbench, QUIET).tune(file, reduced, 1);
            assertEquals(halving ? 3 : 2, result.ranked().size());
            assertTrue(result.best().hasScore(), result.ranked().toString());
            assertTrue(Files.isRegularFile(result.folder().resolve("best.yaml")));
            assertTrue(Files.isRegularFile(result.folder().resolve("report.html")));
            if (halving) {
                assertEquals(2, result.best().epochs(), "the survivor of rung 1 went on to 2 epochs");
            }
        }));
    }

    /**
     * A search is a set of ordinary jobs, so every family tunes: here one job of each family the example searches do
     * not cover, the SameDiff-layer transformer, the graph and the VAE (its own network kind) among them.
     */
    @TestFactory
    Stream<DynamicTest> everyFamilyTunes() {
        return Stream.of("sentiment-transformer.yaml", "cora-gcn.yaml", "mnist-vae.yaml")
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    Path file = ROOT.resolve("examples/jobs").resolve(name);
                    Workbench workbench = new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(),
                            DataLocations.fromEnvironment(), new ProgressReporter.Lines(QUIET));
                    List<String> reduced = new ArrayList<>(List.of(
                            "training.epochs=" + (name.startsWith("cora") ? 5 : 1), "training.schedule.warmup_epochs=0",
                            "output=" + output.resolve(name),
                            "search={candidates: 2, metric: val_loss, space: {training.optimizer.lr: {min: 0.0005, max: 0.005, scale: log}}}"));
                    if (name.startsWith("mnist")) {
                        reduced.addAll(List.of("dataset.limit=500", "dataset.splits.validation=0.02"));
                    }
                    Tuner.Result result = new Tuner(workbench, QUIET).tune(file, reduced, 1);
                    assertEquals(2, result.ranked().size());
                    result.ranked().forEach(c -> assertEquals("completed", c.status(), name + ": " + c.reason()));
                    assertTrue(Files.isRegularFile(result.folder().resolve("best.yaml")));
                }));
    }
}
