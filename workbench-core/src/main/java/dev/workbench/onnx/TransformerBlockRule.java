package dev.workbench.onnx;

import static dev.workbench.models.transformer.TransformerEncoderBlock.FF1_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF1_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF2_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF2_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM1_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM1_GAIN;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM2_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM2_GAIN;

import dev.workbench.models.transformer.TransformerEncoderBlock;
import dev.workbench.onnx.OnnxGraph.Attribute;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * The {@link TransformerEncoderBlock}, post-LN ({@code h = LN1(x + attention(x))}, {@code out = LN2(h + FF(h))}) or
 * pre-LN ({@code h = x + attention(LN1(x))}, {@code out = h + FF(LN2(h))}), causal or not (the mask is in
 * {@link SelfAttentionOnnx}). DL4J's {@code [batch, dModel, time]} is turned to {@code [batch, time, dModel]} so every
 * projection is one MatMul over the last axis, and turned back at the end. Only primitive ops (no
 * LayerNormalization), so the block exports at every supported opset.
 */
final class TransformerBlockRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        TransformerEncoderBlock conf = (TransformerEncoderBlock) layer.layer();
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String rows = g.node("Transpose", hint + "_steps", new String[]{layer.input()}, Attribute.ints("perm", 0, 2, 1));
        String out;
        if (conf.isPreNorm()) {
            String attended = SelfAttentionOnnx.emit(layer, norm(layer, hint + "_norm1", rows, NORM1_GAIN, NORM1_BIAS),
                    conf.getHeads(), conf.getDModel(), conf.isCausal());
            String h = g.node("Add", hint + "_residual1", new String[]{rows, attended});
            String ff = feedForward(layer, conf, norm(layer, hint + "_norm2", h, NORM2_GAIN, NORM2_BIAS));
            out = g.node("Add", hint + "_residual2", new String[]{h, ff});
        } else {
            String attended = SelfAttentionOnnx.emit(layer, rows, conf.getHeads(), conf.getDModel(), conf.isCausal());
            String h = norm(layer, hint + "_norm1", g.node("Add", hint + "_residual1", new String[]{rows, attended}),
                    NORM1_GAIN, NORM1_BIAS);
            out = norm(layer, hint + "_norm2", g.node("Add", hint + "_residual2", new String[]{h, feedForward(layer, conf, h)}),
                    NORM2_GAIN, NORM2_BIAS);
        }
        return g.node("Transpose", hint + "_ncw", new String[]{out}, Attribute.ints("perm", 0, 2, 1));
    }

    private static String norm(LayerExport layer, String hint, String x, String gain, String bias) {
        return LayerNormOnnx.emit(layer.graph(), hint, x, layer.param(gain), layer.param(bias));
    }

    private static String feedForward(LayerExport layer, TransformerEncoderBlock conf, String h) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String hidden = DenseRule.matmul(g, hint + "_ff1", h, layer.param(FF1_WEIGHTS), layer.param(FF1_BIAS));
        // SameDiff's gelu is ND4J's sigmoid form, the same function as the GELU activation's default.
        hidden = ActivationOps.emit(layer, conf.getActivation() == TransformerEncoderBlock.FeedForwardActivation.GELU
                ? new ActivationGELU() : new ActivationReLU(), hidden);
        return DenseRule.matmul(g, hint + "_ff2", hidden, layer.param(FF2_WEIGHTS), layer.param(FF2_BIAS));
    }
}
