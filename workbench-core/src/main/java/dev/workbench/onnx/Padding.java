package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** ONNX pads {top, left, bottom, right} for a DL4J convolution or pooling window. */
final class Padding {
    private Padding() {
    }

    /** Pads for a window layer fed by an NCHW activation; an error naming the layer for anything else. */
    static long[] forWindow(LayerExport layer, CNN2DFormat format, ConvolutionMode mode, int[] kernel, int[] stride,
                            int[] dilation, int[] padding) {
        if (format != CNN2DFormat.NCHW) {
            throw layer.unsupported("no ONNX rule for " + format + " layout (export expects NCHW)");
        }
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) layer.inputType();
        try {
            return of(mode, kernel, stride, dilation, padding, in.getHeight(), in.getWidth());
        } catch (IllegalArgumentException e) {
            throw layer.unsupported("no ONNX rule for " + e.getMessage());
        }
    }

    static long[] of(ConvolutionMode mode, int[] kernel, int[] stride, int[] dilation, int[] padding, long height, long width) {
        if (mode == ConvolutionMode.Same) {
            // DL4J's Same mode puts the smaller half of the padding at the top/left, as ONNX SAME_UPPER does.
            long[] h = same(height, kernel[0], stride[0], dilation[0]);
            long[] w = same(width, kernel[1], stride[1], dilation[1]);
            return new long[]{h[0], w[0], h[1], w[1]};
        }
        if (mode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("causal convolution mode");
        }
        return new long[]{padding[0], padding[1], padding[0], padding[1]};
    }

    private static long[] same(long in, int kernel, int stride, int dilation) {
        long out = (in + stride - 1) / stride;
        long effectiveKernel = (long) (kernel - 1) * dilation + 1;
        long total = Math.max(0, (out - 1) * stride + effectiveKernel - in);
        return new long[]{total / 2, total - total / 2};
    }
}
