package dev.workbench.data.graph;

/**
 * A square sparse matrix in compressed rows: row {@code i}'s entries are {@code columns[rowStart[i]..rowStart[i+1])}
 * with {@code weights} alongside. Message passing over an edge list, so memory grows with the edges, not N².
 */
public record SparseRows(int size, int[] rowStart, int[] columns, double[] weights) {

    public int entries() {
        return columns.length;
    }

    /** {@code out = this · in} for row-major {@code in} and {@code out}, both {@code [size, width]}. */
    public void multiply(double[] in, int width, double[] out) {
        java.util.Arrays.fill(out, 0, size * width, 0.0);
        for (int i = 0; i < size; i++) {
            int row = i * width;
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                double w = weights[e];
                int from = columns[e] * width;
                for (int c = 0; c < width; c++) {
                    out[row + c] += w * in[from + c];
                }
            }
        }
    }

    /** {@code out = thisᵀ · in}: the backward pass of {@link #multiply}. */
    public void multiplyTransposed(double[] in, int width, double[] out) {
        java.util.Arrays.fill(out, 0, size * width, 0.0);
        for (int i = 0; i < size; i++) {
            int row = i * width;
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                double w = weights[e];
                int to = columns[e] * width;
                for (int c = 0; c < width; c++) {
                    out[to + c] += w * in[row + c];
                }
            }
        }
    }

    /**
     * {@code this · rows} (or {@code thisᵀ · rows}) for {@code rows [size, width]} in double precision, returned in
     * {@code rows}' data type: the plain definition (the graph layers run float rows on vector kernels).
     */
    public org.nd4j.linalg.api.ndarray.INDArray times(org.nd4j.linalg.api.ndarray.INDArray rows, boolean transposed) {
        int width = (int) rows.size(1);
        double[] in = rows.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[in.length];
        if (transposed) {
            multiplyTransposed(in, width, out);
        } else {
            multiply(in, width, out);
        }
        return org.nd4j.linalg.factory.Nd4j.create(out, new long[]{size, width}, 'c').castTo(rows.dataType());
    }

    /** The weight of entry (row, column), 0 when absent: for tests and inspection. */
    public double get(int row, int column) {
        for (int e = rowStart[row]; e < rowStart[row + 1]; e++) {
            if (columns[e] == column) {
                return weights[e];
            }
        }
        return 0.0;
    }
}
