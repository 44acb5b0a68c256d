package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.data.graph.NodeGraph;
import dev.workbench.job.JobFile;
import dev.workbench.models.gnn.NodeGraphNetwork;
import dev.workbench.train.SequentialNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import onnx.Onnx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * GCN, GAT and GraphSAGE runs on Cora export with the graph's edges as a second input: ONNX Runtime matches the
 * workbench on every node of the real graph, and the same file run on another graph matches the workbench's
 * runtime attached to that graph.
 */
class GnnExportTest {
    /**
     * Five nodes: 0-1 given twice and once reversed, 1 -> 2 one way only, a self-loop on 2 given explicitly, 3 -> 1,
     * and node 4 isolated.
     */
    private static final NodeGraph SMALL = new NodeGraph(5, new int[]{0, 1, 0, 1, 2, 3}, new int[]{1, 0, 1, 2, 2, 1});

    @TempDir
    Path output;

    private Workbench.FinishedRun trained(Workbench workbench, String architecture) {
        Workbench.Run run = workbench.train(JobFile.parse("""
                name: cora-%s-export
                seed: 4
                dataset: {name: cora, batch_size: 2708, normalization: none}
                model: {family: gnn, architecture: %s}
                training: {epochs: 8, optimizer: {type: adam, lr: 0.01}}
                output: %s
                """.formatted(architecture, architecture, output.toString().replace("\\", "/")), "cora.yaml", List.of()));
        return workbench.finished(run.folder().root());
    }

    @ParameterizedTest
    @CsvSource({"gcn, 16", "gat, 18", "sage, 16"})
    void exportsWithTheEdgesAsAnInputAndMatchesOnEveryNodeAndOnAnotherGraph(String architecture, int opset)
            throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.FinishedRun run = trained(workbench, architecture);

        // Asked for opset 13, written at the one its scatter reductions need.
        Workbench.Export export = workbench.export(run.folder().root(), 13, null, 64);
        assertEquals(opset, export.opset());
        assertTrue(export.parity().passed());
        assertEquals(2_708, export.parity().samples(), "every node of Cora is compared, not 64 rows");
        assertEquals(List.of(2_708L, 7L), java.util.Arrays.stream(export.parity().outputShape()).boxed().toList());
        Onnx.ModelProto proto = Onnx.ModelProto.parseFrom(Files.readAllBytes(export.file()));
        assertEquals(List.of(OnnxExporter.INPUT, OnnxExporter.EDGE_INDEX),
                proto.getGraph().getInputList().stream().map(Onnx.ValueInfoProto::getName).toList());
        assertEquals(7, proto.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("workbench.edge_index")
                && p.getValue().startsWith("int64 [2, edges]")));

        INDArray features = run.data().test().getFeatures().get(NDArrayIndex.interval(0, SMALL.nodes()), NDArrayIndex.all());
        NodeGraphNetwork onCora = (NodeGraphNetwork) run.model();
        INDArray expected = new NodeGraphNetwork(new SequentialNetwork(onCora.net().clone()), SMALL).output(features);
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(export.file())) {
            INDArray actual = onnx.run(features, SMALL);
            OnnxParityCheck.Report report = OnnxParityCheck.compare(expected, actual, OnnxParityCheck.RTOL, OnnxParityCheck.ATOL);
            assertTrue(report.passed(), "on the 5-node graph: max abs diff " + report.maxAbsDiff());
            System.out.printf("%s: Cora max abs %.2e rel %.2e; small graph max abs %.2e rel %.2e%n", architecture,
                    export.parity().maxAbsDiff(), export.parity().maxRelDiff(), report.maxAbsDiff(), report.maxRelDiff());
            // The graph is an input, not baked in: the same five nodes classified within Cora come out differently.
            INDArray inCora = onCora.output(run.data().test().getFeatures())
                    .get(NDArrayIndex.interval(0, SMALL.nodes()), NDArrayIndex.all());
            assertTrue(actual.sub(inCora).amaxNumber().doubleValue() > 1e-3);
            IllegalArgumentException rowsOnly = assertThrows(IllegalArgumentException.class, () -> onnx.run(features));
            assertTrue(rowsOnly.getMessage().contains("takes the node features and the graph's edges (edge_index)"),
                    rowsOnly.getMessage());
        }
        for (String engine : List.of("onnx", "dl4j")) {
            IllegalArgumentException predict = assertThrows(IllegalArgumentException.class,
                    () -> workbench.predictor(run.folder().root(), engine));
            assertTrue(predict.getMessage().contains("predict and serve take independent rows"), predict.getMessage());
        }
    }
}
