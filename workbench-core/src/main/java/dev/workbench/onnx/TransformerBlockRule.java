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
 * The post-LN {@link TransformerEncoderBlock}: {@code h = LN1(x + attention(x))}, {@code out = LN2(h + FF(h))}.
 * DL4J's {@code [batch, dModel, time]} is turned to {@code [batch, time, dModel]} so every projection is one
 * MatMul over the last axis, and turned back at the end. Only primitive ops (no LayerNormalization), so the
 * block exports at every supported opset.
 */
final class TransformerBlockRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        TransformerEncoderBlock conf = (TransformerEncoderBlock) layer.layer();
        if (conf.isCausal()) {
            // Exported without the mask, a decoder would read later steps: refuse rather than write another function.
            throw layer.unsupported("no ONNX rule for the causal mask yet");
        }
        if (conf.isPreNorm()) {
            throw layer.unsupported("no ONNX rule for pre-LN blocks yet");
        }
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String rows = g.node("Transpose", hint + "_steps", new String[]{layer.input()}, Attribute.ints("perm", 0, 2, 1));
        String attended = SelfAttentionOnnx.emit(layer, rows, conf.getHeads(), conf.getDModel());
        String h = LayerNormOnnx.emit(g, hint + "_norm1", g.node("Add", hint + "_residual1", new String[]{rows, attended}),
                layer.param(NORM1_GAIN), layer.param(NORM1_BIAS));
        String hidden = DenseRule.matmul(g, hint + "_ff1", h, layer.param(FF1_WEIGHTS), layer.param(FF1_BIAS));
        // SameDiff's gelu is ND4J's sigmoid form, the same function as the GELU activation's default.
        hidden = ActivationOps.emit(layer, conf.getActivation() == TransformerEncoderBlock.FeedForwardActivation.GELU
                ? new ActivationGELU() : new ActivationReLU(), hidden);
        String ff = DenseRule.matmul(g, hint + "_ff2", hidden, layer.param(FF2_WEIGHTS), layer.param(FF2_BIAS));
        String out = LayerNormOnnx.emit(g, hint + "_norm2", g.node("Add", hint + "_residual2", new String[]{h, ff}),
                layer.param(NORM2_GAIN), layer.param(NORM2_BIAS));
        return g.node("Transpose", hint + "_ncw", new String[]{out}, Attribute.ints("perm", 0, 2, 1));
    }
}
