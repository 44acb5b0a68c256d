package dev.workbench.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The vector sigmoid is 1 / (1 + e^-x) computed in double, to float rounding, over the range an LSTM gate sees and
 * beyond (saturated ends included), on a slice whose length leaves a scalar tail after the vector lanes and whose
 * neighbours stay untouched.
 */
class FloatLanesTest {
    @Test
    void sigmoidMatchesTheDefinitionInsideTheSliceOnly() {
        int length = 3 * FloatLanes.SPECIES.length() + 5;
        float[] values = new float[length + 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = -30f + 60f * i / (values.length - 1);
        }
        float[] expected = values.clone();
        FloatLanes.sigmoid(values, 1, length);
        assertEquals(expected[0], values[0], "element before the slice");
        assertEquals(expected[length + 1], values[length + 1], "element after the slice");
        for (int i = 1; i <= length; i++) {
            double sigmoid = 1.0 / (1.0 + Math.exp(-expected[i]));
            assertEquals(sigmoid, values[i], 2e-7 * Math.max(sigmoid, 1e-30) + 1e-12, "sigmoid(" + expected[i] + ")");
        }
    }
}
