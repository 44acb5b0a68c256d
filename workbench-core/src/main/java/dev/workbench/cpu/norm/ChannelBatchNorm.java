package dev.workbench.cpu.norm;

import dev.workbench.cpu.kernels.FloatLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over the channels of row-major {@code [batch, channels, plane]} float data (NCHW with the
 * plane = height x width), in vector lanes: the statistics in one pass, normalise + scale/shift in a second; the
 * backward in two (the two per-channel sums, then the input gradient). Each channel's sums run from its first
 * value as the centre, so the variance of data far from zero does not cancel away.
 */
final class ChannelBatchNorm {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

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

    /** mean[c] and the biased variance[c] of channel c over the batch and the plane. */
    void statistics(float[] x, float[] mean, float[] variance) {
        for (int c = 0; c < channels; c++) {
            float centre = x[c * plane];
            double sum = 0;
            double squares = 0;
            for (int n = 0; n < batch; n++) {
                int from = (n * channels + c) * plane;
                int bound = SPECIES.loopBound(plane);
                FloatVector s = FloatVector.zero(SPECIES);
                FloatVector q = FloatVector.zero(SPECIES);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector d = FloatVector.fromArray(SPECIES, x, from + i).sub(centre);
                    s = s.add(d);
                    q = d.fma(d, q);
                }
                float blockSum = s.reduceLanes(VectorOperators.ADD);
                float blockSquares = q.reduceLanes(VectorOperators.ADD);
                for (; i < plane; i++) {
                    float d = x[from + i] - centre;
                    blockSum += d;
                    blockSquares += d * d;
                }
                sum += blockSum;
                squares += blockSquares;
            }
            double shift = sum / count();
            mean[c] = (float) (centre + shift);
            variance[c] = (float) Math.max(0, squares / count() - shift * shift);
        }
    }

    /** y = x · scale[c] + offset[c]. */
    void affine(float[] x, float[] scale, float[] offset, float[] y) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int from = (n * channels + c) * plane;
                axpb(x, scale[c], offset[c], y, from);
            }
        }
    }

    /**
     * The per-channel sums of the output gradient g: into {@code gSum[c]} Σ g, into {@code gCentred[c]}
     * Σ g · (x − mean[c]).
     */
    void gradientSums(float[] x, float[] g, float[] mean, float[] gSum, float[] gCentred) {
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double centred = 0;
            float m = mean[c];
            for (int n = 0; n < batch; n++) {
                int from = (n * channels + c) * plane;
                int bound = SPECIES.loopBound(plane);
                FloatVector s = FloatVector.zero(SPECIES);
                FloatVector p = FloatVector.zero(SPECIES);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector gv = FloatVector.fromArray(SPECIES, g, from + i);
                    s = s.add(gv);
                    p = FloatVector.fromArray(SPECIES, x, from + i).sub(m).fma(gv, p);
                }
                float blockSum = s.reduceLanes(VectorOperators.ADD);
                float blockCentred = p.reduceLanes(VectorOperators.ADD);
                for (; i < plane; i++) {
                    blockSum += g[from + i];
                    blockCentred += (x[from + i] - m) * g[from + i];
                }
                sum += blockSum;
                centred += blockCentred;
            }
            gSum[c] = (float) sum;
            gCentred[c] = (float) centred;
        }
    }

    /** dx = gScale[c] · g + xScale[c] · x + offset[c]: the input gradient, its terms folded per channel. */
    void inputGradient(float[] x, float[] g, float[] gScale, float[] xScale, float[] offset, float[] dx) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int from = (n * channels + c) * plane;
                int bound = SPECIES.loopBound(plane);
                float a = gScale[c];
                float b = xScale[c];
                float d = offset[c];
                FloatVector av = FloatVector.broadcast(SPECIES, a);
                FloatVector bv = FloatVector.broadcast(SPECIES, b);
                FloatVector dv = FloatVector.broadcast(SPECIES, d);
                int i = 0;
                for (; i < bound; i += SPECIES.length()) {
                    FloatVector xv = FloatVector.fromArray(SPECIES, x, from + i);
                    FloatVector gv = FloatVector.fromArray(SPECIES, g, from + i);
                    xv.fma(bv, gv.fma(av, dv)).intoArray(dx, from + i);
                }
                for (; i < plane; i++) {
                    dx[from + i] = Math.fma(x[from + i], b, Math.fma(g[from + i], a, d));
                }
            }
        }
    }

    private void axpb(float[] x, float a, float b, float[] y, int from) {
        int bound = SPECIES.loopBound(plane);
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        FloatVector bv = FloatVector.broadcast(SPECIES, b);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, from + i).fma(av, bv).intoArray(y, from + i);
        }
        for (; i < plane; i++) {
            y[from + i] = Math.fma(x[from + i], a, b);
        }
    }
}
