package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Global average or max pooling, collapsed to [batch, channels]: over the spatial dimensions of NCHW
 * activations, or over time of NCW sequences (ONNX's global pools take any number of trailing dimensions).
 */
final class GlobalPoolingRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        GlobalPoolingLayer conf = (GlobalPoolingLayer) layer.layer();
        InputType type = layer.inputType();
        boolean images = type instanceof InputType.InputTypeConvolutional in && in.getFormat() == CNN2DFormat.NCHW;
        boolean sequences = type instanceof InputType.InputTypeRecurrent in && in.getFormat() == RNNFormat.NCW;
        if (!images && !sequences) {
            throw layer.unsupported("no ONNX rule for global pooling of " + type + " (export expects NCHW images or NCW sequences)");
        }
        if (!conf.isCollapseDimensions()) {
            throw layer.unsupported("no ONNX rule for global pooling that keeps its pooled dimensions");
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
