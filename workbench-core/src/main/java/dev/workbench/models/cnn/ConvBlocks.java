package dev.workbench.models.cnn;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/** The convolution pieces the CNN architectures share: conv without activation, batch norm, activation. */
final class ConvBlocks {
    private ConvBlocks() {
    }

    /** A k x k convolution with the given stride and no activation of its own (batch norm follows it). */
    static CachedConvolution conv(int kernel, int filters, int stride) {
        return CachedConvolution.of(new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .activation(Activation.IDENTITY).hasBias(false).build());
    }

    static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().build();
    }

    static ActivationLayer activation(Activation activation) {
        return new ActivationLayer.Builder().activation(activation).build();
    }
}
