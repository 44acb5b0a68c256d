package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/** Global average or max pooling over the spatial dimensions of NCHW activations, collapsed to [batch, channels]. */
final class GlobalPoolingRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        GlobalPoolingLayer conf = (GlobalPoolingLayer) layer.layer();
        if (!(layer.inputType() instanceof InputType.InputTypeConvolutional in) || in.getFormat() != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW) {
            throw layer.unsupported("no ONNX rule for global pooling of " + layer.inputType() + " (export expects NCHW images)");
        }
        if (!conf.isCollapseDimensions()) {
            throw layer.unsupported("no ONNX rule for global pooling that keeps its spatial dimensions");
        }
        String op = conf.getPoolingType() == PoolingType.AVG ? "GlobalAveragePool"
                : conf.getPoolingType() == PoolingType.MAX ? "GlobalMaxPool" : null;
        if (op == null) {
            throw layer.unsupported("no ONNX rule for " + conf.getPoolingType() + " global pooling");
        }
        String pooled = layer.graph().node(op, "layer" + layer.index() + "_globalpool", new String[]{layer.input()});
        return layer.graph().node("Flatten", "layer" + layer.index() + "_collapse", new String[]{pooled},
                OnnxGraph.Attribute.integer("axis", 1));
    }
}
