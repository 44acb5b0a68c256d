package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Dense and output layers: y = act(x W + b), as Gemm (DL4J stores W as [nIn, nOut]). */
final class DenseRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        FeedForwardLayer conf = (FeedForwardLayer) layer.layer();
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String linear = gemm(g, hint, layer.input(), layer.param("W"), layer.params().get("b"));
        return ActivationOps.emit(layer, conf.getActivationFn(), linear);
    }

    /** x W + b as a Gemm node, W being DL4J's [nIn, nOut]; no bias when {@code bias} is null. */
    static String gemm(OnnxGraph g, String hint, String input, INDArray weights, INDArray bias) {
        String w = g.constant(hint + "_W", weights);
        String[] inputs = bias == null ? new String[]{input, w}
                : new String[]{input, w, g.constant(hint + "_b", bias.reshape(bias.length()))};
        return g.node("Gemm", hint + "_gemm", inputs);
    }

    /**
     * x W + b over the last axis of an input of any rank ({@code [..., nIn]} to {@code [..., nOut]}), as MatMul and
     * Add: Gemm takes only matrices. No bias when {@code bias} is null.
     */
    static String matmul(OnnxGraph g, String hint, String input, INDArray weights, INDArray bias) {
        return matmul(g, hint, input, g.constant(hint + "_W", weights), bias);
    }

    /** As above, the weights an initializer already in the graph ({@code weights} its name). */
    static String matmul(OnnxGraph g, String hint, String input, String weights, INDArray bias) {
        String linear = g.node("MatMul", hint + "_matmul", new String[]{input, weights});
        return bias == null ? linear : plusBias(g, hint, linear, bias);
    }

    /** {@code input + b}, broadcast over the last axis ({@code bias} as DL4J stores it, {@code [1, n]}). */
    static String plusBias(OnnxGraph g, String hint, String input, INDArray bias) {
        return g.node("Add", hint + "_bias", new String[]{input, g.constant(hint + "_b", bias.reshape(bias.length()))});
    }
}
