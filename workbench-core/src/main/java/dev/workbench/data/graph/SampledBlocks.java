package dev.workbench.data.graph;

import java.util.List;

/**
 * The computation graph of one GraphSAGE minibatch (Hamilton et al. 2017, algorithm 2): the nodes whose features
 * enter the first layer and, for each layer, which of its input rows each of its output rows averages. Rows are
 * local to the batch and nested: a layer's output rows are the first of its input rows, in the same order, so a row
 * is the same node in every layer, and the last layer's outputs are the targets.
 *
 * @param nodes  the graph's node id of each input row of the first layer
 * @param layers one block per layer, the first layer's first
 */
public record SampledBlocks(int[] nodes, List<Block> layers) {

    /**
     * One layer's sampled neighbourhoods.
     *
     * @param neighbourMean square over the layer's input rows: row {@code r < outputs} averages the sampled neighbours
     *                      of output row {@code r} (no entries: none sampled, the mean is zero); the rows from
     *                      {@code outputs} on are empty
     * @param outputs       how many rows the layer computes: the first {@code outputs} of its input rows
     */
    public record Block(SparseRows neighbourMean, int outputs) {
        public int inputs() {
            return neighbourMean.size();
        }
    }

    /** The batch's target nodes: the last layer's output rows. */
    public int targets() {
        return layers.get(layers.size() - 1).outputs();
    }
}
