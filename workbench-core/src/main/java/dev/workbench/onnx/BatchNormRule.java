package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batch normalisation at inference: the running mean and variance, over channels (or features). */
final class BatchNormRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        BatchNormalization conf = (BatchNormalization) layer.layer();
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        long channels = layer.param("mean").length();
        INDArray gamma = conf.isLockGammaBeta() ? Nd4j.valueArrayOf(channels, conf.getGamma()) : layer.param("gamma");
        INDArray beta = conf.isLockGammaBeta() ? Nd4j.valueArrayOf(channels, conf.getBeta()) : layer.param("beta");
        String[] inputs = {layer.input(),
                g.constant(hint + "_gamma", gamma.reshape(channels)), g.constant(hint + "_beta", beta.reshape(channels)),
                g.constant(hint + "_mean", layer.param("mean").reshape(channels)),
                g.constant(hint + "_var", variance(conf, layer).reshape(channels))};
        // DL4J's batch-norm layer ignores its configured activation (verified: an explicit tanh is not applied),
        // so none is exported either.
        return g.node("BatchNormalization", hint + "_bn", inputs, Attribute.real("epsilon", conf.getEps()));
    }

    private static INDArray variance(BatchNormalization conf, LayerExport layer) {
        if (conf.isUseLogStd()) {
            // DL4J stores log10 of the running std without eps and at inference divides by sqrt(std^2 + eps), as
            // ONNX does with var = std^2 (measured on a trained ResNet: subtracting eps here was off by 5e-4 rel).
            INDArray std = org.nd4j.linalg.ops.transforms.Transforms.pow(
                    Nd4j.valueArrayOf(layer.param("log10stdev").shape(), 10.0).castTo(layer.param("log10stdev").dataType()),
                    layer.param("log10stdev"), true);
            return std.muli(std);
        }
        return layer.param("var");
    }
}
