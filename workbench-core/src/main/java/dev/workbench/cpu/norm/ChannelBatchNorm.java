package dev.workbench.cpu.norm;

import dev.workbench.cpu.kernels.ChannelAffine;
import dev.workbench.cpu.kernels.FloatLanes;
import dev.workbench.cpu.kernels.HostArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation over the channels of contiguous row-major {@code [batch, channels, plane]} float arrays (NCHW
 * with the plane = height x width), in vector lanes over their native buffers, in place: the statistics in one pass,
 * normalise + scale/shift in a second ({@link ChannelAffine}); the backward in two (the two per-channel sums, then the
 * input gradient). Each channel's sums run from its first value as the centre, so the variance of data far from zero
 * does not cancel away.
 */
final class ChannelBatchNorm {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private static final int FLUSH_EVERY = 8;

    private final int batch;
    private final int channels;
    private final int plane;

    ChannelBatchNorm(int batch, int channels, int plane) {
        this.batch = batch;
        this.channels = channels;
        this.plane = plane;
    }

    /** How many values each channel's statistics cover. */
    int count() {
        return batch * plane;
    }

    /** Byte offset of channel c of example n from the array's first element. */
    private int first(int n, int c) {
        return (n * channels + c) * plane * Float.BYTES;
    }

    /**
     * Whether the lane sums end their block after example n and go into the double totals: every
     * {@link #FLUSH_EVERY} examples, so each lane adds a few hundred floats at most, and the lanes are reduced once
     * a block rather than once an example (a 7x7 plane is only three vectors).
     */
    private boolean flushes(int n) {
        return n % FLUSH_EVERY == FLUSH_EVERY - 1 || n == batch - 1;
    }

    /** mean[c] and the biased variance[c] of channel c of {@code x} over the batch and the plane. */
    void statistics(INDArray x, float[] mean, float[] variance) {
        ByteBuffer bytes = HostArrays.bytes(x);
        int at = HostArrays.byteOffset(x);
        int bound = SPECIES.loopBound(plane);
        for (int c = 0; c < channels; c++) {
            float centre = bytes.getFloat(at + first(0, c));
            double sum = 0;
            double squares = 0;
            FloatVector s = FloatVector.zero(SPECIES);
            FloatVector q = FloatVector.zero(SPECIES);
            for (int n = 0; n < batch; n++) {
                int from = at + first(n, c);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector d = FloatVector.fromByteBuffer(SPECIES, bytes, from + i * Float.BYTES, ORDER).sub(centre);
                    s = s.add(d);
                    q = d.fma(d, q);
                }
                for (; i < plane; i++) {
                    float d = bytes.getFloat(from + i * Float.BYTES) - centre;
                    sum += d;
                    squares += d * d;
                }
                if (flushes(n)) {
                    sum += s.reduceLanes(VectorOperators.ADD);
                    squares += q.reduceLanes(VectorOperators.ADD);
                    s = FloatVector.zero(SPECIES);
                    q = FloatVector.zero(SPECIES);
                }
            }
            double shift = sum / count();
            mean[c] = (float) (centre + shift);
            variance[c] = (float) Math.max(0, squares / count() - shift * shift);
        }
    }

    /** y = x · scale[c] + offset[c]. */
    void affine(INDArray x, float[] scale, float[] offset, INDArray y) {
        ChannelAffine.apply(x, scale, offset, y);
    }

    /**
     * The per-channel sums of the output gradient g: into {@code gSum[c]} Σ g, into {@code gCentred[c]}
     * Σ g · (x − mean[c]).
     */
    void gradientSums(INDArray x, INDArray g, float[] mean, float[] gSum, float[] gCentred) {
        ByteBuffer xBytes = HostArrays.bytes(x);
        ByteBuffer gBytes = HostArrays.bytes(g);
        int xAt = HostArrays.byteOffset(x);
        int gAt = HostArrays.byteOffset(g);
        int bound = SPECIES.loopBound(plane);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double centred = 0;
            float m = mean[c];
            FloatVector s = FloatVector.zero(SPECIES);
            FloatVector p = FloatVector.zero(SPECIES);
            for (int n = 0; n < batch; n++) {
                int xFrom = xAt + first(n, c);
                int gFrom = gAt + first(n, c);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector gv = FloatVector.fromByteBuffer(SPECIES, gBytes, gFrom + i * Float.BYTES, ORDER);
                    s = s.add(gv);
                    p = FloatVector.fromByteBuffer(SPECIES, xBytes, xFrom + i * Float.BYTES, ORDER).sub(m).fma(gv, p);
                }
                for (; i < plane; i++) {
                    float gi = gBytes.getFloat(gFrom + i * Float.BYTES);
                    sum += gi;
                    centred += (xBytes.getFloat(xFrom + i * Float.BYTES) - m) * gi;
                }
                if (flushes(n)) {
                    sum += s.reduceLanes(VectorOperators.ADD);
                    centred += p.reduceLanes(VectorOperators.ADD);
                    s = FloatVector.zero(SPECIES);
                    p = FloatVector.zero(SPECIES);
                }
            }
            gSum[c] = (float) sum;
            gCentred[c] = (float) centred;
        }
    }

    /** dx = gScale[c] · g + xScale[c] · x + offset[c]: the input gradient, its terms folded per channel. */
    void inputGradient(INDArray x, INDArray g, float[] gScale, float[] xScale, float[] offset, INDArray dx) {
        ByteBuffer xBytes = HostArrays.bytes(x);
        ByteBuffer gBytes = HostArrays.bytes(g);
        ByteBuffer dxBytes = HostArrays.bytes(dx);
        int xAt = HostArrays.byteOffset(x);
        int gAt = HostArrays.byteOffset(g);
        int dxAt = HostArrays.byteOffset(dx);
        int bound = SPECIES.loopBound(plane);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int xFrom = xAt + first(n, c);
                int gFrom = gAt + first(n, c);
                int dxFrom = dxAt + first(n, c);
                float a = gScale[c];
                float b = xScale[c];
                float d = offset[c];
                FloatVector av = FloatVector.broadcast(SPECIES, a);
                FloatVector bv = FloatVector.broadcast(SPECIES, b);
                FloatVector dv = FloatVector.broadcast(SPECIES, d);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    int at = i * Float.BYTES;
                    FloatVector xv = FloatVector.fromByteBuffer(SPECIES, xBytes, xFrom + at, ORDER);
                    FloatVector gv = FloatVector.fromByteBuffer(SPECIES, gBytes, gFrom + at, ORDER);
                    xv.fma(bv, gv.fma(av, dv)).intoByteBuffer(dxBytes, dxFrom + at, ORDER);
                }
                for (; i < plane; i++) {
                    int at = i * Float.BYTES;
                    dxBytes.putFloat(dxFrom + at, Math.fma(xBytes.getFloat(xFrom + at), b,
                            Math.fma(gBytes.getFloat(gFrom + at), a, d)));
                }
            }
        }
    }
}
