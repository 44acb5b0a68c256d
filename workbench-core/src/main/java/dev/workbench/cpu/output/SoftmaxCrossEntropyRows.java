package dev.workbench.cpu.output;

import dev.workbench.cpu.kernels.LaneExp;

/**
 * The softmax, DL4J's multi-class cross-entropy and its gradient for a batch of logit rows in one pass over each
 * row, where DL4J runs a dozen ND4J ops (the softmax twice, two clips, a log, products and sums), each with its own
 * arrays. Rows are a classifier's few classes wide, so the pass is scalar; e^x comes from {@link LaneExp}, whose
 * bits do not depend on the JIT tier.
 */
final class SoftmaxCrossEntropyRows {
    private SoftmaxCrossEntropyRows() {
    }

    /**
     * For each of {@code rows} rows of {@code logits} (row-major, {@code cols} wide) plus {@code bias} (null for
     * none): p = softmax, the loss −Σ y·log(p) with p clipped to [eps, 1 − eps] in float as DL4J's MCXENT clips it,
     * and dLoss/dz = p − y (unclipped p, as DL4J's gradient) written over the logits. {@code biasGradient}
     * receives the column sums of dLoss/dz. Returns the loss summed over the rows.
     */
    static double lossAndDelta(float[] logits, float[] bias, float[] labels, int rows, int cols, double clipEps,
                               float[] biasGradient) {
        float low = (float) clipEps;
        float high = (float) (1.0 - clipEps);
        java.util.Arrays.fill(biasGradient, 0, cols, 0f);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int at = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                float z = bias == null ? logits[at + c] : logits[at + c] + bias[c];
                logits[at + c] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = LaneExp.exp(logits[at + c] - max);
                logits[at + c] = e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                float p = logits[at + c] / sum;
                float y = labels[at + c];
                if (y != 0) {
                    float clipped = p < low ? low : Math.min(p, high);
                    loss -= (float) Math.log(clipped) * y;
                }
                float delta = p - y;
                logits[at + c] = delta;
                biasGradient[c] += delta;
            }
        }
        return loss;
    }
}
