package dev.workbench.onnx;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the last axis from primitive ops, {@code (x - mean) / std * gain + bias} with the
 * population standard deviation and no epsilon, as libnd4j's {@code layer_norm} computes it. Written out rather
 * than as ONNX's LayerNormalization, which needs opset 17 and always adds an epsilon; GlobalAveragePool takes the
 * mean because it averages the trailing axis the same way in every opset (ReduceMean's axes moved from an
 * attribute to an input in opset 18).
 */
final class LayerNormOnnx {
    private LayerNormOnnx() {
    }

    /** @param x {@code [batch, time, features]}; returns the same shape, each step normalised over its features */
    static String emit(OnnxGraph g, String hint, String x, INDArray gain, INDArray bias) {
        String mean = g.node("GlobalAveragePool", hint + "_mean", new String[]{x});
        String centred = g.node("Sub", hint + "_centred", new String[]{x, mean});
        String squares = g.node("Mul", hint + "_squares", new String[]{centred, centred});
        String variance = g.node("GlobalAveragePool", hint + "_variance", new String[]{squares});
        String std = g.node("Sqrt", hint + "_std", new String[]{variance});
        String normalised = g.node("Div", hint + "_normalised", new String[]{centred, std});
        String scaled = g.node("Mul", hint + "_gain", new String[]{normalised, g.constant(hint + "_gain", gain.reshape(gain.length()))});
        return g.node("Add", hint + "_bias", new String[]{scaled, g.constant(hint + "_bias", bias.reshape(bias.length()))});
    }
}
