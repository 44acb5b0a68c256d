package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Global average or max pooling, collapsed to [batch, channels]: over the spatial dimensions of NCHW
 * activations, or over time of NCW sequences (ONNX's global pools take any number of trailing dimensions). Where the
 * graph masks padding ({@link OnnxGraph#sequenceMask()}), the average and the maximum are over the real steps only, as
 * DL4J pools with a features mask: {@code sum_t x[:, :, t] * mask[t] / sum_t mask[t]}, and the max with padding at -inf.
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
        String input = layer.input();
        if (sequences && layer.graph().sequenceMask().isPresent()) {
            if (conf.getPoolingType() == PoolingType.AVG) {
                return maskedAverage(layer, layer.graph().sequenceMask().get());
            }
            input = paddingAtMinusInfinity(layer, layer.graph().sequenceMask().get());
        }
        String pooled = layer.graph().node(op, "layer" + layer.index() + "_globalpool", new String[]{input});
        return layer.graph().node("Flatten", "layer" + layer.index() + "_collapse", new String[]{pooled},
                OnnxGraph.Attribute.integer("axis", 1));
    }

    /** {@code [batch, C, time]} with -inf at the padded steps, which a max then passes over, as DL4J's masked max does. */
    private static String paddingAtMinusInfinity(LayerExport layer, String mask) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index() + "_masked_max";
        String real = g.node("Cast", hint + "_real", new String[]{g.node("Unsqueeze", hint + "_mask", new String[]{mask,
                g.int64Constant(hint + "_channel_axis", 1)})}, OnnxGraph.Attribute.integer("to", onnx.Onnx.TensorProto.DataType.BOOL_VALUE));
        return g.node("Where", hint, new String[]{real, layer.input(),
                g.constant(hint + "_minus_infinity", new float[]{Float.NEGATIVE_INFINITY})});
    }

    /** {@code [batch, C, time]} averaged over the steps {@code mask [batch, time]} marks real, to {@code [batch, C]}. */
    private static String maskedAverage(LayerExport layer, String mask) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index() + "_masked_mean";
        String perStep = g.node("Unsqueeze", hint + "_mask", new String[]{mask, g.int64Constant(hint + "_channel_axis", 1)});
        String kept = g.node("Mul", hint + "_kept", new String[]{layer.input(), perStep});
        String sum = g.node("ReduceSum", hint + "_sum", new String[]{kept, g.int64Constant(hint + "_time_axis", 2)},
                OnnxGraph.Attribute.integer("keepdims", 0));
        String count = g.node("ReduceSum", hint + "_count", new String[]{mask, g.int64Constant(hint + "_step_axis", 1)},
                OnnxGraph.Attribute.integer("keepdims", 1));
        return g.node("Div", hint, new String[]{sum, count});
    }
}
