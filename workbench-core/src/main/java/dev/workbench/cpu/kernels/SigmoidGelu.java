package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.workbench.lanes.LaneExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * ND4J's GELU ({@code ActivationGELU} as built by default, SameDiff's {@code gelu}): the sigmoid approximation
 * {@code x · σ(1.702 x)}, with its derivative {@code σ(u) (1 + u (1 − σ(u)))} for {@code u = 1.702 x}, the same
 * function libnd4j writes as {@code e^u (1 + e^u + u) / (1 + e^u)²} (which overflows to NaN above x ≈ 52; this form
 * does not).
 */
public final class SigmoidGelu implements LaneActivation {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final float K = 1.702f;

    @Override
    public void forward(ByteBuffer x, int xAt, ByteBuffer y, int yAt, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER);
            v.mul(sigmoid(v.mul(K))).intoByteBuffer(y, yAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float v = x.getFloat(xAt + i * Float.BYTES);
            y.putFloat(yAt + i * Float.BYTES, v * sigmoid(K * v));
        }
    }

    @Override
    public void backward(ByteBuffer x, int xAt, ByteBuffer g, int gAt, ByteBuffer out, int outAt, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector u = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER).mul(K);
            FloatVector d = FloatVector.fromByteBuffer(SPECIES, g, gAt + i * Float.BYTES, ORDER);
            gradient(u, sigmoid(u), d).intoByteBuffer(out, outAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float u = K * x.getFloat(xAt + i * Float.BYTES);
            out.putFloat(outAt + i * Float.BYTES, gradient(u, sigmoid(u), g.getFloat(gAt + i * Float.BYTES)));
        }
    }

    static FloatVector sigmoid(FloatVector u) {
        return FloatVector.broadcast(SPECIES, 1f).div(LaneExp.exp(u.neg()).add(1f));
    }

    static float sigmoid(float u) {
        return 1f / (LaneExp.exp(-u) + 1f);
    }

    /** dLoss/dx = σ(u) (1 + u (1 − σ(u))) · g for u = 1.702 x and s = σ(u). */
    static FloatVector gradient(FloatVector u, FloatVector s, FloatVector g) {
        return u.mul(s.neg().add(1f)).add(1f).mul(s).mul(g);
    }

    static float gradient(float u, float s, float g) {
        return s * (1f + u * (1f - s)) * g;
    }
}
