package dev.workbench.cpu.transformer;

import static dev.workbench.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbench.models.transformer.AttentionMasks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused masked softmax against ND4J's: the scores plus the SameDiff graph's penalty of
 * {@link AttentionMasks#MASKED_SCORE} on every forbidden key, then ND4J's softmax and its gradient op, for no mask,
 * a padding mask, causal, and both; with 37 keys (no multiple of the vector width) and large scores. Forbidden keys'
 * weights are exactly 0.
 */
class AttentionSoftmaxTest {
    private static final int BATCH = 2;
    private static final int HEADS = 3;
    private static final int STEPS = 37;

    @Test
    void noMask() {
        assertAsNd4j(false, null);
    }

    @Test
    void causal() {
        assertAsNd4j(true, null);
    }

    @Test
    void paddingMask() {
        assertAsNd4j(false, padding());
    }

    @Test
    void causalWithPadding() {
        assertAsNd4j(true, padding());
    }

    /** Example 0 pads its first 5 steps, example 1 its last 9. */
    private static boolean[] padding() {
        boolean[] real = new boolean[BATCH * STEPS];
        for (int s = 0; s < STEPS; s++) {
            real[s] = s >= 5;
            real[STEPS + s] = s < STEPS - 9;
        }
        return real;
    }

    private static void assertAsNd4j(boolean causal, boolean[] keyIsReal) {
        Nd4j.getRandom().setSeed(3);
        INDArray scores = Nd4j.randn(DataType.FLOAT, BATCH, HEADS, STEPS, STEPS).muli(20);
        INDArray dWeights = Nd4j.randn(DataType.FLOAT, BATCH, HEADS, STEPS, STEPS);
        INDArray penalised = scores.dup();
        java.util.List<long[]> forbidden = new java.util.ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int t = 0; t < STEPS; t++) {
                    for (int s = 0; s < STEPS; s++) {
                        boolean real = keyIsReal == null || keyIsReal[b * STEPS + s];
                        if (!AttentionMasks.allowed(t, s, real, causal)) {
                            forbidden.add(new long[]{b, h, t, s});
                            penalised.putScalar(new long[]{b, h, t, s}, scores.getFloat(b, h, t, s) + AttentionMasks.MASKED_SCORE);
                        }
                    }
                }
            }
        }
        INDArray want = Nd4j.exec(new SoftMax(penalised.dup(), 3))[0];
        INDArray wantGradient = Nd4j.create(DataType.FLOAT, BATCH, HEADS, STEPS, STEPS);
        Nd4j.exec(new SoftmaxBp(penalised, dWeights, wantGradient, 3));

        AttentionSoftmax softmax = new AttentionSoftmax(HEADS, STEPS, causal);
        float[] weights = scores.data().asFloat();
        softmax.forward(weights, BATCH, keyIsReal);
        float[] gradient = dWeights.data().asFloat();
        softmax.backward(weights, gradient, BATCH);
        INDArray got = Nd4j.createFromArray(weights).reshape(BATCH, HEADS, STEPS, STEPS);
        assertClose(want, got, 1e-5, "weights");
        assertClose(wantGradient, Nd4j.createFromArray(gradient).reshape(BATCH, HEADS, STEPS, STEPS), 1e-4, "gradient");
        for (long[] at : forbidden) {
            assertEquals(0f, got.getFloat(at), "a forbidden key's weight at " + java.util.Arrays.toString(at));
        }
        assertEquals(keyIsReal != null || causal, !forbidden.isEmpty(), "the case forbids keys");
    }
}
