package dev.workbench.onnx;

import dev.workbench.TestWorkbench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.train.CheckpointStore;
import dev.workbench.train.GraphNetwork;
import dev.workbench.train.ProgressReporter;
import dev.workbench.train.Trainer;
import dev.workbench.train.TrainingState;
import dev.workbench.job.TrainingSpec;
import java.io.OutputStream;
import java.io.PrintStream;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2Vertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ComputationGraph export: residual (element-wise add) and concatenating merges, checked against ONNX Runtime. */
class GraphExportTest {
    private static final DataSplits DIGITS = DatasetRegistry.builtIn().get("digits").load(
            new DatasetSpec("digits", 32, new SplitSpec(0.1, 0.2), "scale", List.of()), 3, DataLocations.fromEnvironment());

    private static ComputationGraph residualGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).updater(new Adam(1e-2))
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in")
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("conv_a", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(), "stem")
                .addLayer("bn_a", new BatchNormalization.Builder().build(), "conv_a")
                .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn_a", "stem")
                .addLayer("branch", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.TANH).build(), "residual")
                .addVertex("concat", new MergeVertex(), "residual", "branch")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "concat")
                .addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build(), "dense")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(8, 8, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet batch = new DataSet(DIGITS.train().getFeatures().get(NDArrayIndex.interval(0, 128), NDArrayIndex.all()),
                DIGITS.train().getLabels().get(NDArrayIndex.interval(0, 128), NDArrayIndex.all()));
        for (int i = 0; i < 10; i++) {
            graph.fit(batch);
        }
        return graph;
    }

    @Test
    void residualAndMergeGraphMatchesOnnxRuntime() {
        Network network = new GraphNetwork(residualGraph());
        byte[] model = new OnnxExporter(ExportRules.standard()).export((ComputationGraph) network.model(), DIGITS.info().input(),
                ModelMetadata.of("graph", DIGITS.info(), DIGITS.normalizer()), OnnxExporter.DEFAULT_OPSET).toByteArray();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(network, onnx,
                    DIGITS.test().getFeatures().get(NDArrayIndex.interval(0, 64), NDArrayIndex.all()));
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        }
    }

    @Test
    void savedGraphLoadsBackAsAGraph(@TempDir Path dir) throws Exception {
        Network network = new GraphNetwork(residualGraph());
        Network loaded = TestWorkbench.savedAndLoaded(network, dir.resolve("graph.zip"));
        assertTrue(loaded instanceof GraphNetwork);
        assertEquals(network.output(DIGITS.test().getFeatures()), loaded.output(DIGITS.test().getFeatures()));
    }

    @Test
    void theTrainerDrivesAGraphAndItsCheckpointsLikeASequentialNetwork(@TempDir Path dir) {
        CheckpointStore checkpoints = new CheckpointStore(dir.resolve("checkpoints"), TestWorkbench.ARCHIVE);
        Trainer trainer = new Trainer(new TrainingSpec(2, null, null, null, 1, null), 32, 1, checkpoints,
                new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())), s -> { });
        Trainer.Outcome outcome = trainer.train(new GraphNetwork(residualGraph()), TestWorkbench.ARCHIVE.objective(), DIGITS, TrainingState.fresh());
        assertEquals(2, outcome.state().history().size());
        assertEquals(0.01, outcome.state().history().get(1).get("lr"), 1e-9);
        assertTrue(outcome.state().history().get(1).get("val_accuracy") > 0.5, outcome.state().history().toString());
        assertTrue(checkpoints.load(checkpoints.latest().orElseThrow()) instanceof GraphNetwork);
    }

    @Test
    void vertexWithoutARuleIsNamed() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(4).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(4).build(), "in")
                .addVertex("distance", new L2Vertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(10).build(), "distance")
                .setOutputs("out").setInputTypes(InputType.feedForward(64)).build());
        graph.init();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> new OnnxExporter(ExportRules.standard())
                .export(graph, dev.workbench.data.InputShape.tabular(64), ModelMetadata.of("g", DIGITS.info(), null), 17));
        assertTrue(e.getMessage().contains("(L2Vertex): no ONNX export rule for this graph vertex"), e.getMessage());
    }
}
