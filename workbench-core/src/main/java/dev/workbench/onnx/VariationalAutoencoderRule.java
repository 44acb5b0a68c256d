package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.ReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;

/**
 * DL4J's variational autoencoder layer at inference: the encoder to the mean of q(z|x) (what the layer
 * outputs inside a network), and, when it is the network's last layer, on through the decoder to the mean of
 * p(x|z) at that z: the reconstruction the workbench's VAE predicts.
 */
final class VariationalAutoencoderRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        VariationalAutoencoder conf = (VariationalAutoencoder) layer.layer();
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String x = layer.input();
        for (int i = 0; i < conf.getEncoderLayerSizes().length; i++) {
            x = ActivationOps.emit(layer, conf.getActivationFn(),
                    DenseRule.gemm(g, hint + "_e" + i, x, layer.param("e" + i + "W"), layer.param("e" + i + "b")));
        }
        String z = ActivationOps.emit(layer, conf.getPzxActivationFn(),
                DenseRule.gemm(g, hint + "_zmean", x, layer.param("pZXMeanW"), layer.param("pZXMeanb")));
        if (!layer.last()) {
            return z;
        }
        for (int i = 0; i < conf.getDecoderLayerSizes().length; i++) {
            z = ActivationOps.emit(layer, conf.getActivationFn(),
                    DenseRule.gemm(g, hint + "_d" + i, z, layer.param("d" + i + "W"), layer.param("d" + i + "b")));
        }
        String distribution = DenseRule.gemm(g, hint + "_pxz", z, layer.param("pXZW"), layer.param("pXZb"));
        ReconstructionDistribution output = conf.getOutputDistribution();
        if (output instanceof BernoulliReconstructionDistribution bernoulli) {
            return ActivationOps.emit(layer, bernoulli.getActivationFn(), distribution);
        }
        if (output instanceof GaussianReconstructionDistribution gaussian) {
            // The decoder emits [mean, log variance]; the mean is the first half.
            long size = layer.param("pXZb").length() / 2;
            String mean = g.node("Slice", hint + "_pxz_mean", new String[]{distribution, g.int64Constant(hint + "_start", 0),
                    g.int64Constant(hint + "_end", size), g.int64Constant(hint + "_axis", 1)});
            return ActivationOps.emit(layer, gaussian.getActivationFn(), mean);
        }
        throw layer.unsupported("no ONNX rule for a " + output.getClass().getSimpleName() + " reconstruction distribution");
    }
}
