package dev.workbench.models.transformer;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The post-LN encoder block written out in plain double loops, straight from the formulas, as the judge of the
 * SameDiff graph: {@code h = LN(x + MHA(x))}, {@code out = LN(h + W2 relu(W1 h + b1) + b2)}. Layer norm divides by
 * the population standard deviation with no epsilon, as libnd4j's {@code layer_norm} does.
 */
final class EncoderBlockReference {
    private final Map<String, INDArray> p;
    private final int d;
    private final int heads;

    EncoderBlockReference(Map<String, INDArray> params, int dModel, int heads) {
        this.p = params;
        this.d = dModel;
        this.heads = heads;
    }

    /** @param x {@code [batch][dModel][time]}; @param mask {@code [batch][time]} or null. Returns the same layout. */
    double[][][] forward(double[][][] x, double[][] mask) {
        return forward(x, mask, false);
    }

    /** As {@link #forward(double[][][], double[][])}; when {@code causal}, step t reads only steps 0..t. */
    double[][][] forward(double[][][] x, double[][] mask, boolean causal) {
        return forward(x, mask, causal, false);
    }

    /**
     * As {@link #forward(double[][][], double[][], boolean)}; when {@code preNorm}, {@code h = x + MHA(LN1(x))} and
     * {@code out = h + FF(LN2(h))}.
     */
    double[][][] forward(double[][][] x, double[][] mask, boolean causal, boolean preNorm) {
        int batch = x.length;
        int steps = x[0][0].length;
        double[][][] out = new double[batch][d][steps];
        for (int b = 0; b < batch; b++) {
            double[][] rows = new double[steps][d];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < d; i++) {
                    rows[t][i] = x[b][i][t];
                }
            }
            double[] keys = mask == null ? null : mask[b];
            double[][] result = new double[steps][];
            if (preNorm) {
                double[][] normed = new double[steps][];
                for (int t = 0; t < steps; t++) {
                    normed[t] = norm(rows[t], "norm1Gain", "norm1Bias");
                }
                double[][] attended = attention(normed, keys, causal);
                for (int t = 0; t < steps; t++) {
                    double[] h = add(rows[t], attended[t]);
                    result[t] = add(h, feedForward(norm(h, "norm2Gain", "norm2Bias")));
                }
            } else {
                double[][] attended = attention(rows, keys, causal);
                for (int t = 0; t < steps; t++) {
                    double[] h = norm(add(rows[t], attended[t]), "norm1Gain", "norm1Bias");
                    result[t] = norm(add(h, feedForward(h)), "norm2Gain", "norm2Bias");
                }
            }
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < d; i++) {
                    out[b][i][t] = result[t][i];
                }
            }
        }
        return out;
    }

    private double[][] attention(double[][] rows, double[] mask, boolean causal) {
        int steps = rows.length;
        int dHead = d / heads;
        double[][] q = new double[steps][];
        double[][] k = new double[steps][];
        double[][] v = new double[steps][];
        for (int t = 0; t < steps; t++) {
            q[t] = linear(rows[t], "Wq", "bq");
            k[t] = linear(rows[t], "Wk", "bk");
            v[t] = linear(rows[t], "Wv", "bv");
        }
        double[][] joined = new double[steps][d];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < steps; t++) {
                double[] scores = new double[steps];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < steps; s++) {
                    double dot = 0;
                    for (int j = h * dHead; j < (h + 1) * dHead; j++) {
                        dot += q[t][j] * k[s][j];
                    }
                    scores[s] = !AttentionMasks.allowed(t, s, mask == null || mask[s] != 0, causal) ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(dHead);
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int s = 0; s < steps; s++) {
                    for (int j = h * dHead; j < (h + 1) * dHead; j++) {
                        joined[t][j] += scores[s] / sum * v[s][j];
                    }
                }
            }
        }
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            out[t] = linear(joined[t], "Wo", "bo");
        }
        return out;
    }

    private double[] feedForward(double[] h) {
        double[] hidden = linear(h, "W1", "b1");
        for (int j = 0; j < hidden.length; j++) {
            hidden[j] = Math.max(0, hidden[j]);
        }
        return linear(hidden, "W2", "b2");
    }

    /** {@code x W + b} with W stored {@code [in, out]}. */
    private double[] linear(double[] x, String weights, String bias) {
        INDArray w = p.get(weights);
        int n = (int) w.size(1);
        double[] y = new double[n];
        for (int o = 0; o < n; o++) {
            double sum = p.get(bias).getDouble(o);
            for (int i = 0; i < x.length; i++) {
                sum += x[i] * w.getDouble(i, o);
            }
            y[o] = sum;
        }
        return y;
    }

    private double[] norm(double[] x, String gain, String bias) {
        double mean = 0;
        for (double value : x) {
            mean += value / x.length;
        }
        double variance = 0;
        for (double value : x) {
            variance += (value - mean) * (value - mean) / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(variance) * p.get(gain).getDouble(i) + p.get(bias).getDouble(i);
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}
