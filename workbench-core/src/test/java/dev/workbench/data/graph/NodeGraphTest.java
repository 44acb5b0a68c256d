package dev.workbench.data.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph format and the propagation matrix built from it. */
class NodeGraphTest {

    @Test
    void propagationMatrixCountsEachEdgeOnceBothWaysWithOneSelfLoopPerNode() {
        // 0-1 listed twice and reversed, a self-loop on 2, node 3 isolated.
        SparseRows a = new NodeGraph(4, new int[]{0, 1, 0, 2, 1}, new int[]{1, 0, 1, 2, 2}).normalizedAdjacency();
        // Degrees with self-loops: 0 -> {0,1}: 2; 1 -> {0,1,2}: 3; 2 -> {1,2}: 2; 3 -> {3}: 1.
        assertEquals(1.0 / 2, a.get(0, 0), 1e-12);
        assertEquals(1.0 / Math.sqrt(6), a.get(0, 1), 1e-12);
        assertEquals(1.0 / Math.sqrt(6), a.get(1, 0), 1e-12);
        assertEquals(1.0 / 3, a.get(1, 1), 1e-12);
        assertEquals(1.0 / Math.sqrt(6), a.get(2, 1), 1e-12);
        assertEquals(1.0 / 2, a.get(2, 2), 1e-12);
        assertEquals(1.0, a.get(3, 3), 1e-12, "an isolated node keeps its own features");
        assertEquals(0.0, a.get(0, 2));
        assertEquals(2 + 3 + 2 + 1, a.entries());
    }

    @Test
    void floatRowsAreMultipliedInSinglePrecisionAsDoubleRowsAre() {
        SparseRows a = new NodeGraph(5, new int[]{0, 1, 2, 3, 0}, new int[]{1, 2, 3, 4, 4}).normalizedAdjacency();
        INDArray rows = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5);
        for (boolean transposed : new boolean[]{false, true}) {
            INDArray exact = a.times(rows, transposed);
            INDArray single = a.times(rows.castTo(DataType.FLOAT), transposed);
            assertEquals(DataType.FLOAT, single.dataType());
            assertTrue(exact.castTo(DataType.FLOAT).equalsWithEps(single, 1e-6), "transposed " + transposed);
            assertTrue(Math.abs(exact.getDouble(1, 1)) > 0, "the product is not all zeros");
        }
    }

    @Test
    void anEdgeToAMissingNodeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NodeGraph(3, new int[]{0}, new int[]{3}));
        assertEquals("edge 0 (0 -> 3) names a node outside 0..2", e.getMessage());
    }

    @Test
    void coraLoadsWithItsPlanetoidSplit() {
        DataSplits cora = DatasetRegistry.builtIn().get("cora").load(new DatasetSpec("cora", 2708, null, "none",
                List.of()), 1, DataLocations.fromEnvironment());
        assertEquals(2708, cora.graph().nodes());
        assertEquals(5278, cora.graph().edges());
        assertEquals(1433, cora.info().input().features());
        assertEquals(7, cora.info().numClasses());
        assertEquals(140, nodes(cora.train()));
        assertEquals(500, nodes(cora.validation()));
        assertEquals(1000, nodes(cora.test()));
        assertEquals(2708, cora.train().numExamples(), "every split holds all nodes");
        // Training weights average DL4J's per-row loss over the training nodes only.
        assertEquals(2708.0, cora.train().getLabelsMaskArray().sumNumber().doubleValue(), 1e-2);
        assertEquals(1.0, cora.train().getFeatures().getRow(0).sumNumber().doubleValue(), 1e-5, "row-normalised");
    }

    @Test
    void aBadFieldNamesTheFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), "node,label,split,feature_indices\na,0,train,0 1\nb,x,val,1\nc,1,test,\n");
        Files.writeString(dir.resolve("edges.csv"), "source,target\na,b\n");
        DataFileException e = assertThrows(DataFileException.class, () -> GraphFolderSource.read(dir, info()));
        assertTrue(e.getMessage().startsWith(dir.resolve("nodes.csv") + ": line 3, field label: expected an integer, got 'x'"),
                e.getMessage());
    }

    @Test
    void anEdgeToAnUnknownNodeNamesTheFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), "node,label,split,feature_indices\na,0,train,0\nb,1,val,1\nc,1,test,\n");
        Files.writeString(dir.resolve("edges.csv"), "source,target\na,b\nb,z\n");
        DataFileException e = assertThrows(DataFileException.class, () -> GraphFolderSource.read(dir, info()));
        assertTrue(e.getMessage().startsWith(dir.resolve("edges.csv") + ": line 3, field target: node 'z' is not in nodes.csv"),
                e.getMessage());
    }

    @Test
    void anyGraphInTheFormatLoadsWithStringIdsAndAnIsolatedNode(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), "node,label,split,feature_indices\na,0,train,0\nb,1,val,1 2\nc,1,test,\n");
        Files.writeString(dir.resolve("edges.csv"), "source,target\na,b\n");
        DataSplits graph = GraphFolderSource.read(dir, info());
        assertEquals(3, graph.graph().nodes());
        assertEquals(3, graph.info().input().features());
        assertEquals(List.of("0", "1"), graph.info().labels());
        assertEquals(0.5, graph.train().getFeatures().getDouble(1, 1), 1e-6);
        assertEquals(1.0, graph.graph().normalizedAdjacency().get(2, 2), 1e-12);
    }

    private static dev.workbench.data.DatasetInfo info() {
        return DatasetRegistry.builtIn().get("cora").info();
    }

    private static int nodes(org.nd4j.linalg.dataset.DataSet split) {
        return split.getLabelsMaskArray().gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().intValue();
    }
}
