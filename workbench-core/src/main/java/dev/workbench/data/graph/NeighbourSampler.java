package dev.workbench.data.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GraphSAGE's neighbourhood sampling (Hamilton et al. 2017, algorithm 2) for a batch of target nodes: from the last
 * layer to the first, each node the layer computes draws up to that layer's fanout of its neighbours, uniformly
 * without replacement, or all of them when it has no more (as PyTorch Geometric and DGL do; the paper's code draws
 * with replacement from a padded list, so a node of degree 3 may average one neighbour twice). The nodes drawn join
 * the rows the layer before must compute. A draw costs time in proportion to the nodes it reaches and their degrees,
 * independent of the graph's size.
 */
public final class NeighbourSampler {
    private final SparseRows neighbourhoods;
    private final int[] fanouts;
    private final int maxDegree;

    /**
     * @param neighbourhoods row {@code i} lists node {@code i}'s neighbours; a diagonal entry (a self-loop) is not
     *                       a neighbour and is never drawn
     * @param fanouts        per layer, the first layer's first: how many neighbours each node of that layer averages
     */
    public NeighbourSampler(SparseRows neighbourhoods, List<Integer> fanouts) {
        if (fanouts.isEmpty() || fanouts.stream().anyMatch(f -> f < 1)) {
            throw new IllegalArgumentException("fanouts: one whole number >= 1 per layer, got " + fanouts);
        }
        this.neighbourhoods = neighbourhoods;
        this.fanouts = fanouts.stream().mapToInt(Integer::intValue).toArray();
        int max = 0;
        for (int i = 0; i < neighbourhoods.size(); i++) {
            max = Math.max(max, neighbourhoods.rowStart()[i + 1] - neighbourhoods.rowStart()[i]);
        }
        this.maxDegree = max;
    }

    /** The blocks of one minibatch of distinct {@code targets}, drawn with {@code random} alone. */
    public SampledBlocks sample(int[] targets, SplittableRandom random) {
        Map<Integer, Integer> rowOf = new HashMap<>();
        int[] nodes = new int[Math.max(16, 2 * targets.length)];
        int count = 0;
        for (int target : targets) {
            if (target < 0 || target >= neighbourhoods.size()) {
                throw new IllegalArgumentException("target " + target + " is not a node of the graph (0.."
                        + (neighbourhoods.size() - 1) + ")");
            }
            if (rowOf.putIfAbsent(target, count) != null) {
                throw new IllegalArgumentException("target " + target + " appears twice in one batch");
            }
            nodes = grown(nodes, count + 1);
            nodes[count++] = target;
        }
        int[] drawn = new int[maxDegree];
        SampledBlocks.Block[] blocks = new SampledBlocks.Block[fanouts.length];
        int outputs = targets.length;
        for (int layer = fanouts.length - 1; layer >= 0; layer--) {
            int[] rowStart = new int[outputs + 1];
            int[] columns = new int[Math.max(16, outputs)];
            int entries = 0;
            for (int row = 0; row < outputs; row++) {
                int k = draw(nodes[row], fanouts[layer], random, drawn);
                columns = grown(columns, entries + k);
                for (int d = 0; d < k; d++) {
                    Integer known = rowOf.putIfAbsent(drawn[d], count);
                    if (known == null) {
                        nodes = grown(nodes, count + 1);
                        nodes[count] = drawn[d];
                        known = count++;
                    }
                    columns[entries++] = known;
                }
                rowStart[row + 1] = entries;
            }
            blocks[layer] = new SampledBlocks.Block(mean(rowStart, Arrays.copyOf(columns, entries), count), outputs);
            outputs = count;
        }
        return new SampledBlocks(Arrays.copyOf(nodes, count), List.of(blocks));
    }

    /** Puts up to {@code fanout} distinct neighbours of {@code node} at the start of {@code drawn}; returns how many. */
    private int draw(int node, int fanout, SplittableRandom random, int[] drawn) {
        int degree = 0;
        for (int e = neighbourhoods.rowStart()[node]; e < neighbourhoods.rowStart()[node + 1]; e++) {
            if (neighbourhoods.columns()[e] != node) {
                drawn[degree++] = neighbourhoods.columns()[e];
            }
        }
        if (degree <= fanout) {
            return degree;
        }
        // A partial Fisher-Yates shuffle: the first fanout places get a uniform draw without replacement.
        for (int i = 0; i < fanout; i++) {
            int j = i + random.nextInt(degree - i);
            int t = drawn[i];
            drawn[i] = drawn[j];
            drawn[j] = t;
        }
        return fanout;
    }

    /** Rows {@code 0..rowStart.length-2} average their entries; the rows after them, up to {@code size}, are empty. */
    private static SparseRows mean(int[] outputRowStart, int[] columns, int size) {
        int[] rowStart = Arrays.copyOf(outputRowStart, size + 1);
        Arrays.fill(rowStart, outputRowStart.length, size + 1, columns.length);
        double[] weights = new double[columns.length];
        for (int row = 0; row + 1 < outputRowStart.length; row++) {
            Arrays.fill(weights, rowStart[row], rowStart[row + 1], 1.0 / Math.max(1, rowStart[row + 1] - rowStart[row]));
        }
        return new SparseRows(size, rowStart, columns, weights);
    }

    private static int[] grown(int[] array, int needed) {
        return needed <= array.length ? array : Arrays.copyOf(array, Math.max(needed, 2 * array.length));
    }
}
