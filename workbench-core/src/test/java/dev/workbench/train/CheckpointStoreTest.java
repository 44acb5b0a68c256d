package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.dense.MlpFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    private static Network irisNetwork(JobSpec job, DataSplits data) {
        MlpFactory factory = new MlpFactory();
        return factory.build(new ModelContext(data.info(),
                Hyperparameters.resolve(factory.hyperparameters(), job.model().hyperparameters()),
                new BaseConfiguration(job.seed(), job.training(), 6)));
    }

    @Test
    void restoredNetworkContinuesTrainingExactlyAsTheOriginal(@TempDir Path dir) {
        // Adam with a scheduled learning rate: the case where a restored updater once diverged.
        JobSpec job = TestWorkbench.irisJob(dir, "model.hyperparameters.dropout=0.0");
        DataSplits data = DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(), DataLocations.fromEnvironment());
        Network original = irisNetwork(job, data);
        for (int i = 0; i < 10; i++) {
            original.fit(data.train());
        }
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), TestWorkbench.ARCHIVE);
        TrainingState saved = store.write(original, new TrainingState(1, 0.5, 1, 0, null, List.of(), 0));
        Network restored = store.load(store.latest().orElseThrow());
        assertEquals(saved, store.latest().orElseThrow());
        for (int i = 0; i < 5; i++) {
            original.fit(data.train());
            restored.fit(data.train());
            assertEquals(original.score(), restored.score(), 0.0, "step " + i);
        }
    }

    @Test
    void onlyTheNewestCheckpointsAreKeptAndNoTemporaryFileRemains(@TempDir Path dir) throws Exception {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(), DataLocations.fromEnvironment());
        Network network = irisNetwork(job, data);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), TestWorkbench.ARCHIVE);
        for (int epoch = 1; epoch <= 4; epoch++) {
            store.write(network, new TrainingState(epoch, null, 0, 0, null, List.of(), 0));
        }
        try (Stream<Path> files = Files.list(store.folder())) {
            assertEquals(List.of("epoch-0003.zip", "epoch-0004.zip", "state.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("epoch-0004.zip", store.latest().orElseThrow().checkpoint());
        assertFalse(Files.exists(store.folder().resolve("epoch-0004.zip.tmp")));
        assertTrue(Files.size(store.folder().resolve("epoch-0004.zip")) > 0);
    }
}
