package dev.workbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.QuietProgress;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.DatasetInfo;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.models.dense.MlpFactory;
import dev.workbench.train.Network;
import dev.workbench.train.ProgressReporter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails before it records anything leaves no folder behind; one with a checkpoint keeps its folder. */
class FailedRunFolderTest {
    private static List<Path> runFolders(Path output) throws Exception {
        try (Stream<Path> folders = Files.list(output)) {
            return folders.toList();
        }
    }

    /** Fails the first training step, as a network whose layers do not fit the data does. */
    private static final class FailsAtFirstBatch extends QuietProgress {
        @Override
        public void batchDone(double loss, double samplesPerSecond) {
            throw new IllegalStateException("first batch failed");
        }
    }

    @Test
    void dataThatDoesNotLoadLeavesNoRunFolder(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("runs");
        Workbench withoutData = new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(),
                new DataLocations(dir.resolve("no-datasets")), new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())));

        RuntimeException e = assertThrows(RuntimeException.class, () -> withoutData.train(TestWorkbench.irisJob(output)));

        assertTrue(e.getMessage().contains("no-datasets"), e.getMessage());
        assertEquals(List.of(), runFolders(output));
    }

    /** The dense MLP, except that building it fails, as a build does when DL4J rejects a configuration. */
    private static final class UnbuildableMlp implements ModelFactory {
        private final MlpFactory mlp = new MlpFactory();

        @Override
        public String family() {
            return mlp.family();
        }

        @Override
        public String architecture() {
            return mlp.architecture();
        }

        @Override
        public String description() {
            return mlp.description();
        }

        @Override
        public List<HyperparameterSpec> hyperparameters() {
            return mlp.hyperparameters();
        }

        @Override
        public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
            return mlp.incompatibility(data, hyperparameters);
        }

        @Override
        public Network build(ModelContext context) {
            throw new IllegalStateException("DL4J rejected the configuration");
        }
    }

    @Test
    void aModelThatCannotBeBuiltLeavesNoRunFolder(@TempDir Path dir) throws Exception {
        Workbench unbuildable = new Workbench(DatasetRegistry.builtIn(), new ModelRegistry(List.of(new UnbuildableMlp())),
                DataLocations.fromEnvironment(), new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> unbuildable.train(TestWorkbench.irisJob(dir)));

        assertEquals("DL4J rejected the configuration", e.getMessage());
        assertEquals(List.of(), runFolders(dir));
    }

    @Test
    void aFirstEpochThatFailsLeavesNoRunFolder(@TempDir Path dir) throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestWorkbench.with(new FailsAtFirstBatch()).train(TestWorkbench.irisJob(dir)));
        assertEquals("first batch failed", e.getMessage());
        assertEquals(List.of(), runFolders(dir));
    }

    @Test
    void aRunThatFailsAfterItsFirstCheckpointKeepsItsFolder(@TempDir Path dir) throws Exception {
        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(1))
                .train(TestWorkbench.irisJob(dir)));
        List<Path> folders = runFolders(dir);
        assertEquals(1, folders.size());
        assertTrue(Files.exists(folders.get(0).resolve("checkpoints/epoch-0001.zip")));
        assertTrue(Files.exists(folders.get(0).resolve("job.yaml")));
    }
}
