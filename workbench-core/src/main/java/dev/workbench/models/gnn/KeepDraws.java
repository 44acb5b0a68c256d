package dev.workbench.models.gnn;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dropout's keep decisions, drawn a batch at a time: entry {@code i} is kept when the {@code i}-th 32-bit uniform is
 * below {@code keep · 2³²} (so with probability {@code keep}, exact to 2⁻³²), two uniforms per {@code nextLong} of a
 * {@link SplittableRandom}. A {@code nextDouble} and a branch per decision cost more than the products they fed;
 * here the draws are one tight loop and the decisions a vector comparison or branch-free arithmetic.
 */
final class KeepDraws {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = RowLanes.LANES;

    private final long threshold;
    private int[] draws = new int[0];

    KeepDraws(double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keep);
        }
        this.threshold = Math.round(keep * 0x1p32);
    }

    /** Draws {@code count} decisions from {@code random}, replacing the last batch. */
    KeepDraws draw(int count, SplittableRandom random) {
        if (draws.length < count + 1) {
            draws = new int[count + 1];
        }
        for (int i = 0; i < count; i += 2) {
            long bits = random.nextLong();
            draws[i] = (int) bits;
            draws[i + 1] = (int) (bits >>> 32);
        }
        return this;
    }

    /** 1 when decision {@code i} of the batch keeps its entry, else 0. */
    int kept(int i) {
        return (int) (((draws[i] & 0xFFFF_FFFFL) - threshold) >>> 63);
    }

    /** {@code into[i] = scale} where decision {@code i} of the batch keeps, else 0, for {@code i < count}. */
    void scales(float[] into, int count, float scale) {
        if (threshold > 0xFFFF_FFFFL) {
            Arrays.fill(into, 0, count, scale);
            return;
        }
        int bound = FLOATS.loopBound(count);
        FloatVector kept = FloatVector.broadcast(FLOATS, scale);
        FloatVector dropped = FloatVector.zero(FLOATS);
        int i = 0;
        if (INTS.length() == FLOATS.length()) {
            for (; i < bound; i += FLOATS.length()) {
                dropped.blend(kept, IntVector.fromArray(INTS, draws, i)
                        .compare(VectorOperators.UNSIGNED_LT, (int) threshold).cast(FLOATS)).intoArray(into, i);
            }
        }
        for (; i < count; i++) {
            into[i] = kept(i) * scale;
        }
    }
}
