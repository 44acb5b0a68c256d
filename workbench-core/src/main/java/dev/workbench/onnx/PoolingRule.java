package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/** Max and average 2-D pooling in NCHW. */
final class PoolingRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        SubsamplingLayer conf = (SubsamplingLayer) layer.layer();
        long[] pads = Padding.forWindow(layer, conf.getCnn2dDataFormat(), conf.getConvolutionMode(), conf.getKernelSize(),
                conf.getStride(), conf.getDilation(), conf.getPadding());
        Attribute kernel = Attribute.ints("kernel_shape", conf.getKernelSize()[0], conf.getKernelSize()[1]);
        Attribute strides = Attribute.ints("strides", conf.getStride()[0], conf.getStride()[1]);
        Attribute padding = Attribute.ints("pads", pads);
        String hint = "layer" + layer.index();
        if (conf.getPoolingType() == PoolingType.MAX) {
            if (conf.getDilation()[0] != 1 || conf.getDilation()[1] != 1) {
                return layer.graph().node("MaxPool", hint + "_maxpool", new String[]{layer.input()}, kernel, strides, padding,
                        Attribute.ints("dilations", conf.getDilation()[0], conf.getDilation()[1]));
            }
            return layer.graph().node("MaxPool", hint + "_maxpool", new String[]{layer.input()}, kernel, strides, padding);
        }
        if (conf.getPoolingType() == PoolingType.AVG) {
            return layer.graph().node("AveragePool", hint + "_avgpool", new String[]{layer.input()}, kernel, strides, padding,
                    Attribute.integer("count_include_pad", conf.isAvgPoolIncludePadInDivisor() ? 1 : 0));
        }
        throw layer.unsupported("no ONNX rule for " + conf.getPoolingType() + " pooling");
    }
}
