package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;

/**
 * DL4J's transposed convolution (Deconvolution2D) as ONNX ConvTranspose in NCHW. DL4J keeps its weights as
 * [in, out, kH, kW], which is ONNX's (C, M/group, kH, kW). Truncate mode: the output is
 * {@code (in - 1) * stride + k - 2 * padding}, as ConvTranspose with those pads gives; Same mode: {@code in * stride},
 * which ConvTranspose's SAME_UPPER gives (its extra padding row, when the total is odd, at the end).
 */
final class DeconvolutionRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        Deconvolution2D conf = (Deconvolution2D) layer.layer();
        if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw layer.unsupported("no ONNX rule for " + conf.getCnn2dDataFormat() + " layout (export expects NCHW)");
        }
        Attribute padding = switch (conf.getConvolutionMode()) {
            case Same -> Attribute.string("auto_pad", "SAME_UPPER");
            case Truncate, Strict -> Attribute.ints("pads", conf.getPadding()[0], conf.getPadding()[1],
                    conf.getPadding()[0], conf.getPadding()[1]);
            default -> throw layer.unsupported("no ONNX rule for convolution mode " + conf.getConvolutionMode());
        };
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String weights = g.constant(hint + "_W", layer.param("W"));
        String[] inputs = conf.hasBias()
                ? new String[]{layer.input(), weights, g.constant(hint + "_b", layer.param("b").reshape(layer.param("b").length()))}
                : new String[]{layer.input(), weights};
        String deconv = g.node("ConvTranspose", hint + "_deconv", inputs,
                Attribute.ints("kernel_shape", conf.getKernelSize()[0], conf.getKernelSize()[1]),
                Attribute.ints("strides", conf.getStride()[0], conf.getStride()[1]),
                Attribute.ints("dilations", conf.getDilation()[0], conf.getDilation()[1]),
                padding);
        return ActivationOps.emit(layer, conf.getActivationFn(), deconv);
    }
}
