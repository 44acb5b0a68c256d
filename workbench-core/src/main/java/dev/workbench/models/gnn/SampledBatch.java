package dev.workbench.models.gnn;

import dev.workbench.data.graph.SampledBlocks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A training batch of sampled neighbourhoods: the features of the blocks' input nodes, the labels of the targets,
 * and the blocks, which {@link NodeGraphNetwork#fit} runs its layers on. It counts as its targets: the loss is theirs.
 */
final class SampledBatch extends DataSet {
    private final transient SampledBlocks blocks;

    SampledBatch(INDArray features, INDArray targetLabels, SampledBlocks blocks) {
        super(features, targetLabels);
        this.blocks = blocks;
    }

    SampledBlocks blocks() {
        return blocks;
    }

    @Override
    public int numExamples() {
        return blocks.targets();
    }
}
