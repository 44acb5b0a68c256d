package dev.workbench.onnx;

import dev.workbench.models.transformer.TiedTokenEmbedding;
import dev.workbench.onnx.OnnxGraph.Attribute;

/**
 * A token embedding tied to the softmax head ({@link TiedTokenEmbedding}): the head's {@code W [d_model, vocabulary]}
 * is one initializer, which the head's MatMul reads and which this Gather reads along its vocabulary axis, so the
 * exported model shares the matrix as the trained one does. The exporter declares that initializer under
 * {@link #HEAD_WEIGHTS} before any layer is emitted; ids {@code [batch, 1, time]} become {@code [batch, d_model, time]}.
 */
final class TiedEmbeddingRule implements LayerRule {
    /** The {@link OnnxGraph#shared} key of the head's weights initializer. */
    static final String HEAD_WEIGHTS = "tied_head_weights";

    @Override
    public String emit(LayerExport layer) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String weights = g.shared(HEAD_WEIGHTS, () -> {
            throw layer.unsupported("a tied token embedding exports only in a network whose output layer holds its weights");
        });
        String ids = g.node("Cast", hint + "_ids", new String[]{layer.input()},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.INT64_VALUE));
        String flat = g.node("Squeeze", hint + "_ids_flat", new String[]{ids, g.int64Constant(hint + "_channel_axis", 1)});
        // Columns of W [d, vocabulary]: [d, batch, time], then batch first.
        String columns = g.node("Gather", hint + "_tied_gather", new String[]{weights, flat}, Attribute.integer("axis", 1));
        // No activation: the layer's runtime applies none, whatever the configuration inherited.
        return g.node("Transpose", hint + "_ncw", new String[]{columns}, Attribute.ints("perm", 1, 0, 2));
    }
}
