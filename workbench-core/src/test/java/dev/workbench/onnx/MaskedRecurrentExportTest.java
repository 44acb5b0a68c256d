package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataSplits;
import dev.workbench.models.ModelRegistry;
import dev.workbench.models.rnn.RecurrentFamilyTest;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Padding-masked recurrent sentence classifiers export with their mask computed from the ids inside the graph: ONNX
 * Runtime reads each sentence's real words only (moved to the front, {@code sequence_lens}) and pools over them or
 * takes the last one, and gives DL4J's probabilities on real padded review sentences; a graph without the mask does not.
 */
class MaskedRecurrentExportTest {
    private static DataSplits reviews;

    @BeforeAll
    static void loadReviews() {
        reviews = RecurrentFamilyTest.load("sentiment", 24);
    }

    private static Network trained(String cell, String pooling, boolean bidirectional, List<Integer> hidden) {
        Network network = TransformerExportTest.trained(ModelRegistry.builtIn().get("rnn", cell), reviews, Map.of(
                "hidden", hidden, "embedding", 16, "bidirectional", bidirectional, "pooling", pooling, "dropout", 0.2,
                "padding_mask", true));
        assertInstanceOf(PaddingMaskedNetwork.class, network);
        return network;
    }

    private static void assertParity(Network network, String what) {
        INDArray sentences = TestWorkbench.firstRows(reviews.test(), 64).getFeatures();
        assertTrue(sentences.eq(0).any(), "padded sentences compared");
        OnnxParityCheck.Report report = TransformerExportTest.exportAndCompare(network, reviews, OnnxExporter.DEFAULT_OPSET, true);
        assertTrue(report.passed(), what + ": max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertArrayEquals(new long[]{64, 2}, report.outputShape());
        System.out.printf("padding-masked %s: ONNX parity on 64 sentences, max abs %.2e, max rel %.2e%n", what,
                report.maxAbsDiff(), report.maxRelDiff());
    }

    @ParameterizedTest
    @CsvSource({"gru, max, true", "gru, mean, false", "gru, last, true", "lstm, max, true", "lstm, mean, true",
            "lstm, last, false", "lstm, last, true"})
    void maskedClassifierMatchesOnPaddedSentences(String cell, String pooling, boolean bidirectional) {
        assertParity(trained(cell, pooling, bidirectional, List.of(12)), cell + " " + pooling
                + (bidirectional ? " bidirectional" : ""));
    }

    @Test
    void stackedMaskedLayersMatch() {
        assertParity(trained("lstm", "max", true, List.of(12, 8)), "two bidirectional lstm layers");
    }

    @Test
    void withoutTheMaskTheGraphReadsThePadding() {
        Network lstm = trained("lstm", "mean", true, List.of(12));
        OnnxParityCheck.Report unmasked = TransformerExportTest.exportAndCompare(lstm, reviews, OnnxExporter.DEFAULT_OPSET, false);
        assertFalse(unmasked.passed(), "a graph without the mask reads the padding: max abs " + unmasked.maxAbsDiff());
    }
}
