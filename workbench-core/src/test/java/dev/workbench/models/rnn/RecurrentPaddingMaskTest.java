package dev.workbench.models.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import dev.workbench.data.DataSplits;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recurrent sentence classifiers (GRU, LSTM; bidirectional) with a padding mask: padding is no step and is not pooled
 * over, both ways.
 */
class RecurrentPaddingMaskTest {
    private static final DataSplits REVIEWS = RecurrentFamilyTest.load("sentiment", 24);

    private static Network build(String cell, String pooling, boolean mask) {
        Map<String, Object> hp = new HashMap<>(Map.of("hidden", List.of(16), "embedding", 16, "bidirectional", true,
                "pooling", pooling, "dropout", 0.2));  // dropout on: its layer takes the mask too
        hp.put("padding_mask", mask);
        return RecurrentFamilyTest.build(cell, REVIEWS, hp, 0.01);
    }

    @ParameterizedTest
    @CsvSource({"gru, max", "gru, mean", "gru, last", "lstm, max", "lstm, mean", "lstm, last"})
    void whatPaddingHoldsChangesNoPredictionBeforeOrAfterSaving(String cell, String pooling, @TempDir Path dir)
            throws Exception {
        DataSet batch = TestWorkbench.firstRows(REVIEWS.train(), 32);
        assertTrue(batch.getFeatures().eq(0).any(), "some sentences are padded");
        Network masked = build(cell, pooling, true);
        assertInstanceOf(PaddingMaskedNetwork.class, masked);
        masked.fit(batch);  // trained weights, not only the initial ones
        Network loaded = TestWorkbench.savedAndLoaded(masked, dir.resolve("model.zip"));
        Network unmasked = build(cell, pooling, false);
        unmasked.fit(batch);
        for (Network classifier : List.of(masked, loaded, unmasked)) {
            INDArray before = classifier.output(batch.getFeatures()).dup();
            // What a pad holds is its embedding row (id 0): give it other values.
            INDArray padRow = ((MultiLayerNetwork) classifier.model()).getLayer(0).getParam("W").getRow(0);
            padRow.assign(Nd4j.randn(padRow.dataType(), padRow.shape()).muli(3));
            INDArray after = classifier.output(batch.getFeatures());
            if (classifier == unmasked) {
                assertTrue(!before.equals(after), "without the mask the pad's embedding changes the prediction");
            } else {
                assertEquals(before, after, "what the padding holds changes nothing");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"gru, max", "gru, last", "lstm, max", "lstm, mean", "lstm, last"})
    void morePaddingChangesNoPrediction(String cell, String pooling) {
        DataSet batch = TestWorkbench.firstRows(REVIEWS.train(), 32);
        Network masked = build(cell, pooling, true);
        masked.fit(batch);
        INDArray ids = batch.getFeatures();
        // Eight more pads in front of every sentence, as a longer sequence_length would give.
        INDArray longer = Nd4j.concat(2, Nd4j.zeros(ids.dataType(), ids.size(0), 1, 8), ids);
        INDArray before = masked.output(ids);
        INDArray after = masked.output(longer);
        assertEquals(before, after, "eight more pads in front change nothing");
    }

    /**
     * A resumed padding-masked run ends bit for bit as the uninterrupted one. Both runs share one JVM, so the second
     * runs its kernels compiled where the first ran them interpreted: any kernel whose bits depend on the JIT tier
     * (the LSTM cell's tanh on the vector API's TANH did) fails here, in about half the tries.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gru", "lstm"})
    void aResumedMaskedRunEndsAsAnUninterruptedOne(String cell, @TempDir Path dir) throws Exception {
        String yaml = """
                name: masked-bilstm
                seed: 5
                dataset: {name: sentiment, batch_size: 32, sequence_length: 16, limit: 480, splits: {validation: 0.15, test: 0.2}}
                model: {family: rnn, architecture: %s, hyperparameters: {embedding: 8, hidden: [8], bidirectional: true,
                        pooling: max, dropout: 0.2, padding_mask: true}}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.003}}
                output: %s
                """;
        Workbench.Run straight = TestWorkbench.quiet().train(JobFile.parse(
                yaml.formatted(cell, dir.resolve("straight").toString().replace("\\", "/")), "masked-bilstm.yaml", List.of()));
        Workbench.Run resumed = TestWorkbench.interruptedThenResumed(JobFile.parse(
                yaml.formatted(cell, dir.resolve("interrupted").toString().replace("\\", "/")), "masked-bilstm.yaml", List.of()),
                1, dir.resolve("interrupted"));
        TestWorkbench.assertEndsAlike(straight, resumed, 2);
    }

    @Test
    void aLanguageModelHasNoPaddingToMask() {
        for (String cell : List.of("gru", "lstm")) {
            ModelFactory factory = ModelRegistry.builtIn().get("rnn", cell);
            Hyperparameters masked = Hyperparameters.resolve(factory.hyperparameters(), Map.of("padding_mask", true));
            assertTrue(factory.incompatibility(RecurrentFamilyTest.load("tinyshakespeare", 20).info(), masked).orElseThrow()
                    .startsWith("padding_mask: only for token sequences read into one vector"), cell);
        }
    }
}
