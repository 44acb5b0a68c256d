package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The transformer encoder on real review sentences: it learns, round-trips, and says what it cannot read. */
class TransformerFamilyTest {
    private static final DatasetRegistry DATASETS = DatasetRegistry.builtIn();
    private static final ModelFactory ENCODER = ModelRegistry.builtIn().get("transformer", "encoder");

    private static DataSplits sentiment() {
        return DATASETS.get("sentiment").load(new DatasetSpec("sentiment", 32, new SplitSpec(0.15, 0.2), "standardize",
                List.of(), null, 32, null, null), 7, DataLocations.fromEnvironment());
    }

    private static Network build(DataSplits data, Map<String, Object> hp) {
        Hyperparameters resolved = Hyperparameters.resolve(ENCODER.hyperparameters(), hp);
        assertTrue(ENCODER.incompatibility(data.info(), resolved).isEmpty());
        return ENCODER.build(new ModelContext(data.info(), resolved, new BaseConfiguration(3,
                new TrainingSpec(2, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
    }

    @Test
    void smallEncoderFitsARealBatchOfReviews() {
        DataSplits reviews = sentiment();
        Network encoder = build(reviews, Map.of("d_model", 32, "heads", 2, "ff", 64, "layers", 1, "dropout", 0.0));
        DataSet batch = TestWorkbench.firstRows(reviews.train(), 64);
        assertArrayEquals(new long[]{64, 2}, encoder.output(batch.getFeatures()).shape());
        encoder.fit(batch);
        double first = encoder.score();
        for (int i = 0; i < 30; i++) {
            encoder.fit(batch);
        }
        assertTrue(encoder.score() < 0.5 * first, "loss " + first + " -> " + encoder.score());
    }

    @Test
    void firstBackwardPassKeepsSameDiffsDebugLinesOutOfStandardOutput() {
        // SameDiff M2.1 prints "Added differentiated op ..." per op when it builds a gradient function; the
        // workbench's SameDiff runtime (ExactGradientSameDiffLayer) drops them for the CLI and the Java API alike.
        DataSplits reviews = sentiment();
        // Built by the factory and not substituted for CPU training: the block runs through SameDiff.
        Network encoder = build(reviews, Map.of("d_model", 16, "heads", 2, "ff", 32, "layers", 1, "dropout", 0.0, "activation", "gelu"));
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            encoder.fit(TestWorkbench.firstRows(reviews.train(), 8));
            System.out.println("still printed");
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(output.contains("still printed"), output);
        assertTrue(!output.contains("Added differentiated op"), output);
    }

    @Test
    void savedEncoderGivesTheSameOutputs(@TempDir Path dir) throws Exception {
        DataSplits reviews = sentiment();
        Network encoder = build(reviews, Map.of("d_model", 16, "heads", 4, "ff", 32, "layers", 2, "activation", "gelu"));
        DataSet batch = TestWorkbench.firstRows(reviews.train(), 32);
        encoder.fit(batch);  // weights away from their initial values, updater state present
        Path file = dir.resolve("model.zip");
        Network loaded = TestWorkbench.savedAndLoaded(encoder, file);
        assertEquals(encoder.output(batch.getFeatures()), loaded.output(batch.getFeatures()));
        assertEquals(encoder.parameterCount(), loaded.parameterCount());
    }

    @Test
    void paddingMaskedEncoderIgnoresWhatPaddingHoldsBeforeAndAfterSaving(@TempDir Path dir) throws Exception {
        DataSplits reviews = sentiment();
        // Dropout on: its layers take the padding mask too.
        Map<String, Object> hp = Map.of("d_model", 16, "heads", 2, "ff", 32, "layers", 1, "dropout", 0.2);
        DataSet batch = TestWorkbench.firstRows(reviews.train(), 32);
        assertTrue(batch.getFeatures().eq(0).any(), "some sentences are padded");
        Map<String, Object> withMask = new java.util.HashMap<>(hp);
        withMask.put("padding_mask", true);
        Network masked = build(reviews, withMask);
        masked.fit(batch);
        Network loaded = TestWorkbench.savedAndLoaded(masked, dir.resolve("model.zip"));
        Network unmasked = build(reviews, hp);
        for (Network encoder : List.of(masked, loaded, unmasked)) {
            INDArray before = encoder.output(batch.getFeatures()).dup();
            // What a pad holds is its embedding row (id 0): give it other values.
            INDArray padRow = ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) encoder.model()).getLayer(0)
                    .getParam("W").getRow(0);
            padRow.assign(org.nd4j.linalg.factory.Nd4j.randn(padRow.dataType(), padRow.shape()).muli(3));
            INDArray after = encoder.output(batch.getFeatures());
            if (encoder == unmasked) {
                assertTrue(!before.equals(after), "without the mask the pad's embedding changes the output");
            } else {
                assertEquals(before, after, "what the padding holds changes nothing");
            }
        }
    }

    @Test
    void refusesImagesLanguageModelsAndHeadsThatDoNotDivideTheWidth() {
        Hyperparameters defaults = Hyperparameters.resolve(ENCODER.hyperparameters(), Map.of());
        assertTrue(ENCODER.incompatibility(DATASETS.get("mnist-10k").info(), defaults).orElseThrow()
                .contains("reads token sequences"));
        assertTrue(ENCODER.incompatibility(DATASETS.get("tinyshakespeare").info(), defaults).orElseThrow()
                .contains("a language model needs a causal decoder (architecture gpt)"));
        Hyperparameters threeHeads = Hyperparameters.resolve(ENCODER.hyperparameters(), Map.of("d_model", 64, "heads", 3));
        assertEquals("heads: 3 does not divide d_model 64 (each head reads d_model / heads features)",
                ENCODER.incompatibility(DATASETS.get("sentiment").info(), threeHeads).orElseThrow());
    }
}
