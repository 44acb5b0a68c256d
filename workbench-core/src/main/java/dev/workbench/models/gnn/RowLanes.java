package dev.workbench.models.gnn;

import dev.workbench.data.graph.SparseRows;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float kernels on the JDK's vector API over short rows of row-major arrays, the graph layers' inner loops: a node's
 * or a head's row is 7 to 64 wide, and the JIT leaves such loops scalar (it cannot rule out that the two arrays
 * alias). Rows run in vector lanes, the rest of a row scalar. Also the bulk copies between
 * ND4J's float arrays and Java arrays the kernels read and write: element-wise reads through ND4J's buffers cost
 * more than the products.
 */
final class RowLanes {
    /**
     * The widest lanes, as every vector kernel of the workbench uses: once a process ran vectors of two sizes, C2
     * left vector operations uncompiled (Java fallbacks, ten times slower) in the kernels that shared them, these
     * and the Java Adam's alike.
     */
    static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private RowLanes() {
    }

    /** {@code y[yAt + i] += a · x[xAt + i]} for {@code i < width}. */
    static void addScaled(float a, float[] x, int xAt, float[] y, int yAt, int width) {
        int i = 0;
        for (; i <= width - LANES.length(); i += LANES.length()) {
            FloatVector.fromArray(LANES, x, xAt + i).fma(FloatVector.broadcast(LANES, a),
                    FloatVector.fromArray(LANES, y, yAt + i)).intoArray(y, yAt + i);
        }
        for (; i < width; i++) {
            y[yAt + i] += a * x[xAt + i];
        }
    }

    /** {@code Σ x[xAt + i] · y[yAt + i]} for {@code i < width}. */
    static float dot(float[] x, int xAt, float[] y, int yAt, int width) {
        int i = 0;
        float sum = 0f;
        for (; i <= width - LANES.length(); i += LANES.length()) {
            sum += FloatVector.fromArray(LANES, x, xAt + i).mul(FloatVector.fromArray(LANES, y, yAt + i))
                    .reduceLanes(VectorOperators.ADD);
        }
        for (; i < width; i++) {
            sum += x[xAt + i] * y[yAt + i];
        }
        return sum;
    }

    /** {@code out = m · in} (or {@code mᵀ · in}) for row-major {@code in} and {@code out}, {@code [m.size(), width]}. */
    static void propagate(SparseRows m, float[] in, int width, float[] out, boolean transposed) {
        Arrays.fill(out, 0, m.size() * width, 0f);
        int[] rowStart = m.rowStart();
        int[] columns = m.columns();
        double[] weights = m.weights();
        for (int i = 0; i < m.size(); i++) {
            int row = i * width;
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int other = columns[e] * width;
                if (transposed) {
                    addScaled((float) weights[e], in, row, out, other, width);
                } else {
                    addScaled((float) weights[e], in, other, out, row, width);
                }
            }
        }
    }

    /** Copies the elements of float {@code array}, row-major, into {@code into}; returns it. */
    static float[] read(INDArray array, float[] into) {
        INDArray rows = rowMajor(array);
        rows.data().asNioFloat().get((int) rows.offset(), into, 0, (int) rows.length());
        return into;
    }

    /** The first {@code rows × columns} of {@code values} as a new row-major float array (in the current workspace). */
    static INDArray array(float[] values, long rows, long columns) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, columns}, 'c');
        out.data().asNioFloat().put((int) out.offset(), values, 0, (int) out.length());
        return out;
    }

    /** Writes the first {@code target.length()} values of {@code values} into contiguous row-major float {@code target}. */
    static void write(float[] values, INDArray target) {
        if (!isRowMajor(target)) {
            throw new IllegalArgumentException("expected a contiguous row-major float array, got " + target.shapeInfoToString());
        }
        target.data().asNioFloat().put((int) target.offset(), values, 0, (int) target.length());
    }

    private static INDArray rowMajor(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected float data, got " + array.shapeInfoToString());
        }
        return isRowMajor(array) ? array : array.dup('c');
    }

    private static boolean isRowMajor(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.elementWiseStride() == 1
                && (array.ordering() == 'c' || array.isVector());
    }
}
