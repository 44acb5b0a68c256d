package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** 2-D convolution in NCHW; DL4J's weights [out, in, kH, kW] are already ONNX's OIHW. */
final class ConvolutionRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        ConvolutionLayer conf = (ConvolutionLayer) layer.layer();
        long[] pads = Padding.forWindow(layer, conf.getCnn2dDataFormat(), conf.getConvolutionMode(), conf.getKernelSize(),
                conf.getStride(), conf.getDilation(), conf.getPadding());
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String weights = g.constant(hint + "_W", layer.param("W"));
        String[] inputs = conf.hasBias()
                ? new String[]{layer.input(), weights, g.constant(hint + "_b", flat(layer.param("b")))}
                : new String[]{layer.input(), weights};
        String conv = g.node("Conv", hint + "_conv", inputs,
                Attribute.ints("kernel_shape", conf.getKernelSize()[0], conf.getKernelSize()[1]),
                Attribute.ints("strides", conf.getStride()[0], conf.getStride()[1]),
                Attribute.ints("dilations", conf.getDilation()[0], conf.getDilation()[1]),
                Attribute.ints("pads", pads));
        return ActivationOps.emit(layer, conf.getActivationFn(), conv);
    }

    private static INDArray flat(INDArray bias) {
        return bias.reshape(bias.length());
    }
}
