package dev.workbench.onnx;

import dev.workbench.models.transformer.LearnedPositionalEmbedding;
import dev.workbench.models.transformer.SinusoidalPositionalEncoding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A position table {@code P [features, length]} added to {@code [batch, features, time]}: one constant and one
 * broadcasting Add. The table is the learned parameter, or the fixed sines and cosines in float as the layer's SameDiff
 * graph computes them. As in DL4J, the input must have exactly {@code length} steps.
 */
final class PositionalEmbeddingRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        INDArray table = layer.layer() instanceof SinusoidalPositionalEncoding sinusoidal
                ? SinusoidalPositionalEncoding.table(DataType.FLOAT, sinusoidal.getFeatures(), sinusoidal.getLength())
                : layer.param(LearnedPositionalEmbedding.POSITIONS);
        String positions = g.constant(hint + "_P", table);
        return g.node("Add", hint + "_positions", new String[]{layer.input(), positions});
    }
}
