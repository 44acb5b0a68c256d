package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataSplits;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.report.MetricsCsv;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.EpochMetrics;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bert-mlm job pre-trained end to end on sentiment-bert, resumed, loaded back, and fine-tuned from: the classifier
 * starts from its encoder, and a run it cannot start from is named.
 */
class BertRunTest {
    private static final ModelFactory ENCODER = ModelRegistry.builtIn().get("transformer", "encoder");

    @TempDir
    Path output;

    private JobSpec pretraining(String... overrides) {
        String yaml = """
                name: tiny-bert
                seed: 4
                dataset: {name: sentiment-bert, batch_size: 32, sequence_length: 32, limit: 100, splits: {seed: 2}}
                model: {family: transformer, architecture: bert-mlm, hyperparameters: {d_model: 16, heads: 2, ff: 32, layers: 1}}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.003}}
                output: %s
                """.formatted(output.toString().replace("\\", "/"));
        return JobFile.parse(yaml, "tiny-bert.yaml", List.of(overrides));
    }

    @Test
    void aResumedPreTrainingEndsBitIdenticalAndItsModelLoadsBack() throws Exception {
        Workbench.Run straight = TestWorkbench.quiet().train(pretraining());
        assertTrue(straight.summary().test().get("test_loss") < Math.log(
                TestWorkbench.quiet().finished(straight.folder().root()).data().vocabulary().size()));

        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(1)).train(pretraining()));
        Path partial;
        try (var folders = Files.list(output)) {
            partial = folders.filter(p -> !p.equals(straight.folder().root())).findFirst().orElseThrow();
        }
        Workbench.Run resumed = TestWorkbench.quiet().resume(partial);
        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        for (int i = 0; i < expected.size(); i++) {
            for (String metric : List.of("train_loss", "val_loss", "val_accuracy")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0, "epoch " + (i + 1) + " " + metric);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());

        Workbench.FinishedRun loaded = TestWorkbench.quiet().finished(straight.folder().root());
        assertEquals(straight.summary().test().get("test_loss"),
                loaded.objective().evaluate(loaded.model(), loaded.data().test(), loaded.data().info()).metrics().get("loss"),
                0.0, "the saved model scores the test text as the trained one did");
    }

    @Test
    void aClassifierStartsFromThePreTrainedEncoderAndRefusesARunItCannotStartFrom() throws Exception {
        Path pretrained = TestWorkbench.quiet().train(pretraining("training.epochs=1")).folder().root();
        MultiLayerNetwork mlm = (MultiLayerNetwork) TestWorkbench.quiet().finished(pretrained).model().model();

        MultiLayerNetwork classifier = (MultiLayerNetwork) fineTuned(pretrained, 2, 16).model();
        // Embedding, positions, the block: every parameter equal before the first step (the heads differ in shape).
        int compared = 0;
        for (int layer = 0; layer < mlm.getnLayers() - 1; layer++) {
            if (mlm.getLayer(layer).numParams() > 0) {
                assertArrayEquals(mlm.getLayer(layer).params().toFloatVector(),
                        classifier.getLayer(layer).params().toFloatVector(), 0f, "layer " + layer);
                compared++;
            }
        }
        assertEquals(3, compared);
        MultiLayerNetwork scratch = (MultiLayerNetwork) fineTuned(null, 2, 16).model();
        assertNotEquals(mlm.getLayer(0).params(), scratch.getLayer(0).params());

        String field = "model.hyperparameters.pretrained_run";
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> fineTuned(output.resolve("no-such-run"), 2, 16));
        assertTrue(missing.getMessage().startsWith(field), missing.getMessage());
        IllegalArgumentException otherSplit = assertThrows(IllegalArgumentException.class,
                () -> fineTuned(pretrained, 3, 16));
        assertTrue(otherSplit.getMessage().startsWith(field) && otherSplit.getMessage().contains("vocabulary"),
                otherSplit.getMessage());
        IllegalArgumentException otherWidth = assertThrows(IllegalArgumentException.class,
                () -> fineTuned(pretrained, 2, 24));
        assertTrue(otherWidth.getMessage().startsWith(field) && otherWidth.getMessage().contains(", 24]"),
                otherWidth.getMessage());
    }

    /** The network a classifier job trains, before its first step, on sentiment-bert split with {@code splitSeed}. */
    private static Network fineTuned(Path pretrained, long splitSeed, int dModel) {
        DataSplits data = MaskedLanguageModelTest.sentimentBert(splitSeed);
        Hyperparameters hp = Hyperparameters.resolve(ENCODER.hyperparameters(), Map.of("d_model", dModel, "heads", 2,
                "ff", 32, "layers", 1, "pretrained_run", pretrained == null ? "" : pretrained.toString()));
        TrainingObjective objective = ENCODER.objective(data.info(), hp);
        DataSplits prepared = objective.prepare(data);
        return objective.network(ENCODER.build(new ModelContext(prepared.info(), hp, new BaseConfiguration(9,
                new TrainingSpec(1, new OptimizerSpec("adam", 0.001, null, null), null, null, null, null), 10))));
    }
}
