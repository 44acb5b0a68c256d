package dev.workbench.onnx;

import dev.workbench.models.transformer.LearnedPositionalEmbedding;

/**
 * The learned position table {@code P [features, length]} added to {@code [batch, features, time]}: one constant
 * and one broadcasting Add. As in DL4J, the input must have exactly {@code length} steps.
 */
final class PositionalEmbeddingRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String positions = g.constant(hint + "_P", layer.param(LearnedPositionalEmbedding.POSITIONS));
        return g.node("Add", hint + "_positions", new String[]{layer.input(), positions});
    }
}
