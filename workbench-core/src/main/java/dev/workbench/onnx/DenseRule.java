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
        String weights = g.constant(hint + "_W", layer.param("W"));
        String[] inputs;
        if (layer.params().containsKey("b")) {
            INDArray bias = layer.param("b");
            inputs = new String[]{layer.input(), weights, g.constant(hint + "_b", bias.reshape(bias.length()))};
        } else {
            inputs = new String[]{layer.input(), weights};
        }
        String linear = g.node("Gemm", hint + "_gemm", inputs);
        return ActivationOps.emit(layer, conf.getActivationFn(), linear);
    }
}
