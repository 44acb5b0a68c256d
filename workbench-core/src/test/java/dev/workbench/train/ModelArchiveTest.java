package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved model says what it is, and loading reads that, not the DL4J configuration. */
class ModelArchiveTest {
    private static final ModelFactory MLP = ModelRegistry.builtIn().get("dense", "mlp");

    private static DataSplits iris(JobSpec job) {
        return DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(), DataLocations.fromEnvironment());
    }

    private static Network mlp(JobSpec job, DataSplits data) {
        return MLP.build(new ModelContext(data.info(), Hyperparameters.resolve(MLP.hyperparameters(),
                job.model().hyperparameters()), new BaseConfiguration(job.seed(), job.training(), 6)));
    }

    @Test
    void manifestNamesKindFamilyArchitectureAndObjective(@TempDir Path dir) {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = iris(job);
        Path file = dir.resolve("model.zip");
        ModelArchive archive = MLP.archive(data.info());
        Network network = mlp(job, data);
        network.fit(data.train());
        try {
            archive.save(network, file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(new ModelManifest(1, "MultiLayerNetwork", "dense", "mlp", "classification"),
                ModelArchive.manifest(file));
        assertEquals(network.output(data.test().getFeatures()), archive.load(file).output(data.test().getFeatures()));
    }

    @Test
    void aModelWithoutManifestGetsARetrainMessageNamingTheFile(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = iris(job);
        Path file = dir.resolve("old.zip");
        // What a workbench before the manifest wrote: DL4J's entries only.
        ModelSerializer.writeModel(mlp(job, data).model(), file.toFile(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MLP.archive(data.info()).load(file));
        assertTrue(e.getMessage().startsWith(file + ": no workbench-model.json"), e.getMessage());
        assertTrue(e.getMessage().contains("train its job again"), e.getMessage());
    }

    @Test
    void anotherArchitecturesModelIsRefusedByName(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = iris(job);
        Path file = dir.resolve("model.zip");
        MLP.archive(data.info()).save(mlp(job, data), file);
        ModelArchive lenet = ModelRegistry.builtIn().get("cnn", "lenet5").archive(data.info());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lenet.load(file));
        assertEquals(file + ": holds a dense/mlp model, but the job's model is cnn/lenet5", e.getMessage());
    }

    @Test
    void aTruncatedModelNamesTheFileAndTheDamage(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = iris(job);
        Path file = dir.resolve("model.zip");
        MLP.archive(data.info()).save(mlp(job, data), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MLP.archive(data.info()).load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
    }

    @Test
    void garbledWeightsInsideAValidZipNameTheFileAndTheDamage(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = iris(job);
        Path file = dir.resolve("model.zip");
        MLP.archive(data.info()).save(mlp(job, data), file);
        dev.workbench.DamagedFiles.garble(file, "coefficients.bin");
        DamagedFileException e = assertThrows(DamagedFileException.class, () -> MLP.archive(data.info()).load(file));
        assertEquals(file + ": cannot read the network inside (its data ends early); the file is damaged", e.getMessage());
        assertEquals(file, e.file());
    }
}
