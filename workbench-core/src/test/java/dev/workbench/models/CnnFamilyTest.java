package dev.workbench.models;

import dev.workbench.TestWorkbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.onnx.ExportRules;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.onnx.OnnxParityCheck;
import dev.workbench.onnx.OnnxRuntimeModel;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.GraphNetwork;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** VGG-style and ResNet: structure, learning on real digits, save/load, and ONNX parity. */
class CnnFamilyTest {
    private static final DataSplits DIGITS = DatasetRegistry.builtIn().get("digits").load(
            new DatasetSpec("digits", 32, new SplitSpec(0.1, 0.2), "scale", List.of()), 2, DataLocations.fromEnvironment());

    private static Network build(String architecture, Map<String, Object> hp) {
        ModelFactory factory = ModelRegistry.builtIn().get("cnn", architecture);
        Hyperparameters resolved = Hyperparameters.resolve(factory.hyperparameters(), hp);
        assertTrue(factory.incompatibility(DIGITS.info(), resolved).isEmpty());
        return factory.build(new ModelContext(DIGITS.info(), resolved,
                new BaseConfiguration(5, new TrainingSpec(2, new OptimizerSpec("adam", 0.005, null, null), null, null, null, null), 10)));
    }


    private static void learnsAndExports(Network network) {
        DataSet batch = TestWorkbench.firstRows(DIGITS.train(), 128);
        network.fit(batch);
        double first = network.score();
        for (int i = 0; i < 25; i++) {
            network.fit(batch);
        }
        assertTrue(network.score() < 0.5 * first, "loss " + first + " -> " + network.score());
        ModelMetadata metadata = ModelMetadata.of("cnn", DIGITS.info(), DIGITS.normalizer());
        OnnxExporter exporter = new OnnxExporter(ExportRules.standard());
        byte[] model = network.model() instanceof ComputationGraph graph
                ? exporter.export(graph, DIGITS.info().input(), metadata, 17).toByteArray()
                : exporter.export((MultiLayerNetwork) network.model(), DIGITS.info().input(), metadata, 17).toByteArray();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(network, onnx, TestWorkbench.firstRows(DIGITS.test(), 64).getFeatures());
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        }
    }

    @Test
    void vggStagesHalveTheImageAndTheNetworkLearnsAndExports() {
        Network vgg = build("vgg", Map.of("widths", List.of(8, 16), "dense", 32));
        MultiLayerNetwork net = (MultiLayerNetwork) vgg.model();
        // 2 stages x (conv, BN, act, conv, BN, act, pool, dropout) + dense + output
        assertEquals(2 * 8 + 2, net.getnLayers());
        assertArrayEquals(new long[]{3, 10}, vgg.output(TestWorkbench.firstRows(DIGITS.test(), 3).getFeatures()).shape());
        learnsAndExports(vgg);
    }

    @Test
    void resnetDepthIsSixNPlusTwoWithProjectionShortcutsWhereShapesChange() {
        for (int n : new int[]{1, 2}) {
            ComputationGraph graph = ((GraphNetwork) build("resnet", Map.of("blocks_per_stage", n, "widths", List.of(4, 8, 8)))).graph();
            long convs = java.util.Arrays.stream(graph.getLayers())
                    .filter(l -> l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
                    .filter(l -> !l.conf().getLayer().getLayerName().endsWith("_proj"))
                    .count();
            assertEquals(6L * n + 1, convs, "3x3 convolutions of ResNet-" + (6 * n + 2) + " (plus the dense head)");
            long projections = java.util.Arrays.stream(graph.getLayers())
                    .filter(l -> l.conf().getLayer().getLayerName().endsWith("_proj")).count();
            assertEquals(2, projections, "stages 2 and 3 both downsample, so each first block projects its shortcut");
        }
    }

    @Test
    void resnetLearnsExportsAndRoundTrips(@TempDir Path dir) throws Exception {
        Network resnet = build("resnet", Map.of("widths", List.of(8, 16, 16)));
        learnsAndExports(resnet);
        Network loaded = TestWorkbench.savedAndLoaded(resnet, dir.resolve("resnet.zip"));
        assertEquals(resnet.output(DIGITS.test().getFeatures()), loaded.output(DIGITS.test().getFeatures()));
    }
}
