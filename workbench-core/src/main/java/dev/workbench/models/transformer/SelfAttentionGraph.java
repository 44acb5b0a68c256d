package dev.workbench.models.transformer;

import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_WEIGHTS;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Multi-head scaled dot-product self-attention as SameDiff ops, on rows {@code [batch * time, dModel]}.
 * Composed from matmul and softmax rather than {@code sd.nn.multiHeadDotProductAttention}, which has no
 * projection biases (PyTorch's attention and most trained models have them).
 */
final class SelfAttentionGraph {
    private final SameDiff sd;
    private final int heads;
    private final long dModel;
    private final long steps;
    private final boolean causal;
    private final SDVariable attentionKeep;

    SelfAttentionGraph(SameDiff sd, int heads, long dModel, long steps, boolean causal) {
        this(sd, heads, dModel, steps, causal, null);
    }

    /** @param attentionKeep the attention probabilities' dropout mask {@code [batch, heads, time, time]}, or null */
    SelfAttentionGraph(SameDiff sd, int heads, long dModel, long steps, boolean causal, SDVariable attentionKeep) {
        this.sd = sd;
        this.heads = heads;
        this.dModel = dModel;
        this.steps = steps;
        this.causal = causal;
        this.attentionKeep = attentionKeep;
    }

    /**
     * @param rows   {@code [batch * time, dModel]}, example-major
     * @param mask   {@code [batch, time]}, 1 for real steps and 0 for padding; null when there is none
     * @return the attention output projected by {@code Wo, bo}, {@code [batch * time, dModel]}
     */
    SDVariable apply(SDVariable rows, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable v = perHead(sd.nn.linear(rows, params.get(VALUE_WEIGHTS), params.get(VALUE_BIAS)));
        SDVariable weights = weights(rows, params, mask);
        if (attentionKeep != null) {
            weights = weights.mul(attentionKeep);  // dropout on the probabilities, after the softmax
        }
        SDVariable context = sd.mmul(weights, v);                              // [batch, heads, time, dHead]
        SDVariable joined = context.permute(0, 2, 1, 3).reshape(-1, dModel);
        return sd.nn.linear(joined, params.get(OUTPUT_WEIGHTS), params.get(OUTPUT_BIAS));
    }

    /**
     * The attention probabilities {@code [batch, heads, time (query), time (key)]}: {@code softmax(Q Kᵀ / √d_head)}
     * over the keys, forbidden keys at exactly 0. What {@link #apply} weighs the values with, and what an attention
     * map shows.
     */
    SDVariable weights(SDVariable rows, Map<String, SDVariable> params, SDVariable mask) {
        double scale = 1.0 / Math.sqrt((double) dModel / heads);
        // Scaling the queries costs batch*time*dModel multiplies; scaling the scores would cost batch*heads*time².
        SDVariable q = perHead(sd.nn.linear(rows, params.get(QUERY_WEIGHTS), params.get(QUERY_BIAS)).mul(scale));
        SDVariable k = perHead(sd.nn.linear(rows, params.get(KEY_WEIGHTS), params.get(KEY_BIAS)));
        SDVariable scores = sd.mmul(q, k, false, true, false);                  // [batch, heads, time, time]
        if (mask != null || causal) {
            // Padding is a key property: broadcast over heads and queries; the causal order is one [time, time] table
            // for every example and head. One penalty where either forbids a key (AttentionMasks says which).
            SDVariable allowed = null;
            if (mask != null) {
                SDVariable padded = mask.reshape(-1, 1, 1, steps).rsub(1.0);
                allowed = padded.mul(sd.constant(AttentionMasks.offDiagonal(rows.dataType(), steps))).rsub(1.0);
            }
            if (causal) {
                SDVariable order = sd.constant(AttentionMasks.causalAllowed(rows.dataType(), steps));
                allowed = allowed == null ? order : allowed.mul(order);
            }
            scores = scores.add(allowed.rsub(1.0).mul(AttentionMasks.MASKED_SCORE));
        }
        return sd.nn.softmax(scores, 3);
    }

    /** {@code [batch * time, dModel]} to {@code [batch, heads, time, dModel / heads]}. */
    private SDVariable perHead(SDVariable projected) {
        return projected.reshape(-1, steps, heads, dModel / heads).permute(0, 2, 1, 3);
    }
}
