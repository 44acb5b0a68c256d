package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moving float arrays between ND4J (for the gemms) and Java (for element-wise work that ND4J would run as many
 * separate ops): bulk copies between a contiguous array's host buffer and a float[], and arrays allocated outside
 * DL4J's workspaces so that a layer can keep them from its forward pass to its backward pass.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /** A zeroed float array outside every workspace, 'c' order. */
    public static INDArray detached(long... shape) {
        return detached('c', shape);
    }

    /** A zeroed float array outside every workspace, in the given order. */
    public static INDArray detached(char order, long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(DataType.FLOAT, shape, order);
        }
    }

    /** Copies {@code array}'s elements, row-major, into {@code into} (at least as long); any layout. */
    public static float[] read(INDArray array, float[] into) {
        return read(array, into, 0);
    }

    /** Copies {@code array}'s elements, row-major, into {@code into} from index {@code at}; any layout. */
    public static float[] read(INDArray array, float[] into, int at) {
        INDArray rowMajor = rowMajor(array);
        buffer(rowMajor).get((int) rowMajor.offset(), into, at, (int) rowMajor.length());
        return into;
    }

    /** {@code array} itself when its elements lie row-major one after another, else a row-major copy of it. */
    public static INDArray rowMajor(INDArray array) {
        return isRowMajor(array) ? array : array.dup('c'); // a strided view: one native copy
    }

    /**
     * Copies {@code length} elements of a contiguous row-major {@code array}, from its element {@code first}, into
     * {@code into} at {@code at}: a block read without copying the rest.
     */
    public static void readRange(INDArray array, long first, float[] into, int at, int length) {
        if (first < 0 || first + length > array.length()) {
            throw new IllegalArgumentException("elements " + first + ".." + (first + length) + " are outside " + array.shapeInfoToString());
        }
        buffer(array).get(Math.toIntExact(array.offset() + first), into, at, length);
    }

    /** Writes the first {@code array.length()} values of {@code from} into {@code array}, row-major. */
    public static void write(float[] from, INDArray array) {
        write(from, 0, array);
    }

    /** Writes {@code array.length()} values of {@code from}, from index {@code at}, into {@code array}, row-major. */
    public static void write(float[] from, int at, INDArray array) {
        buffer(array).put((int) array.offset(), from, at, (int) array.length());
    }

    /**
     * For a {@code [batch, channels, h, w]} array laid out channels-last in memory (a permuted view of a row-major
     * {@code [batch, h, w, channels]} array), that row-major array; otherwise null.
     */
    public static INDArray channelsLast(INDArray nchw) {
        if (nchw.rank() != 4 || isRowMajor(nchw)) {
            return null;
        }
        INDArray rows = nchw.permute(0, 2, 3, 1);
        return isRowMajor(rows) ? rows : null;
    }

    /** The host bytes of a contiguous row-major float array (native order), which vector kernels read and write in place. */
    public static ByteBuffer bytes(INDArray rowMajor) {
        if (rowMajor.dataType() != DataType.FLOAT || !isRowMajor(rowMajor)) {
            throw new IllegalArgumentException("expected contiguous row-major float data, got " + rowMajor.shapeInfoToString());
        }
        return rowMajor.data().asNio().order(ByteOrder.nativeOrder());
    }

    /** Where a contiguous row-major array's first element lies in {@link #bytes}. */
    public static int byteOffset(INDArray rowMajor) {
        return Math.toIntExact(rowMajor.offset() * Float.BYTES);
    }

    /** Whether {@code array}'s elements lie row-major one after another, so {@link #bytes} can be read in place. */
    public static boolean isRowMajor(INDArray array) {
        return array.elementWiseStride() == 1 && (array.ordering() == 'c' || array.isVector());
    }

    private static FloatBuffer buffer(INDArray array) {
        if (array.dataType() != DataType.FLOAT || !isRowMajor(array)) {
            throw new IllegalArgumentException("expected contiguous row-major float data, got " + array.shapeInfoToString());
        }
        return array.data().asNioFloat();
    }
}
