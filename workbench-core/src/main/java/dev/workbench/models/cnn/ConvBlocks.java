package dev.workbench.models.cnn;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/** The pieces the CNN architectures share: conv without activation, batch norm, activation, 2x2 max pooling. */
final class ConvBlocks {
    private ConvBlocks() {
    }

    /** A k x k convolution with the given stride and no activation of its own (batch norm follows it). */
    static ConvolutionLayer conv(int kernel, int filters, int stride) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .activation(Activation.IDENTITY).hasBias(false).build();
    }

    /** Max pooling over 2x2 windows with stride 2: the CNN families' downsampling. */
    static SubsamplingLayer maxPool2x2() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().build();
    }

    static ActivationLayer activation(Activation activation) {
        return new ActivationLayer.Builder().activation(activation).build();
    }
}
