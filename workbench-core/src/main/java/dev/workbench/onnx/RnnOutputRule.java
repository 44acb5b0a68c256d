package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;

/**
 * DL4J's RnnOutputLayer: the same dense map and activation at every step. {@code [batch, nIn, time]} is turned
 * to {@code [batch, time, nIn]} so MatMul applies W [nIn, nOut] per step and a softmax runs over the last axis,
 * then back to {@code [batch, nOut, time]}.
 */
final class RnnOutputRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        RnnOutputLayer conf = (RnnOutputLayer) layer.layer();
        if (conf.getRnnDataFormat() != RNNFormat.NCW) {
            throw layer.unsupported("no ONNX rule for " + conf.getRnnDataFormat() + " sequences (export expects NCW)");
        }
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String steps = g.node("Transpose", hint + "_steps", new String[]{layer.input()}, Attribute.ints("perm", 0, 2, 1));
        // The network's head may share its W with a tied token embedding (TiedEmbeddingRule): one initializer.
        String weights = layer.last() ? g.shared(TiedEmbeddingRule.HEAD_WEIGHTS, () -> g.constant(hint + "_W", layer.param("W")))
                : g.constant(hint + "_W", layer.param("W"));
        String linear = DenseRule.matmul(g, hint, steps, weights, layer.params().get("b"));
        String activated = ActivationOps.emit(layer, conf.getActivationFn(), linear);
        return g.node("Transpose", hint + "_ncw", new String[]{activated}, Attribute.ints("perm", 0, 2, 1));
    }
}
