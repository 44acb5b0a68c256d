package dev.workbench.models.gnn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nonzero entries of a float feature matrix {@code [rows, columns]} in compressed rows, and its two products with
 * a dense matrix: bag-of-words node features are mostly zeros (Cora's 98.7%), so {@code X W} and {@code Xᵀ dT} cost
 * per word occurrence instead of per (node, word) pair. Dropout, when asked, draws over the nonzeros only: each
 * is kept with probability {@code keep} and scaled by {@code 1 / keep}, as DL4J's inverted dropout does (a zero stays
 * zero either way, so only the nonzeros need a draw).
 */
final class SparseFeatures {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final int rows;
    private final int columns;
    private final int[] rowStart;
    private final int[] indices;
    private final float[] values;

    private SparseFeatures(int rows, int columns, int[] rowStart, int[] indices, float[] values) {
        this.rows = rows;
        this.columns = columns;
        this.rowStart = rowStart;
        this.indices = indices;
        this.values = values;
    }

    /**
     * The nonzeros of {@code features} (float, row-major, contiguous), dropped out with {@code random} unless
     * {@code keep} is 1; null when more than {@code maxDensity} of the entries are nonzero.
     */
    static SparseFeatures of(INDArray features, double keep, SplittableRandom random, double maxDensity) {
        SparseFeatures all = of(features, maxDensity);
        return all == null ? null : all.dropped(keep, random);
    }

    /**
     * The nonzeros of {@code features} (float, row-major, contiguous); null when more than {@code maxDensity} of the
     * entries are nonzero (a dense product is then faster), found as soon as the count passes it.
     */
    static SparseFeatures of(INDArray features, double maxDensity) {
        int rows = (int) features.size(0);
        int columns = (int) features.size(1);
        long limit = (long) (maxDensity * rows * columns);
        ByteOrder order = ByteOrder.nativeOrder();
        ByteBuffer data = features.data().asNio().order(order);
        int at = (int) features.offset() * Float.BYTES;
        int[] rowStart = new int[rows + 1];
        int[] indices = new int[Math.max(16, rows)];
        float[] values = new float[indices.length];
        int count = 0;
        int bound = SPECIES.loopBound(columns);
        for (int r = 0; r < rows; r++) {
            int row = at + r * columns * Float.BYTES;
            int c = 0;
            while (c < columns) {
                int chunk = c < bound ? SPECIES.length() : 1;
                if (chunk > 1 && !FloatVector.fromByteBuffer(SPECIES, data, row + c * Float.BYTES, order)
                        .compare(VectorOperators.NE, 0f).anyTrue()) {
                    c += chunk;
                    continue;
                }
                for (int k = c; k < c + chunk; k++) {
                    float value = data.getFloat(row + k * Float.BYTES);
                    if (value == 0f) {
                        continue;
                    }
                    if (count == limit) {
                        return null;
                    }
                    if (count == indices.length) {
                        indices = Arrays.copyOf(indices, 2 * count);
                        values = Arrays.copyOf(values, 2 * count);
                    }
                    indices[count] = k;
                    values[count++] = value;
                }
                c += chunk;
            }
            rowStart[r + 1] = count;
        }
        return new SparseFeatures(rows, columns, rowStart, indices, values);
    }

    /**
     * These entries with dropout: each kept with probability {@code keep} (one draw of {@code random} per entry, in
     * row-major order) and scaled by {@code 1 / keep}; this itself when {@code keep} is 1.
     */
    SparseFeatures dropped(double keep, SplittableRandom random) {
        if (keep >= 1) {
            return this;
        }
        float scale = (float) (1.0 / keep);
        int[] keptStart = new int[rows + 1];
        int[] keptIndices = new int[entries()];
        float[] keptValues = new float[entries()];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                if (random.nextDouble() < keep) {
                    keptIndices[count] = indices[e];
                    keptValues[count++] = values[e] * scale;
                }
            }
            keptStart[r + 1] = count;
        }
        return new SparseFeatures(rows, columns, keptStart, keptIndices, keptValues);
    }

    /** {@code this · weights} for {@code weights [columns, width]}, as a new float {@code [rows, width]} array. */
    INDArray times(INDArray weights) {
        int width = (int) weights.size(1);
        float[] w = weights.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int to = r * width;
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                float value = values[e];
                int from = indices[e] * width;
                for (int c = 0; c < width; c++) {
                    out[to + c] += value * w[from + c];
                }
            }
        }
        return Nd4j.create(out, new long[]{rows, width}, 'c');
    }

    /** {@code thisᵀ · gradient} for {@code gradient [rows, width]}, as a new float {@code [columns, width]} array. */
    INDArray transposeTimes(INDArray gradient) {
        int width = (int) gradient.size(1);
        float[] g = gradient.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[columns * width];
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                float value = values[e];
                int to = indices[e] * width;
                for (int c = 0; c < width; c++) {
                    out[to + c] += value * g[from + c];
                }
            }
        }
        return Nd4j.create(out, new long[]{columns, width}, 'c');
    }

    /** Stored (nonzero, kept) entries. */
    int entries() {
        return rowStart[rows];
    }

    /** The matrix written out dense: for tests. */
    INDArray dense() {
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                out[r * columns + indices[e]] = values[e];
            }
        }
        return Nd4j.create(out, new long[]{rows, columns}, 'c');
    }
}
