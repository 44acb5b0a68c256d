package dev.workbench.onnx;

import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_WEIGHTS;

import dev.workbench.models.transformer.AttentionMasks;
import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The encoder block's multi-head self-attention in ONNX ops, step for step as the block's SameDiff graph computes
 * it (queries scaled after their bias, heads split from consecutive features, one penalty added to the scores where
 * a key is forbidden), so rounding stays close. Keys are forbidden as {@link AttentionMasks} says: later steps in a
 * causal block (a constant table of the window's length) and padding where the graph declares a sequence mask
 * ({@link OnnxGraph#sequenceMask()}, computed from the input's ids).
 */
final class SelfAttentionOnnx {
    private SelfAttentionOnnx() {
    }

    /** @param rows {@code [batch, time, dModel]}; returns the projected attention output, the same shape */
    static String emit(LayerExport layer, String rows, int heads, long dModel, boolean causal) {
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
        if (causal || g.sequenceMask().isPresent()) {
            scores = g.node("Add", hint + "_masked", new String[]{scores, penalty(layer, causal)});
        }
        String weights = g.node("Softmax", hint + "_weights", new String[]{scores}, Attribute.integer("axis", -1));
        String context = g.node("MatMul", hint + "_context", new String[]{weights, v});      // [batch, heads, time, dHead]
        String stepsFirst = g.node("Transpose", hint + "_steps_first", new String[]{context}, Attribute.ints("perm", 0, 2, 1, 3));
        String joined = g.node("Reshape", hint + "_joined", new String[]{stepsFirst, g.int64Constant(hint + "_joined_shape", 0, 0, dModel)});
        return DenseRule.matmul(g, hint + "_out", joined, layer.param(OUTPUT_WEIGHTS), layer.param(OUTPUT_BIAS));
    }

    /**
     * {@code (1 - allowed) * MASKED_SCORE} with {@code allowed = (1 - padded * offDiagonal) * causalOrder}, as the
     * block's SameDiff graph adds it: {@code [batch, 1, time, time]} with a mask, {@code [time, time]} without.
     * Written once per graph: every block of a network shares its window and mask.
     */
    private static String penalty(LayerExport layer, boolean causal) {
        OnnxGraph g = layer.graph();
        long steps = layer.inputType() instanceof InputType.InputTypeRecurrent recurrent
                ? recurrent.getTimeSeriesLength() : -1;
        if (steps <= 0) {
            throw layer.unsupported("the attention mask needs a fixed window length, got input " + layer.inputType());
        }
        return g.shared("attention_penalty_" + causal + "_" + steps, () -> {
            String one = g.constant("attention_one", new float[]{1f});
            String allowed = null;
            if (g.sequenceMask().isPresent()) {
                // Padding is a property of the key: [batch, 1, 1, time], broadcast over heads and queries.
                String keys = g.node("Unsqueeze", "attention_mask_keys", new String[]{g.sequenceMask().get(),
                        g.int64Constant("attention_mask_axes", 1, 2)});
                String padded = g.node("Sub", "attention_padded", new String[]{one, keys});
                String forbidden = g.node("Mul", "attention_pad_forbidden", new String[]{padded,
                        g.constant("attention_off_diagonal", AttentionMasks.offDiagonal(DataType.FLOAT, steps))});
                allowed = g.node("Sub", "attention_pad_allowed", new String[]{one, forbidden});
            }
            if (causal) {
                String order = g.constant("attention_causal", AttentionMasks.causalAllowed(DataType.FLOAT, steps));
                allowed = allowed == null ? order : g.node("Mul", "attention_allowed", new String[]{allowed, order});
            }
            String blocked = g.node("Sub", "attention_blocked", new String[]{one, allowed});
            return g.node("Mul", "attention_penalty", new String[]{blocked,
                    g.constant("attention_masked_score", new float[]{(float) AttentionMasks.MASKED_SCORE})});
        });
    }

    /** {@code [batch, time, dModel]} to {@code [batch, heads, time, dModel / heads]}. */
    private static String perHead(OnnxGraph g, String hint, String projected, int heads, long dModel) {
        String split = g.node("Reshape", hint + "_split", new String[]{projected,
                g.int64Constant(hint + "_split_shape", 0, 0, heads, dModel / heads)});
        return g.node("Transpose", hint + "_heads", new String[]{split}, Attribute.ints("perm", 0, 2, 1, 3));
    }
}
