package dev.workbench.models.host;

/**
 * Layer normalisation of each row of a row-major {@code [rows, width]} matrix as libnd4j's {@code layer_norm}
 * computes it: {@code (x - mean) / std * gain + bias}, population std, no epsilon. Keeps the normalised rows and
 * the reciprocal deviations of its last forward pass for the backward pass.
 *
 * <p>Row sums run on four accumulators: a single one makes every add wait for the previous (the JIT keeps float
 * sums in order), which made this the slowest part of a transformer block's Java work.
 */
public final class LayerNormRows {
    private final int width;
    private float[] normalised = new float[0];
    private float[] inverseStd = new float[0];
    private int rows;

    public LayerNormRows(int width) {
        this.width = width;
    }

    /** Normalises {@code x} ({@code rows * width} values) into {@code out}. */
    public void forward(float[] x, int rows, float[] gain, float[] bias, float[] out) {
        this.rows = rows;
        if (normalised.length < rows * width) {
            normalised = new float[rows * width];
            inverseStd = new float[rows];
        }
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            float mean = sum(x, base) / width;
            float squares = 0f;
            float s1 = 0f;
            int c = 0;
            for (; c + 1 < width; c += 2) {
                float d0 = x[base + c] - mean;
                float d1 = x[base + c + 1] - mean;
                squares += d0 * d0;
                s1 += d1 * d1;
            }
            for (; c < width; c++) {
                float d = x[base + c] - mean;
                squares += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt((squares + s1) / width));
            inverseStd[r] = inv;
            for (c = 0; c < width; c++) {
                float n = (x[base + c] - mean) * inv;
                normalised[base + c] = n;
                out[base + c] = n * gain[c] + bias[c];
            }
        }
    }

    /**
     * From dLoss/dOut to dLoss/dX (written to {@code dx}, which may be {@code dOut}); adds the gain and bias
     * gradients to {@code dGain} and {@code dBias}.
     */
    public void backward(float[] dOut, float[] gain, float[] dx, float[] dGain, float[] dBias) {
        float[] scaled = new float[width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int c = 0; c < width; c++) {
                float dy = dOut[base + c];
                dGain[c] += dy * normalised[base + c];
                dBias[c] += dy;
                scaled[c] = dy * gain[c];
            }
            float meanScaled = sum(scaled, 0) / width;
            float meanScaledNormalised = dot(scaled, normalised, base) / width;
            float inv = inverseStd[r];
            for (int c = 0; c < width; c++) {
                dx[base + c] = inv * (scaled[c] - meanScaled - normalised[base + c] * meanScaledNormalised);
            }
        }
    }

    private float sum(float[] a, int base) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int c = 0;
        for (; c + 3 < width; c += 4) {
            s0 += a[base + c];
            s1 += a[base + c + 1];
            s2 += a[base + c + 2];
            s3 += a[base + c + 3];
        }
        for (; c < width; c++) {
            s0 += a[base + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ_c a[c] · b[base + c]. */
    private float dot(float[] a, float[] b, int base) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int c = 0;
        for (; c + 3 < width; c += 4) {
            s0 += a[c] * b[base + c];
            s1 += a[c + 1] * b[base + c + 1];
            s2 += a[c + 2] * b[base + c + 2];
            s3 += a[c + 3] * b[base + c + 3];
        }
        for (; c < width; c++) {
            s0 += a[c] * b[base + c];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
