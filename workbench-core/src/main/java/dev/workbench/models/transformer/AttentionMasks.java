package dev.workbench.models.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which keys a query may read, shared by the block's SameDiff graph and every runtime that computes the same block,
 * so that they mask alike. Query t reads key s when s is not padding, or s = t, and, in a causal block, s <= t.
 * A padded step still reads itself so that no row of scores is forbidden whole: libnd4j's softmax gradient turns
 * such a row into NaN. Nothing reads a padded step's output (pooling and the loss skip padding). Forbidden keys get
 * {@link #MASKED_SCORE} added to their score, which the softmax turns into a weight of exactly 0.
 */
public final class AttentionMasks {
    /** Added to the score of a key a query must not read: softmax then gives it weight 0 (exp(-1e9) underflows). */
    public static final double MASKED_SCORE = -1e9;

    private AttentionMasks() {
    }

    /**
     * {@code [time, time]}: 1 where query t may read key s (s <= t), 0 above the diagonal. As a penalty
     * ({@code (1 - allowed) * MASKED_SCORE}) added to the scores it gives every later key weight exactly 0, so an
     * earlier step's output cannot depend on them.
     */
    public static INDArray causalAllowed(DataType type, long steps) {
        return table(type, steps, (t, s) -> s <= t);
    }

    /** {@code [time, time]}: 1 off the diagonal, 0 on it (the keys that padding can forbid). */
    public static INDArray offDiagonal(DataType type, long steps) {
        return table(type, steps, (t, s) -> s != t);
    }

    /** Whether query {@code t} reads key {@code s}, {@code keyIsReal} telling whether s is padding. */
    public static boolean allowed(int t, int s, boolean keyIsReal, boolean causal) {
        return (keyIsReal || s == t) && (!causal || s <= t);
    }

    private static INDArray table(DataType type, long steps, java.util.function.BiPredicate<Integer, Integer> one) {
        // Outside any workspace: callers keep it across forward passes.
        INDArray table;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            table = Nd4j.zeros(type, steps, steps);
        }
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < steps; s++) {
                if (one.test(t, s)) {
                    table.putScalar(t, s, 1.0);
                }
            }
        }
        return table;
    }
}
