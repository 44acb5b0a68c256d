package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An activation run forward and backward in vector lanes over ND4J's host buffers, in place: ND4J runs each as one
 * or two native element-wise ops, its GELU derivative through a scalar power function per element (a fifth of a GPT
 * decoder step in a profile).
 */
public interface LaneActivation {
    /**
     * y = f(x) over {@code length} floats, read from byte {@code xAt} of {@code x} and written from byte {@code yAt}
     * of {@code y} (native byte order; the two may be the same).
     */
    void forward(ByteBuffer x, int xAt, ByteBuffer y, int yAt, int length);

    /** dLoss/dx = f'(x) · g over {@code length} floats into {@code out} (which may be x or g), as {@link #forward}. */
    void backward(ByteBuffer x, int xAt, ByteBuffer g, int gAt, ByteBuffer out, int outAt, int length);

    /** y = f(x) for contiguous row-major float arrays of the same length. */
    default void forward(INDArray x, INDArray y) {
        forward(HostArrays.bytes(x), HostArrays.byteOffset(x), HostArrays.bytes(y), HostArrays.byteOffset(y), sameLength(x, y));
    }

    /** out = f'(x) · g for contiguous row-major float arrays of the same length; {@code out} may be x or g. */
    default void backward(INDArray x, INDArray g, INDArray out) {
        backward(HostArrays.bytes(x), HostArrays.byteOffset(x), HostArrays.bytes(g), HostArrays.byteOffset(g),
                HostArrays.bytes(out), HostArrays.byteOffset(out), Math.min(sameLength(x, g), sameLength(x, out)));
    }

    /**
     * The lane kernel of {@code activation}: a plain ReLU or LeakyReLU ({@link Rectifier}), ND4J's default GELU
     * ({@link SigmoidGelu}); null for any other.
     */
    static LaneActivation of(IActivation activation) {
        if (activation.getClass() == ActivationGELU.class && activation.equals(new ActivationGELU())) {
            return new SigmoidGelu(); // equal to the default: not the precise (tanh) form
        }
        return Rectifier.of(activation);
    }

    private static int sameLength(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("arrays of " + a.length() + " and " + b.length() + " elements");
        }
        return Math.toIntExact(a.length());
    }
}
