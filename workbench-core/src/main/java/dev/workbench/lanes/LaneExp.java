package dev.workbench.lanes;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x in float vector lanes built only from IEEE adds, multiplies and bit moves (Cephes' expf: x = n ln 2 + r,
 * a degree-6 polynomial for e^r, then 2^n in the exponent bits), so it gives the same bits wherever it runs. The
 * vector API's own {@code EXP} does not: the JIT's compiled form calls a vector math library whose last bit differs
 * from the {@code Math.exp} per lane that the interpreter and C1 run, so a kernel's results changed once it was
 * compiled, and two runs of one job in one JVM (a run and its resume) stopped being bit-identical.
 *
 * <p>Within 2 ulp of e^x; exactly 1 at 0, 0 at −∞ and below about −103.9 (where e^x rounds to 0), +∞ above about
 * 88.72. {@link #exp(float)} is the same computation for a loop's scalar tail, bit for bit.
 */
public final class LaneExp {
    // Inputs are clamped here: beyond them e^x is 0 or +∞ already, and 2^n stays within two float exponents.
    private static final float LOW = -104f;
    private static final float HIGH = 89f;
    private static final float LOG2_E = 1.44269504088896341f;
    // 1.5 · 2^23: adding it rounds x log2(e) to the nearest integer n, which the sum's low mantissa bits then hold.
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    // ln 2 split so that n · LN2_HIGH is exact (9 significant bits).
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private LaneExp() {
    }

    /** e^x in every lane. */
    public static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(LOW).min(HIGH);
        FloatVector shifted = v.mul(LOG2_E).add(ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        IntVector exponent = shifted.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector r = v.sub(n.mul(LN2_HIGH)).sub(n.mul(LN2_LOW));
        FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as two factors, so that n from −150 (a result under the smallest subnormal) to 128 is representable.
        IntVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        return er.mul(powerOfTwo(half)).mul(powerOfTwo(exponent.sub(half)));
    }

    /** e^x, the same operations as one lane of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        float v = Math.min(Math.max(x, LOW), HIGH);
        float shifted = v * LOG2_E + ROUNDER;
        float n = shifted - ROUNDER;
        int exponent = Float.floatToRawIntBits(shifted) - ROUNDER_BITS;
        float r = v - n * LN2_HIGH - n * LN2_LOW;
        float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float er = p * (r * r) + r + 1f;
        int half = exponent >> 1;
        return er * powerOfTwo(half) * powerOfTwo(exponent - half);
    }

    private static FloatVector powerOfTwo(IntVector exponent) {
        return exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    private static float powerOfTwo(int exponent) {
        return Float.intBitsToFloat((exponent + 127) << 23);
    }
}
