package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.ForwardingNetwork;
import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.dense.MlpFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** A NaN or infinite loss stops the run with a clear message and leaves the last good checkpoint intact. */
class DivergenceTest {

    @Test
    void absurdLearningRateStopsTheRunAndRecordsWhy(@TempDir Path dir) throws IOException {
        JobSpec job = TestWorkbench.irisJob(dir, "training.optimizer.type=sgd", "training.optimizer.lr=1.0e30",
                "training.schedule.type=constant", "training.schedule.warmup_epochs=0", "dataset.normalization=none");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> TestWorkbench.quiet().train(job));
        assertTrue(e.getMessage().contains("training diverged: loss is"), e.getMessage());
        assertTrue(e.getMessage().contains("training.optimizer.lr"), e.getMessage());
        Path run = Files.list(dir).findFirst().orElseThrow();
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("diverged", summary.get("status").asText());
        assertTrue(Files.exists(run.resolve("report.html")));
    }

    @Test
    void lossThatTurnsNaNMidRunKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        JobSpec job = TestWorkbench.irisJob(dir);
        DataSplits data = DatasetRegistry.builtIn().get("iris").load(job.dataset(), job.seed(), DataLocations.fromEnvironment());
        MlpFactory factory = new MlpFactory();
        Network real = factory.build(new ModelContext(data.info(),
                Hyperparameters.resolve(factory.hyperparameters(), job.model().hyperparameters()),
                new BaseConfiguration(job.seed(), job.training(), 6)));
        Network poisoned = new PoisonedAtEpoch(real, 3);
        CheckpointStore checkpoints = new CheckpointStore(dir.resolve("checkpoints"), factory.archive(data.info()));
        Trainer trainer = new Trainer(job.training(), 16, job.seed(), checkpoints,
                new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())), s -> { });

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(poisoned, factory.objective(data.info()), data, TrainingState.fresh()));

        assertTrue(e.getMessage().contains("at epoch 3, batch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch-0002.zip"), e.getMessage());
        TrainingState last = checkpoints.latest().orElseThrow();
        assertEquals(2, last.completedEpochs());
        Network restored = checkpoints.load(last);
        assertTrue(Double.isFinite(restored.output(data.test().getFeatures()).sumNumber().doubleValue()));
    }

    /** A real network whose weights become NaN at the start of the given epoch, as an overflow would leave them. */
    private static final class PoisonedAtEpoch extends ForwardingNetwork {
        private final int epoch;

        PoisonedAtEpoch(Network inner, int epoch) {
            super(inner);
            this.epoch = epoch;
        }

        @Override
        public void fit(DataSet batch) {
            if (inner.epochCount() + 1 == epoch) {
                inner.model().params().putScalar(0, Double.NaN);
            }
            inner.fit(batch);
        }

        @Override
        public Network rebuilt(Model model) {
            return new PoisonedAtEpoch(inner.rebuilt(model), epoch);
        }
    }
}
