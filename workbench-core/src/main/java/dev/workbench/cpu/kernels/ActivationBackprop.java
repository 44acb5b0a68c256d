package dev.workbench.cpu.kernels;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * dLoss/dz through a layer's activation, in place over the pre-activation z, for the workbench's training layers.
 * ND4J's ReLU and LeakyReLU backprops call a std::function per element and are several times slower than a
 * vectorised pass: on float data on the CPU both run as one {@link Rectifier} pass (a plain ReLU's where the gradient
 * is row-major: the MLP's dense layers, one pass instead of two ND4J ops), and elsewhere a plain ReLU runs as ND4J's
 * step function and a multiply, two vectorised passes. Every other activation, and ReLU with a cap or threshold, is the activation's own backprop. The
 * forward pass ({@link #activate}) runs ReLU and LeakyReLU through {@link Rectifier} likewise; both give ND4J's values
 * bit for bit.
 */
public final class ActivationBackprop {
    private ActivationBackprop() {
    }

    /** dLoss/dz for dLoss/dActivation {@code epsilon}; overwrites and returns {@code z}. */
    public static INDArray delta(IActivation activation, INDArray z, INDArray epsilon) {
        Rectifier rectifier = onHost(z) && epsilon.dataType() == DataType.FLOAT && z.equalShapes(epsilon)
                ? Rectifier.of(activation) : null;
        // A plain ReLU takes the host pass only on a row-major gradient: on a strided one (a convolution's
        // channels-last view) ND4J's two passes read it in place where the pass would need a copy first.
        if (rectifier != null && (rectifier.isLeaky() || HostArrays.isRowMajor(epsilon))) {
            rectifier.backward(z, HostArrays.rowMajor(epsilon), z);
            return z;
        }
        if (isPlainRelu(activation) && z.dataType() == epsilon.dataType() && z.equalShapes(epsilon)) {
            return relu(z, epsilon);
        }
        return activation.backprop(z, epsilon).getFirst();
    }

    /** The activation of the pre-activation {@code z}, computed in place; returns {@code z}. */
    public static INDArray activate(IActivation activation, INDArray z) {
        Rectifier rectifier = onHost(z) ? Rectifier.of(activation) : null;
        if (rectifier == null) {
            return activation.getActivation(z, true);
        }
        rectifier.forward(z, z);
        return z;
    }

    /** Float data laid out row-major on the CPU's host memory, which {@link Rectifier} reads and writes in place. */
    private static boolean onHost(INDArray z) {
        return z.dataType() == DataType.FLOAT && HostArrays.isRowMajor(z) && Nd4j.getEnvironment().isCPU();
    }

    /** dLoss/dz of a plain ReLU for dLoss/dActivation {@code epsilon} (same shape and type); overwrites and returns {@code z}. */
    public static INDArray relu(INDArray z, INDArray epsilon) {
        Nd4j.exec(new Step(z, z, 0.0)); // 1 where z > 0, else 0 (NaN included)
        return z.muli(epsilon);
    }

    /** Whether {@code activation} is ReLU without a cap, threshold or negative slope. */
    public static boolean isPlainRelu(IActivation activation) {
        return activation.getClass() == ActivationReLU.class && ((ActivationReLU) activation).getMax() == null
                && isZeroOrUnset(((ActivationReLU) activation).getThreshold())
                && isZeroOrUnset(((ActivationReLU) activation).getNegativeSlope());
    }

    private static boolean isZeroOrUnset(Double value) {
        return value == null || value == 0.0;
    }
}
