package dev.workbench.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The lane exponential is e^x within 2 ulp from below the float underflow to past the overflow, exact where a
 * softmax or a sigmoid relies on it (1 at 0, 0 at −∞, +∞ above the range), and gives its scalar twin's bits in every
 * lane, also once the JIT has compiled it: the vector API's own exponential did not, so a kernel's last bit changed
 * when it was compiled and a run and its resume in one JVM differed.
 */
class LaneExpTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    /** x from −110 to 92 in steps that are not a fraction of ln 2, padded to whole vectors. */
    private static float[] grid() {
        int count = (202_000 / LANES + 1) * LANES;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -110f + i * 0.0010001f;
        }
        return x;
    }

    private static float[] inLanes(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += LANES) {
            LaneExp.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        return y;
    }

    @Test
    void withinTwoUlpOfTheExponential() {
        float[] x = grid();
        float[] y = inLanes(x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            boolean close = Float.isInfinite(want) ? y[i] == want : Math.abs(y[i] - want) <= 2 * Math.ulp(want);
            assertTrue(close, "e^" + x[i] + ": " + y[i] + ", want " + want);
        }
    }

    @Test
    void exactAtTheValuesKernelsRelyOn() {
        assertEquals(1f, LaneExp.exp(0f));
        assertEquals(0f, LaneExp.exp(Float.NEGATIVE_INFINITY), "a masked softmax key");
        assertEquals(0f, LaneExp.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, LaneExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, LaneExp.exp(100f));
        assertTrue(Float.isNaN(LaneExp.exp(Float.NaN)));
        float[] edges = new float[LANES];
        edges[0] = Float.NEGATIVE_INFINITY;
        float[] y = inLanes(edges);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[LANES - 1]);
    }

    @Test
    void everyLaneGivesTheScalarBitsAlsoOnceCompiled() {
        float[] x = grid();
        float[] y = null;
        // Enough calls for C2 to compile the lane form (and inline it into this loop) before the last one.
        for (int call = 0; call < 60; call++) {
            y = inLanes(x);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(LaneExp.exp(x[i])), Float.floatToRawIntBits(y[i]), "e^" + x[i]);
        }
    }
}
