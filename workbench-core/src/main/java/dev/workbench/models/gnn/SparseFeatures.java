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
    private static final VectorSpecies<Float> SPECIES = RowLanes.LANES;

    private final int rows;
    private final int columns;
    private final int[] rowStart; // of a dropped copy: rewritten when it is reused
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
        return all == null ? null : all.dropped(keep, random, null);
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
     * These entries with dropout: each kept with probability {@code keep} (one {@link KeepDraws} decision per entry,
     * in row-major order) and scaled by {@code 1 / keep}; this itself when {@code keep} is 1. Written into
     * {@code reuse} when it has room (the previous epoch's copy: the kept entries change, the sizes do not), else
     * into new arrays.
     */
    SparseFeatures dropped(double keep, SplittableRandom random, SparseFeatures reuse) {
        if (keep >= 1) {
            return this;
        }
        SparseFeatures kept = reuse != null && reuse != this && reuse.rows == rows && reuse.columns == columns
                && reuse.indices.length >= entries() ? reuse
                : new SparseFeatures(rows, columns, new int[rows + 1], new int[entries()], new float[entries()]);
        KeepDraws draws = new KeepDraws(keep).draw(entries(), random);
        float scale = (float) (1.0 / keep);
        int[] keptIndices = kept.indices;
        float[] keptValues = kept.values;
        int count = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                // Written either way, counted when kept: no branch to mispredict on a coin toss.
                keptIndices[count] = indices[e];
                keptValues[count] = values[e] * scale;
                count += draws.kept(e);
            }
            kept.rowStart[r + 1] = count;
        }
        return kept;
    }

    /** {@code out = this · w} for row-major {@code w [columns, width]} and {@code out [rows, width]}. */
    void times(float[] w, int width, float[] out) {
        Arrays.fill(out, 0, rows * width, 0f);
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                RowLanes.addScaled(values[e], w, indices[e] * width, out, r * width, width);
            }
        }
    }

    /** {@code out = thisᵀ · g} for row-major {@code g [rows, width]} and {@code out [columns, width]}. */
    void transposeTimes(float[] g, int width, float[] out) {
        Arrays.fill(out, 0, columns * width, 0f);
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                RowLanes.addScaled(values[e], g, r * width, out, indices[e] * width, width);
            }
        }
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
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
