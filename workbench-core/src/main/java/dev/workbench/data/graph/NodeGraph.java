package dev.workbench.data.graph;

import java.util.Arrays;

/**
 * The edges of a graph of {@code nodes} nodes, as listed (directed pairs, possibly with duplicates and self-loops);
 * {@link #normalizedAdjacency()} turns them into what a graph convolution propagates over.
 */
public record NodeGraph(int nodes, int[] sources, int[] targets) {
    public NodeGraph {
        if (sources.length != targets.length) {
            throw new IllegalArgumentException("edge lists differ in length: " + sources.length + " sources, "
                    + targets.length + " targets");
        }
        for (int e = 0; e < sources.length; e++) {
            if (sources[e] < 0 || sources[e] >= nodes || targets[e] < 0 || targets[e] >= nodes) {
                throw new IllegalArgumentException("edge " + e + " (" + sources[e] + " -> " + targets[e]
                        + ") names a node outside 0.." + (nodes - 1));
            }
        }
    }

    public int edges() {
        return sources.length;
    }

    /**
     * Kipf and Welling's propagation matrix D^-1/2 (A + I) D^-1/2 for the undirected graph: every edge both ways,
     * duplicates once, each node's self-loop once (an isolated node keeps only its own features).
     */
    public SparseRows normalizedAdjacency() {
        long[] keys = new long[2 * sources.length + nodes];
        int k = 0;
        for (int e = 0; e < sources.length; e++) {
            keys[k++] = key(sources[e], targets[e]);
            keys[k++] = key(targets[e], sources[e]);
        }
        for (int i = 0; i < nodes; i++) {
            keys[k++] = key(i, i);
        }
        long[] unique = Arrays.stream(keys).sorted().distinct().toArray();
        int[] rowStart = new int[nodes + 1];
        int[] columns = new int[unique.length];
        for (int e = 0; e < unique.length; e++) {
            int row = (int) (unique[e] >>> 32);
            columns[e] = (int) unique[e];
            rowStart[row + 1]++;
        }
        for (int i = 0; i < nodes; i++) {
            rowStart[i + 1] += rowStart[i];
        }
        double[] inverseRootDegree = new double[nodes];
        for (int i = 0; i < nodes; i++) {
            inverseRootDegree[i] = 1.0 / Math.sqrt(rowStart[i + 1] - rowStart[i]);
        }
        double[] weights = new double[unique.length];
        for (int i = 0; i < nodes; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                weights[e] = inverseRootDegree[i] * inverseRootDegree[columns[e]];
            }
        }
        return new SparseRows(nodes, rowStart, columns, weights);
    }

    private static long key(int row, int column) {
        return ((long) row << 32) | column;
    }
}
