package dev.workbench.cpu.kernels;

import dev.workbench.lanes.LaneExp;

/**
 * Softmax and multi-class cross-entropy over rows of logits, as DL4J's softmax output layers with {@code MCXENT}
 * define them: the loss of a row is {@code −Σ y log(max(p, clip))} (DL4J clips the probabilities it takes the log
 * of), its gradient with respect to the logits {@code p Σy − y} (p − y for one-hot labels), both times the row's
 * weight (its mask). Exponentials from {@link LaneExp} and logarithms from {@link StrictMath}, so the same bits in
 * every JIT tier.
 */
public final class SoftmaxCrossEntropyRows {
    private final float clip;

    /** @param clip the smallest probability whose log is taken (LossMCXENT's softmax clipping epsilon) */
    public SoftmaxCrossEntropyRows(double clip) {
        this.clip = (float) clip;
    }

    /**
     * Turns {@code rows} rows of {@code classes} logits (row-major) into the gradient of the weighted loss with respect
     * to them, and returns the summed weighted loss.
     *
     * @param labels     {@code [rows, classes]} row-major
     * @param rowWeights one weight per row (a mask), or null for all 1
     */
    public double gradientInPlace(float[] logits, float[] labels, float[] rowWeights, int rows, int classes) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int at = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[at + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = LaneExp.exp(logits[at + c] - max);
                logits[at + c] = e;
                sum += e;
            }
            float weight = rowWeights == null ? 1f : rowWeights[r];
            float labelSum = 0f;
            double rowLoss = 0;
            for (int c = 0; c < classes; c++) {
                float y = labels[at + c];
                labelSum += y;
                if (y != 0f) {
                    rowLoss -= y * StrictMath.log(Math.max(logits[at + c] / sum, clip));
                }
            }
            loss += weight * rowLoss;
            for (int c = 0; c < classes; c++) {
                logits[at + c] = (logits[at + c] / sum * labelSum - labels[at + c]) * weight;
            }
        }
        return loss;
    }

    /**
     * {@link #gradientInPlace} for logits that still lack the output layer's {@code bias} (added first, as DL4J adds
     * it), writing the bias gradient, the column sums of dLoss/dLogits, into {@code biasGradient}.
     */
    public double gradientInPlace(float[] logits, float[] bias, float[] labels, float[] rowWeights, int rows,
                                  int classes, float[] biasGradient) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                logits[r * classes + c] += bias[c];
            }
        }
        double loss = gradientInPlace(logits, labels, rowWeights, rows, classes);
        java.util.Arrays.fill(biasGradient, 0, classes, 0f);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                biasGradient[c] += logits[r * classes + c];
            }
        }
        return loss;
    }
}
