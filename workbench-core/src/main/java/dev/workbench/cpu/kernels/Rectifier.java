package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain ReLU or a LeakyReLU, forward and backward over float arrays in vector lanes, with ND4J's element-wise
 * rules (so results are bit-identical): ReLU {@code x < 0 ? 0 : x}, its gradient {@code x > 0 ? g : 0}; LeakyReLU
 * {@code x < 0 ? a·x : x}, its gradient {@code x < 0 ? a·g : g}, with the slope {@code a} as a float. ND4J runs a
 * ReLU's backprop through a std::function per element and each activation as separate ops on copies.
 */
public final class Rectifier implements LaneActivation {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** The negative slope; 0 for a plain ReLU, which zeroes instead of multiplying. */
    private final float slope;
    private final boolean leaky;

    private Rectifier(float slope, boolean leaky) {
        this.slope = slope;
        this.leaky = leaky;
    }

    /** The rectifier {@code activation} is, or null for any other activation (or a ReLU with cap or threshold). */
    public static Rectifier of(IActivation activation) {
        if (activation.getClass() == ActivationLReLU.class) {
            return new Rectifier((float) ((ActivationLReLU) activation).getAlpha(), true);
        }
        return ActivationBackprop.isPlainRelu(activation) ? new Rectifier(0f, false) : null;
    }

    /** Whether this is a LeakyReLU (a negative slope), not a plain ReLU. */
    public boolean isLeaky() {
        return leaky;
    }

    /**
     * A dense layer's bias and activation in one pass: adds {@code bias} to every row of the contiguous row-major
     * float matrix {@code z} in place (its pre-activation, as ND4J's {@code addiRowVector} adds it) and writes f(z)
     * into {@code y}, row-major of the same shape.
     */
    public void forwardWithBias(INDArray z, INDArray bias, INDArray y) {
        int cols = Math.toIntExact(bias.length());
        if (z.rank() != 2 || z.columns() != cols) {
            throw new IllegalArgumentException("a bias of " + cols + " values for " + z.shapeInfoToString());
        }
        int rows = Math.toIntExact(z.rows());
        sameLength(z, y);
        ByteBuffer zBytes = HostArrays.bytes(z);
        ByteBuffer bBytes = HostArrays.bytes(bias);
        ByteBuffer yBytes = HostArrays.bytes(y);
        int bAt = HostArrays.byteOffset(bias);
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int zAt = HostArrays.byteOffset(z) + r * cols * Float.BYTES;
            int yAt = HostArrays.byteOffset(y) + r * cols * Float.BYTES;
            int i = 0;
            for (; i < bound; i += SPECIES.length()) {
                int at = i * Float.BYTES;
                FloatVector v = FloatVector.fromByteBuffer(SPECIES, zBytes, zAt + at, ORDER)
                        .add(FloatVector.fromByteBuffer(SPECIES, bBytes, bAt + at, ORDER));
                v.intoByteBuffer(zBytes, zAt + at, ORDER);
                VectorMask<Float> negative = v.lt(0f);
                (leaky ? v.blend(v.mul(slope), negative) : v.blend(0f, negative)).intoByteBuffer(yBytes, yAt + at, ORDER);
            }
            for (; i < cols; i++) {
                int at = i * Float.BYTES;
                float v = zBytes.getFloat(zAt + at) + bBytes.getFloat(bAt + at);
                zBytes.putFloat(zAt + at, v);
                yBytes.putFloat(yAt + at, v < 0f ? (leaky ? v * slope : 0f) : v);
            }
        }
    }

    private static int sameLength(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("arrays of " + a.length() + " and " + b.length() + " elements");
        }
        return Math.toIntExact(a.length());
    }

    @Override
    public void forward(ByteBuffer x, int xAt, ByteBuffer y, int yAt, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER);
            VectorMask<Float> negative = v.lt(0f);
            (leaky ? v.blend(v.mul(slope), negative) : v.blend(0f, negative))
                    .intoByteBuffer(y, yAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float v = x.getFloat(xAt + i * Float.BYTES);
            y.putFloat(yAt + i * Float.BYTES, v < 0f ? (leaky ? v * slope : 0f) : v);
        }
    }

    @Override
    public void backward(ByteBuffer x, int xAt, ByteBuffer g, int gAt, ByteBuffer out, int outAt, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER);
            FloatVector d = FloatVector.fromByteBuffer(SPECIES, g, gAt + i * Float.BYTES, ORDER);
            (leaky ? d.blend(d.mul(slope), v.lt(0f)) : d.blend(0f, v.compare(VectorOperators.GT, 0f).not()))
                    .intoByteBuffer(out, outAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float v = x.getFloat(xAt + i * Float.BYTES);
            float d = g.getFloat(gAt + i * Float.BYTES);
            out.putFloat(outAt + i * Float.BYTES, leaky ? (v < 0f ? d * slope : d) : (v > 0f ? d : 0f));
        }
    }
}
