package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The transformer family's encoder, trained on real review sentences, exports and matches ONNX Runtime at the
 * default tolerance: several blocks and heads, both feed-forward activations, the lowest and highest opsets, and
 * through {@code workbench export} of a finished run.
 */
class TransformerExportTest {
    private static final ModelFactory ENCODER = ModelRegistry.builtIn().get("transformer", "encoder");
    private static final int STEPS = 24;
    private static DataSplits reviews;

    @BeforeAll
    static void loadReviews() {
        reviews = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32, new SplitSpec(0.15, 0.2),
                "none", List.of(), null, STEPS, null, null), 7, DataLocations.fromEnvironment());
    }

    /** The factory's network, fitted a few steps on real reviews so no weight is at its initial value. */
    private static Network trained(Map<String, Object> hp) {
        Hyperparameters resolved = Hyperparameters.resolve(ENCODER.hyperparameters(), hp);
        Network encoder = ENCODER.build(new ModelContext(reviews.info(), resolved, new BaseConfiguration(3,
                new TrainingSpec(1, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
        DataSet batch = TestWorkbench.firstRows(reviews.train(), 64);
        for (int i = 0; i < 5; i++) {
            encoder.fit(batch);
        }
        return encoder;
    }

    private static OnnxParityCheck.Report exportAndCompare(Network encoder, int opset) {
        byte[] model = new OnnxExporter(ExportRules.standard()).export((MultiLayerNetwork) encoder.model(),
                reviews.info().input(), ModelMetadata.of("transformer", reviews.info(), null), opset).toByteArray();
        INDArray sentences = TestWorkbench.firstRows(reviews.test(), 64).getFeatures();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            return OnnxParityCheck.compare(encoder, onnx, sentences);
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
