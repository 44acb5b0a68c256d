package dev.workbench.onnx;

import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_WEIGHTS;

import dev.workbench.onnx.OnnxGraph.Attribute;

/**
 * The encoder block's multi-head self-attention in ONNX ops, step for step as the block's SameDiff graph computes
 * it (queries scaled after their bias, heads split from consecutive features), so rounding stays close. No mask:
 * exported models take none, and the workbench's sequence batches carry none, so every step attends to every
 * step, pads included, in training as here.
 */
final class SelfAttentionOnnx {
    private SelfAttentionOnnx() {
    }

    /** @param rows {@code [batch, time, dModel]}; returns the projected attention output, the same shape */
    static String emit(LayerExport layer, String rows, int heads, long dModel) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index() + "_attention";
        float scale = (float) (1.0 / Math.sqrt((double) dModel / heads));
        String q = DenseRule.matmul(g, hint + "_q", rows, layer.param(QUERY_WEIGHTS), layer.param(QUERY_BIAS));
        q = perHead(g, hint + "_q", g.node("Mul", hint + "_q_scaled", new String[]{q, g.constant(hint + "_scale", new float[]{scale})}),
                heads, dModel);
        String k = perHead(g, hint + "_k", DenseRule.matmul(g, hint + "_k", rows, layer.param(KEY_WEIGHTS), layer.param(KEY_BIAS)),
                heads, dModel);
        String v = perHead(g, hint + "_v", DenseRule.matmul(g, hint + "_v", rows, layer.param(VALUE_WEIGHTS), layer.param(VALUE_BIAS)),
                heads, dModel);
        String keysT = g.node("Transpose", hint + "_k_t", new String[]{k}, Attribute.ints("perm", 0, 1, 3, 2));
        String scores = g.node("MatMul", hint + "_scores", new String[]{q, keysT});          // [batch, heads, time, time]
        String weights = g.node("Softmax", hint + "_weights", new String[]{scores}, Attribute.integer("axis", -1));
        String context = g.node("MatMul", hint + "_context", new String[]{weights, v});      // [batch, heads, time, dHead]
        String stepsFirst = g.node("Transpose", hint + "_steps_first", new String[]{context}, Attribute.ints("perm", 0, 2, 1, 3));
        String joined = g.node("Reshape", hint + "_joined", new String[]{stepsFirst, g.int64Constant(hint + "_joined_shape", 0, 0, dModel)});
        return DenseRule.matmul(g, hint + "_out", joined, layer.param(OUTPUT_WEIGHTS), layer.param(OUTPUT_BIAS));
    }

    /** {@code [batch, time, dModel]} to {@code [batch, heads, time, dModel / heads]}. */
    private static String perHead(OnnxGraph g, String hint, String projected, int heads, long dModel) {
        String split = g.node("Reshape", hint + "_split", new String[]{projected,
                g.int64Constant(hint + "_split_shape", 0, 0, heads, dModel / heads)});
        return g.node("Transpose", hint + "_heads", new String[]{split}, Attribute.ints("perm", 0, 2, 1, 3));
    }
}
