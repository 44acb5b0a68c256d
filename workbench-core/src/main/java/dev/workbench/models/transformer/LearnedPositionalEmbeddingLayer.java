package dev.workbench.models.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link LearnedPositionalEmbedding}: the graph's one broadcast add, and its gradient (the table's
 * gradient is the batch sum of the incoming errors, the input's is those errors), as two ND4J ops rather than a
 * SameDiff session that also re-runs the forward pass for backprop. It extends DL4J's SameDiff runtime only for its
 * parameter and gradient tables: no SameDiff graph ever runs, so there is no gradient doubling to undo.
 */
final class LearnedPositionalEmbeddingLayer extends SameDiffLayer {
    LearnedPositionalEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray table = positions();
        if (input.rank() != 3 || input.size(1) != table.size(0) || input.size(2) != table.size(1)) {
            throw new IllegalStateException("LearnedPositionalEmbedding '" + layerConf().getLayerName() + "': expected input [batch, "
                    + table.size(0) + ", " + table.size(1) + "], got " + java.util.Arrays.toString(input.shape()));
        }
        return PositionalEncoding.plusTable(input, table, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray gradient = gradTable.get(LearnedPositionalEmbedding.POSITIONS);
        gradient.assign(epsilon.sum(0));
        Gradient result = new DefaultGradient();
        result.gradientForVariable().put(LearnedPositionalEmbedding.POSITIONS, gradient);
        return new Pair<>(result, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon));
    }

    private INDArray positions() {
        return paramTable.get(LearnedPositionalEmbedding.POSITIONS);
    }
}
