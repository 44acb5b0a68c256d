package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SigmoidGelu} for a training layer that runs one backward pass per forward pass: the forward pass keeps
 * σ(1.702 x) of every element, so the backward pass needs no exponential (in a GPT decoder step the GELU backward's
 * exponentials were a tenth of the step). The same operations on the same values as {@link SigmoidGelu}, so the
 * same bits. Not for sharing between layers: it holds the last forward pass's sigmoids.
 */
public final class KeptSigmoidGelu implements LaneActivation {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private float[] sigmoids = new float[0];
    private int keptLength = -1;

    @Override
    public void forward(ByteBuffer x, int xAt, ByteBuffer y, int yAt, int length) {
        if (sigmoids.length < length) {
            sigmoids = new float[length];
        }
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER);
            FloatVector s = SigmoidGelu.sigmoid(v.mul(SigmoidGelu.K));
            s.intoArray(sigmoids, i);
            v.mul(s).intoByteBuffer(y, yAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float v = x.getFloat(xAt + i * Float.BYTES);
            float s = SigmoidGelu.sigmoid(SigmoidGelu.K * v);
            sigmoids[i] = s;
            y.putFloat(yAt + i * Float.BYTES, v * s);
        }
        keptLength = length;
    }

    /** The GELU's backward pass over the elements of the last {@link #forward}, from the sigmoids it kept. */
    @Override
    public void backward(ByteBuffer x, int xAt, ByteBuffer g, int gAt, ByteBuffer out, int outAt, int length) {
        if (length != keptLength) {
            throw new IllegalStateException("backward over " + length + " elements after a forward pass over "
                    + (keptLength < 0 ? "none" : String.valueOf(keptLength)));
        }
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector u = FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER).mul(SigmoidGelu.K);
            FloatVector d = FloatVector.fromByteBuffer(SPECIES, g, gAt + i * Float.BYTES, ORDER);
            SigmoidGelu.gradient(u, FloatVector.fromArray(SPECIES, sigmoids, i), d)
                    .intoByteBuffer(out, outAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            float u = SigmoidGelu.K * x.getFloat(xAt + i * Float.BYTES);
            out.putFloat(outAt + i * Float.BYTES, SigmoidGelu.gradient(u, sigmoids[i], g.getFloat(gAt + i * Float.BYTES)));
        }
    }
}
