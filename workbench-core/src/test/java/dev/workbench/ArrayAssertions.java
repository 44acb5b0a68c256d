package dev.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Comparisons of whole arrays for tests that hold two implementations of the same function together. */
public final class ArrayAssertions {
    private ArrayAssertions() {
    }

    /**
     * Same shape, and the largest absolute difference at most {@code tolerance} times the expected array's largest
     * magnitude; that scale never drops below 1e-3, so a (nearly) zero expected array is compared absolutely.
     */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        double diff = e.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
        assertTrue(diff <= tolerance * scale, what + ": max abs difference " + diff + " (scale " + scale + ")");
    }

    /** The same parameter keys, and every parameter's gradient close as {@link #assertClose} says. */
    public static void assertSameGradients(Gradient expected, Gradient actual, double tolerance) {
        assertEquals(expected.gradientForVariable().keySet(), actual.gradientForVariable().keySet(), "gradient keys");
        for (String key : expected.gradientForVariable().keySet()) {
            assertClose(expected.getGradientFor(key), actual.getGradientFor(key), tolerance, key);
        }
    }
}
