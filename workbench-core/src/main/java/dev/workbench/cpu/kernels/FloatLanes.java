package dev.workbench.cpu.kernels;

import dev.workbench.lanes.LaneExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row reductions and element-wise functions on the JDK's vector API (incubator module {@code jdk.incubator.vector}):
 * the JIT keeps scalar float sums in program order, so a plain Java loop adds one element at a time and a reduction
 * such as layer norm runs several times slower than on vectors; and it has no scalar loop form of the vector
 * exponential (ours is {@link LaneExp}, whose bits do not depend on the JIT tier). Callers check
 * {@link VectorModule#require()} first, so a JVM started without
 * the module gets a message, not a linkage error.
 */
public final class FloatLanes {
    /** The lanes every workbench kernel works in: the widest the CPU has. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private FloatLanes() {
    }

    /** Σ a[from .. from + length). */
    public static float sum(float[] a, int from, int length) {
        int bound = SPECIES.loopBound(length);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            acc = acc.add(FloatVector.fromArray(SPECIES, a, from + i));
        }
        float total = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            total += a[from + i];
        }
        return total;
    }

    /** Σ a[aFrom + i] · b[bFrom + i] over {@code length} elements. */
    public static float dot(float[] a, int aFrom, float[] b, int bFrom, int length) {
        int bound = SPECIES.loopBound(length);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aFrom + i).fma(FloatVector.fromArray(SPECIES, b, bFrom + i), acc);
        }
        float total = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            total += a[aFrom + i] * b[bFrom + i];
        }
        return total;
    }

    /** a[i] = 1 / (1 + e^−a[i]) over {@code length} elements from {@code from}, in place. */
    public static void sigmoid(float[] a, int from, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector e = LaneExp.exp(FloatVector.fromArray(SPECIES, a, from + i).neg());
            FloatVector.broadcast(SPECIES, 1f).div(e.add(1f)).intoArray(a, from + i);
        }
        for (; i < length; i++) {
            a[from + i] = 1f / (LaneExp.exp(-a[from + i]) + 1f);
        }
    }

    /** Σ (a[from + i] − centre)² over {@code length} elements. */
    public static float squaredDeviations(float[] a, int from, int length, float centre) {
        int bound = SPECIES.loopBound(length);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, from + i).sub(centre);
            acc = d.fma(d, acc);
        }
        float total = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            float d = a[from + i] - centre;
            total += d * d;
        }
        return total;
    }
}
