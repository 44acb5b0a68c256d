package dev.workbench.cpu.transformer;

import dev.workbench.cpu.kernels.FloatLanes;
import dev.workbench.lanes.LaneExp;
import dev.workbench.models.transformer.AttentionMasks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention's softmax over {@code [batch, heads, time, time]} scores, forward and backward, in vector lanes over
 * Java arrays, with the masking of {@link AttentionMasks} folded in: a forbidden key gets weight exactly 0, which is
 * what the SameDiff graph's penalty of {@link AttentionMasks#MASKED_SCORE} gives after the softmax (every row keeps
 * its diagonal, so its maximum is an allowed score and the penalised exponentials underflow). A causal row stops at
 * its diagonal: the keys after it are neither exponentiated nor read back. Replaces a penalty array built each
 * step, its broadcast add and ND4J's softmax op.
 */
final class AttentionSoftmax {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

    private final int heads;
    private final int steps;
    private final boolean causal;

    AttentionSoftmax(int heads, int steps, boolean causal) {
        this.heads = heads;
        this.steps = steps;
        this.causal = causal;
    }

    /**
     * Scores to weights, in place, row by row.
     *
     * @param keyIsReal {@code [batch, time]}: whether each key is a real step (not padding); null when none is padding
     */
    void forward(float[] scores, int batch, boolean[] keyIsReal) {
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < heads; head++) {
                for (int t = 0; t < steps; t++) {
                    int row = ((b * heads + head) * steps + t) * steps;
                    int length = causal ? t + 1 : steps;
                    if (keyIsReal != null) {
                        for (int s = 0; s < length; s++) {
                            if (!AttentionMasks.allowed(t, s, keyIsReal[b * steps + s], causal)) {
                                scores[row + s] = Float.NEGATIVE_INFINITY;
                            }
                        }
                    }
                    softmaxRow(scores, row, length);
                }
            }
        }
    }

    /**
     * dScores = P ⊙ (dP − Σ_keys P ⊙ dP), in place over {@code dWeights}, row by row; a causal row's sum stops at
     * its diagonal (P is 0 after it).
     */
    void backward(float[] weights, float[] dWeights, int batch) {
        int rows = batch * heads * steps;
        for (int r = 0; r < rows; r++) {
            int base = r * steps;
            int length = causal ? r % steps + 1 : steps;
            float dot = FloatLanes.dot(weights, base, dWeights, base, length);
            for (int j = 0; j < steps; j++) {
                dWeights[base + j] = weights[base + j] * (dWeights[base + j] - dot);
            }
        }
    }

    /**
     * Softmax of {@code a[row .. row + length)} (−∞ for a forbidden key), zeros for the rest of the row. The row's
     * elements up to the next whole vector past {@code length} are set to −∞ first, so that the exponentials run in
     * whole vectors (e^−∞ = 0) instead of a scalar tail.
     */
    private void softmaxRow(float[] a, int row, int length) {
        int lanes = SPECIES.length();
        int end = Math.min(steps, (length + lanes - 1) / lanes * lanes);
        for (int s = length; s < end; s++) {
            a[row + s] = Float.NEGATIVE_INFINITY;
        }
        int bound = SPECIES.loopBound(end);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(SPECIES, a, row);
            for (i = lanes; i < bound; i += lanes) {
                m = m.max(FloatVector.fromArray(SPECIES, a, row + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < end; i++) {
            max = Math.max(max, a[row + i]);
        }
        FloatVector sums = FloatVector.zero(SPECIES);
        for (i = 0; i < bound; i += lanes) {
            FloatVector e = LaneExp.exp(FloatVector.fromArray(SPECIES, a, row + i).sub(max));
            e.intoArray(a, row + i);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float e = LaneExp.exp(a[row + i] - max);
            a[row + i] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (i = 0; i < bound; i += lanes) {
            FloatVector.fromArray(SPECIES, a, row + i).mul(inverse).intoArray(a, row + i);
        }
        for (; i < end; i++) {
            a[row + i] *= inverse;
        }
        for (int s = end; s < steps; s++) {
            a[row + s] = 0f;
        }
    }
}
