package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.onnx.ExportRules;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.onnx.OnnxParityCheck;
import dev.workbench.onnx.OnnxRuntimeModel;
import dev.workbench.train.ExportedModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Each architecture's generator exports to ONNX: noise (and a label) in, the images workbench generate draws out. */
class GanExportTest {
    private static final DataSplits MNIST = DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, 0.2), "scale", List.of()), 1, DataLocations.fromEnvironment());

    /** A small pair after a few adversarial steps on real digits, so batch norm's running statistics have moved. */
    private static GanNetwork trained(String architecture) {
        return trained(architecture, Map.of());
    }

    /** @param more hyperparameters beside the small network's */
    private static GanNetwork trained(String architecture, Map<String, Object> more) {
        Map<String, Object> hp = new java.util.HashMap<>(architecture.equals("dcgan")
                ? Map.of("filters", 8, "latent", 16)
                : Map.of("generator", List.of(64, 32), "discriminator", List.of(32), "latent", 16));
        hp.putAll(more);
        GanNetwork gan = GanTest.build(architecture, hp);
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 64);
        for (int i = 0; i < 5; i++) {
            gan.fit(batch);
        }
        return gan;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "dcgan", "conditional"})
    void theGeneratorExportsAndOnnxRuntimeDrawsTheSameImagesFromTheSameNoise(String architecture) {
        GanNetwork gan = trained(architecture);
        ExportedModel exported = new GanObjective().exportedModel(gan, 64).orElseThrow();
        assertEquals(gan.settings().conditional() ? List.of("noise", "label") : List.of("noise"),
                exported.inputs().stream().map(ExportedModel.Input::name).toList());
        assertArrayEquals(new long[]{64, 784}, exported.expected().shape());

        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(onnx(exported))) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(exported, onnx, OnnxParityCheck.RTOL,
                    OnnxParityCheck.ATOL);
            assertTrue(report.passed(), architecture + ": max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
            assertEquals(64, report.samples());
            if (gan.settings().conditional()) {
                // The label input steers the image: asking every row for a 3 gives what the generator draws for 3s.
                int[] threes = new int[64];
                java.util.Arrays.fill(threes, 3);
                INDArray noise = exported.parityInputs().get(0);
                INDArray drawn = onnx.run(Map.of("noise", noise, "label", LatentNoise.oneHot(threes, 10)));
                assertTrue(OnnxParityCheck.compare(gan.generate(noise, threes), drawn, OnnxParityCheck.RTOL,
                        OnnxParityCheck.ATOL).passed());
                assertTrue(drawn.sub(exported.expected()).amaxNumber().doubleValue() > 1e-3,
                        "other labels, other images");
            }
        }
    }

    @Test
    void withGEmaTheMovingAverageIsWhatExportsAndOnnxRuntimeDrawsItsImages() {
        GanNetwork gan = trained("dcgan", Map.of("g_ema", 0.9));
        ExportedModel exported = new GanObjective().exportedModel(gan, 64).orElseThrow();
        assertSame(gan.drawingGenerator(), exported.model());
        INDArray noise = exported.parityInputs().get(0);
        assertEquals(gan.generate(noise, null), exported.expected());
        assertTrue(gan.generateByTrainedGenerator(noise, null).sub(exported.expected()).amaxNumber().doubleValue() > 1e-3,
                "the trained generator draws other images");
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(onnx(exported))) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(exported, onnx, OnnxParityCheck.RTOL,
                    OnnxParityCheck.ATOL);
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        }
    }

    @Test
    void aDcganWithQuarterConvolutionsExportsWithParity() {
        GanNetwork gan = trained("dcgan", Map.of("quarter_convs", 1));
        ExportedModel exported = new GanObjective().exportedModel(gan, 64).orElseThrow();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(onnx(exported))) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(exported, onnx, OnnxParityCheck.RTOL,
                    OnnxParityCheck.ATOL);
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        }
    }

    private static byte[] onnx(ExportedModel exported) {
        return new OnnxExporter(ExportRules.standard()).export(exported,
                ModelMetadata.of("gan", MNIST.info(), MNIST.normalizer()), OnnxExporter.DEFAULT_OPSET).toByteArray();
    }
}
