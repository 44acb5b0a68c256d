package dev.workbench.data.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** GraphSAGE's sampled neighbourhoods on Cora: real neighbours only, at most the fanout, the same for a seed. */
class NeighbourSamplerTest {
    private static final NodeGraph CORA = DatasetRegistry.builtIn().get("cora").load(new DatasetSpec("cora", 2708, null,
            "none", List.of()), 1, DataLocations.fromEnvironment()).graph();
    private static final SparseRows NEIGHBOURHOODS = CORA.normalizedAdjacency();
    private static final int[] TARGETS = IntStream.range(0, 64).map(i -> i * 41).toArray();

    @Test
    void eachRowAveragesAtMostItsFanoutOfDistinctRealNeighbours() {
        Set<Long> edges = new HashSet<>();
        for (int e = 0; e < CORA.edges(); e++) {
            edges.add(key(CORA.sources()[e], CORA.targets()[e]));
            edges.add(key(CORA.targets()[e], CORA.sources()[e]));
        }
        List<Integer> fanouts = List.of(25, 3);
        SampledBlocks blocks = new NeighbourSampler(NEIGHBOURHOODS, fanouts).sample(TARGETS, new SplittableRandom(5));
        int boundedRows = 0;
        for (int layer = 0; layer < fanouts.size(); layer++) {
            SparseRows mean = blocks.layers().get(layer).neighbourMean();
            for (int row = 0; row < blocks.layers().get(layer).outputs(); row++) {
                int node = blocks.nodes()[row];
                int[] drawn = IntStream.range(mean.rowStart()[row], mean.rowStart()[row + 1])
                        .map(e -> blocks.nodes()[mean.columns()[e]]).toArray();
                int degree = (int) IntStream.range(NEIGHBOURHOODS.rowStart()[node], NEIGHBOURHOODS.rowStart()[node + 1])
                        .filter(e -> NEIGHBOURHOODS.columns()[e] != node).count();
                assertEquals(Math.min(degree, fanouts.get(layer)), drawn.length, "layer " + layer + " node " + node);
                assertEquals(drawn.length, Arrays.stream(drawn).distinct().count(), "drawn without replacement");
                for (int neighbour : drawn) {
                    assertTrue(edges.contains(key(node, neighbour)), node + " -> " + neighbour + " is not an edge");
                }
                for (int e = mean.rowStart()[row]; e < mean.rowStart()[row + 1]; e++) {
                    assertEquals(1.0 / drawn.length, mean.weights()[e], 1e-15);
                }
                boundedRows += degree > fanouts.get(layer) ? 1 : 0;
            }
            for (int row = blocks.layers().get(layer).outputs(); row < mean.size(); row++) {
                assertEquals(mean.rowStart()[row], mean.rowStart()[row + 1], "row " + row + " is only an input");
            }
        }
        assertTrue(boundedRows > 10, "the fanout cut " + boundedRows + " neighbourhoods short");
    }

    @Test
    void everyLayersOutputsAreTheFirstRowsOfItsInputsEndingAtTheTargets() {
        SampledBlocks blocks = new NeighbourSampler(NEIGHBOURHOODS, List.of(10, 5, 2)).sample(TARGETS, new SplittableRandom(1));
        assertArrayEquals(TARGETS, Arrays.copyOf(blocks.nodes(), TARGETS.length));
        assertEquals(TARGETS.length, blocks.targets());
        assertEquals(blocks.nodes().length, blocks.layers().get(0).inputs());
        for (int layer = 0; layer + 1 < blocks.layers().size(); layer++) {
            assertEquals(blocks.layers().get(layer).outputs(), blocks.layers().get(layer + 1).inputs());
        }
        assertEquals(blocks.nodes().length, Arrays.stream(blocks.nodes()).distinct().count(), "a node has one row");
        assertTrue(blocks.nodes().length < CORA.nodes(), "the batch reaches " + blocks.nodes().length + " nodes");
    }

    @Test
    void theSameSeedDrawsTheSameBlocksAndAnotherSeedOthers() {
        NeighbourSampler sampler = new NeighbourSampler(NEIGHBOURHOODS, List.of(4, 2));
        SampledBlocks first = sampler.sample(TARGETS, new SplittableRandom(42));
        SampledBlocks again = sampler.sample(TARGETS, new SplittableRandom(42));
        SampledBlocks other = sampler.sample(TARGETS, new SplittableRandom(43));
        assertArrayEquals(first.nodes(), again.nodes());
        for (int layer = 0; layer < 2; layer++) {
            assertArrayEquals(first.layers().get(layer).neighbourMean().columns(),
                    again.layers().get(layer).neighbourMean().columns());
            assertArrayEquals(first.layers().get(layer).neighbourMean().rowStart(),
                    again.layers().get(layer).neighbourMean().rowStart());
        }
        assertFalse(Arrays.equals(first.nodes(), other.nodes()));
    }

    /** Cora's best-cited paper: every neighbour drawn about equally often over many draws of a few. */
    @Test
    void drawsAreUniformOverTheNeighbours() {
        int hub = IntStream.range(0, CORA.nodes()).boxed().max((a, b) -> Integer.compare(degree(a), degree(b))).orElseThrow();
        int degree = degree(hub);
        NeighbourSampler sampler = new NeighbourSampler(NEIGHBOURHOODS, List.of(10));
        SplittableRandom random = new SplittableRandom(9);
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        int draws = 3000;
        for (int i = 0; i < draws; i++) {
            SampledBlocks blocks = sampler.sample(new int[]{hub}, random);
            for (int row = 1; row < blocks.nodes().length; row++) {
                counts.merge(blocks.nodes()[row], 1, Integer::sum);
            }
        }
        assertEquals(degree, counts.size(), "every neighbour of node " + hub + " was drawn");
        double expected = draws * 10.0 / degree;
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - expected) < 5 * Math.sqrt(expected), count + " draws, expected " + expected);
        }
    }

    @Test
    void anIsolatedNodeAndAListedSelfLoopDrawNothing() {
        // A path 0-1-2 with a self-loop on 1, and node 3 isolated.
        SparseRows rows = new NodeGraph(4, new int[]{0, 1, 1}, new int[]{1, 2, 1}).normalizedAdjacency();
        SampledBlocks blocks = new NeighbourSampler(rows, List.of(5)).sample(new int[]{3, 1}, new SplittableRandom(0));
        SparseRows mean = blocks.layers().get(0).neighbourMean();
        assertEquals(0, mean.rowStart()[1], "the isolated node averages nothing");
        assertEquals(Set.of(0, 2), IntStream.range(mean.rowStart()[1], mean.rowStart()[2])
                .map(e -> blocks.nodes()[mean.columns()[e]]).boxed().collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aTargetTwiceOrOutsideTheGraphIsRefused() {
        NeighbourSampler sampler = new NeighbourSampler(NEIGHBOURHOODS, List.of(2));
        assertEquals("target 7 appears twice in one batch", assertThrows(IllegalArgumentException.class,
                () -> sampler.sample(new int[]{7, 8, 7}, new SplittableRandom(0))).getMessage());
        assertEquals("target 2708 is not a node of the graph (0..2707)", assertThrows(IllegalArgumentException.class,
                () -> sampler.sample(new int[]{2708}, new SplittableRandom(0))).getMessage());
    }

    private static int degree(int node) {
        return NEIGHBOURHOODS.rowStart()[node + 1] - NEIGHBOURHOODS.rowStart()[node] - 1;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | b;
    }
}
