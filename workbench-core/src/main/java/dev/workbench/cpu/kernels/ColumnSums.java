package dev.workbench.cpu.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Column sums of a {@code [rows, cols]} matrix (a bias gradient) as one gemm against a row of ones: ND4J's
 * {@code sum(0)} strides down the columns of a row-major matrix, which is slow on a training step's tall gradients.
 * Keeps its ones row, outside workspaces, while the row count stays the same; one instance per layer.
 */
public final class ColumnSums {
    private INDArray ones;

    /** Writes the column sums of {@code matrix} into {@code target} ({@code cols} values, any vector shape). */
    public void into(INDArray matrix, INDArray target) {
        long rows = matrix.size(0);
        DataType type = matrix.dataType();
        if (ones == null || ones.length() != rows || ones.dataType() != type) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                ones = Nd4j.ones(type, 1, rows);
            }
        }
        Nd4j.gemm(ones, matrix, target.reshape(1, target.length()), false, false, 1.0, 0.0);
    }
}
