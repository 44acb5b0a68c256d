package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The transformer family, trained on real data, exports and matches ONNX Runtime at the default tolerance: the
 * encoder on review sentences (several blocks and heads, both feed-forward activations, the lowest and highest opsets,
 * with and without its padding mask, and through {@code workbench export} of a finished run), and the GPT decoder on
 * Tiny Shakespeare windows (causal mask in the graph, pre-LN and post-LN, learned and sinusoidal positions).
 */
class TransformerExportTest {
    private static final ModelFactory ENCODER = ModelRegistry.builtIn().get("transformer", "encoder");
    private static final ModelFactory GPT = ModelRegistry.builtIn().get("transformer", "gpt");
    private static final int STEPS = 24;
    private static final int CONTEXT = 32;
    private static DataSplits reviews;
    private static DataSplits shakespeare;

    @BeforeAll
    static void loadData() {
        reviews = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32, new SplitSpec(0.15, 0.2),
                "none", List.of(), null, STEPS, null, null), 7, DataLocations.fromEnvironment());
        shakespeare = DatasetRegistry.builtIn().get("tinyshakespeare").load(new DatasetSpec("tinyshakespeare", 16, null,
                "none", List.of(), null, CONTEXT, 64, null), 1, DataLocations.fromEnvironment());
    }

    /** The factory's network, fitted a few steps on real reviews so no weight is at its initial value. */
    private static Network trained(Map<String, Object> hp) {
        return trained(ENCODER, reviews, hp);
    }

    static Network trained(ModelFactory factory, DataSplits data, Map<String, Object> hp) {
        Hyperparameters resolved = Hyperparameters.resolve(factory.hyperparameters(), hp);
        Network network = factory.build(new ModelContext(data.info(), resolved, new BaseConfiguration(3,
                new TrainingSpec(1, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
        DataSet batch = TestWorkbench.firstRows(data.train(), 64);
        for (int i = 0; i < 5; i++) {
            network.fit(batch);
        }
        return network;
    }

    private static OnnxParityCheck.Report exportAndCompare(Network encoder, int opset) {
        return exportAndCompare(encoder, reviews, opset, false);
    }

    static OnnxParityCheck.Report exportAndCompare(Network network, DataSplits data, int opset, boolean maskPadding) {
        byte[] model = new OnnxExporter(ExportRules.standard()).export((MultiLayerNetwork) network.model(),
                data.info().input(), ModelMetadata.of("transformer", data.info(), null), opset, maskPadding).toByteArray();
        INDArray inputs = TestWorkbench.firstRows(data.test(), 64).getFeatures();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            return OnnxParityCheck.compare(network, onnx, inputs);
        }
    }

    private static void assertParity(OnnxParityCheck.Report report) {
        assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertArrayEquals(new long[]{64, 2}, report.outputShape());
    }

    @Test
    void twoBlocksOfFourHeadsWithDropoutMatch() {
        Network encoder = trained(Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 2, "dropout", 0.1));
        assertParity(exportAndCompare(encoder, OnnxExporter.DEFAULT_OPSET));
    }

    /** Layer norm is written with primitive ops, so opsets before LayerNormalization (17) export too. */
    @ParameterizedTest
    @ValueSource(ints = {13, 21})
    void geluBlockMatchesAtTheLowestAndHighestOpset(int opset) {
        Network encoder = trained(Map.of("d_model", 16, "heads", 2, "ff", 48, "layers", 1, "activation", "gelu", "dropout", 0.0));
        assertParity(exportAndCompare(encoder, opset));
    }

    @Test
    void singleHeadMatches() {
        Network encoder = trained(Map.of("d_model", 24, "heads", 1, "ff", 32, "layers", 1, "dropout", 0.0));
        assertParity(exportAndCompare(encoder, OnnxExporter.DEFAULT_OPSET));
    }

    /**
     * The decoder's causal mask is a constant table in the graph: ONNX Runtime gives every step's next-character
     * probabilities of 64 real validation windows as DL4J does.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"pre, learned, gelu", "post, sinusoidal, relu"})
    void decoderWithItsCausalMaskMatches(String norm, String positions, String activation) {
        Network gpt = trained(GPT, shakespeare, Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 2, "norm", norm,
                "positions", positions, "activation", activation));
        OnnxParityCheck.Report report = exportAndCompare(gpt, shakespeare, OnnxExporter.DEFAULT_OPSET, false);
        assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertArrayEquals(new long[]{64, shakespeare.info().labels().size(), CONTEXT}, report.outputShape());
        System.out.printf("gpt %s-LN %s: ONNX parity on 64 windows, max abs %.2e, max rel %.2e%n", norm, positions,
                report.maxAbsDiff(), report.maxRelDiff());
    }

    /**
     * A decoder whose token embedding reads the head's weights exports them once: one initializer {@code [d_model,
     * vocabulary]} that the embedding's Gather and the head's MatMul both read, and ONNX Runtime gives DL4J's
     * next-character probabilities on 64 real windows.
     */
    @Test
    void tiedDecoderSharesOneInitializerAndMatches() {
        Network gpt = trained(GPT, shakespeare, Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 2, "tie_weights", true));
        onnx.Onnx.GraphProto graph = new OnnxExporter(ExportRules.standard()).export((MultiLayerNetwork) gpt.model(),
                shakespeare.info().input(), ModelMetadata.of("gpt", shakespeare.info(), null), OnnxExporter.DEFAULT_OPSET).getGraph();
        String gathered = graph.getNodeList().stream().filter(n -> n.getOpType().equals("Gather")
                && n.getName().startsWith("layer0")).findFirst().orElseThrow().getInput(0);
        onnx.Onnx.TensorProto shared = graph.getInitializerList().stream().filter(t -> t.getName().equals(gathered))
                .findFirst().orElseThrow();
        long vocabulary = shakespeare.info().input().vocabulary();
        assertEquals(List.of(32L, vocabulary), shared.getDimsList());
        assertTrue(graph.getNodeList().stream().anyMatch(n -> n.getOpType().equals("MatMul") && n.getInput(1).equals(gathered)),
                "the head's MatMul reads the embedding's initializer");
        assertEquals(1, graph.getInitializerList().stream().filter(t -> t.getDimsList().equals(List.of(32L, vocabulary))
                || t.getDimsList().equals(List.of(vocabulary, 32L))).count(), "one embedding-sized initializer");
        OnnxParityCheck.Report report = exportAndCompare(gpt, shakespeare, OnnxExporter.DEFAULT_OPSET, false);
        assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertArrayEquals(new long[]{64, shakespeare.info().labels().size(), CONTEXT}, report.outputShape());
        System.out.printf("tied gpt: ONNX parity on 64 windows, max abs %.2e, max rel %.2e%n", report.maxAbsDiff(),
                report.maxRelDiff());
    }

    /**
     * With its padding mask, the encoder's graph computes the mask from the ids: the same one input, and padded
     * sentences (most of these, cut to 24 words) give DL4J's masked probabilities, which differ from the unmasked.
     */
    @Test
    void paddingMaskedEncoderMatchesOnPaddedSentences() {
        Network encoder = trained(Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 2, "dropout", 0.1,
                "padding_mask", true));
        assertInstanceOf(dev.workbench.train.PaddingMaskedNetwork.class, encoder);
        INDArray sentences = TestWorkbench.firstRows(reviews.test(), 64).getFeatures();
        assertTrue(sentences.getDouble(0, 0, 0) == 0 || sentences.getDouble(1, 0, 0) == 0, "padded sentences compared");
        OnnxParityCheck.Report masked = exportAndCompare(encoder, reviews, OnnxExporter.DEFAULT_OPSET, true);
        assertParity(masked);
        System.out.printf("padding-masked encoder: ONNX parity on 64 sentences, max abs %.2e, max rel %.2e%n",
                masked.maxAbsDiff(), masked.maxRelDiff());
        OnnxParityCheck.Report unmasked = exportAndCompare(encoder, reviews, OnnxExporter.DEFAULT_OPSET, false);
        assertFalse(unmasked.passed(), "a graph without the mask reads the padding: max abs " + unmasked.maxAbsDiff());
    }

    @Test
    void finishedRunExportsThroughTheWorkbench(@TempDir Path output) {
        String yaml = """
                name: transformer-export
                seed: 4
                dataset: {name: sentiment, batch_size: 32, sequence_length: 20, splits: {validation: 0.15, test: 0.2}}
                model: {family: transformer, architecture: encoder,
                        hyperparameters: {d_model: 32, heads: 2, ff: 64, layers: 2, activation: gelu, dropout: 0.1}}
                training: {epochs: 1, optimizer: {type: adam, lr: 0.002}}
                output: %s
                """.formatted(output.toString().replace("\\", "/"));
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(JobFile.parse(yaml, "transformer-export.yaml", List.of()));
        Workbench.Export export = workbench.export(run.folder().root(), OnnxExporter.DEFAULT_OPSET, null, 100);
        assertTrue(Files.isRegularFile(export.file()));
        assertTrue(export.parity().passed(), "max abs " + export.parity().maxAbsDiff());
        assertEquals(100, export.parity().samples());
    }
}
