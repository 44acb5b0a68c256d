package dev.workbench.models.gnn;

import dev.workbench.data.graph.SparseRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph layer's sparse products on float rows ({@link RowLanes}' kernels): the propagation over the graph's matrix
 * and the products with sparse input features. The operand read from ND4J and the product written back pass through
 * two Java arrays kept from call to call: new arrays of a few hundred kilobytes each call cost more than the products
 * on Cora.
 */
final class FloatProducts {
    private float[] operand = new float[0];
    private float[] product = new float[0];

    /**
     * {@code m · rows} (or {@code mᵀ · rows}) for {@code rows [m.size(), width]}, as a new array of {@code rows}' type:
     * float rows in single precision as the gemms beside it; others in {@link SparseRows#times}' double.
     */
    INDArray propagate(SparseRows m, INDArray rows, boolean transposed) {
        if (rows.dataType() != DataType.FLOAT) {
            return m.times(rows, transposed);
        }
        int width = (int) rows.size(1);
        RowLanes.propagate(m, operand(rows), width, product(m.size() * width), transposed);
        return RowLanes.array(product, m.size(), width);
    }

    /** {@code x · weights} for float {@code weights [x.columns(), width]}, as a new float array. */
    INDArray times(SparseFeatures x, INDArray weights) {
        int width = (int) weights.size(1);
        x.times(operand(weights), width, product(x.rows() * width));
        return RowLanes.array(product, x.rows(), width);
    }

    /** {@code xᵀ · gradient} for float {@code gradient [x.rows(), width]}, as a new float array. */
    INDArray transposeTimes(SparseFeatures x, INDArray gradient) {
        int width = (int) gradient.size(1);
        x.transposeTimes(operand(gradient), width, product(x.columns() * width));
        return RowLanes.array(product, x.columns(), width);
    }

    private float[] operand(INDArray array) {
        if (operand.length < array.length()) {
            operand = new float[(int) array.length()];
        }
        return RowLanes.read(array, operand);
    }

    private float[] product(int length) {
        if (product.length < length) {
            product = new float[length];
        }
        return product;
    }
}
