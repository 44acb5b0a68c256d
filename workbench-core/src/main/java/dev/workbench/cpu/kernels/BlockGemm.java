package dev.workbench.cpu.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Products of blocks that lie inside larger row-major float matrices, each block given by the index of its first
 * element and the row stride of its matrix, on the OpenBLAS that ND4J's CPU backend calls itself. Attention
 * multiplies per-(example, head) blocks of its projections: ND4J needs them copied into a head-major array first,
 * and its batched product is slower than one call per block.
 */
public final class BlockGemm {
    private BlockGemm() {
    }

    /** A block of {@code rows x cols} elements of {@code matrix}, from element {@code first}, rows {@code stride} apart. */
    public record Block(INDArray matrix, long first, int rows, int cols, int stride) {
        public Block {
            if (matrix.dataType() != DataType.FLOAT || matrix.ordering() != 'c' || matrix.elementWiseStride() != 1) {
                throw new IllegalArgumentException("expected a contiguous row-major float matrix, got " + matrix.shapeInfoToString());
            }
            if (first < 0 || cols > stride || first + (long) (rows - 1) * stride + cols > matrix.length()) {
                throw new IllegalArgumentException("block " + rows + "x" + cols + " from " + first + " (row stride " + stride
                        + ") does not fit in " + matrix.length() + " elements");
            }
        }

        private FloatPointer pointer() {
            // A view's address already starts at its first element (ND4J's view buffers carry the offset; adding
            // offset() again once wrote into another layer's gradient). Its NIO buffer, by contrast, starts at the
            // original array's start (HostArrays reads from offset()).
            return new FloatPointer(matrix.data().addressPointer()).position(first);
        }
    }

    /** {@code c = op(a) · op(b) + beta · c}, op transposing when asked; shapes are checked. */
    public static void multiply(Block a, boolean transposeA, Block b, boolean transposeB, float beta, Block c) {
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int n = transposeB ? b.rows() : b.cols();
        int kB = transposeB ? b.cols() : b.rows();
        if (k != kB || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("cannot multiply " + m + "x" + k + " by " + kB + "x" + n + " into "
                    + c.rows() + "x" + c.cols());
        }
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.pointer(), a.stride(), b.pointer(), b.stride(), beta, c.pointer(), c.stride());
    }
}
