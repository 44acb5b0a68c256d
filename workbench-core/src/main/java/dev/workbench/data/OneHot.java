package dev.workbench.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One-hot label matrices from class indices. */
public final class OneHot {
    private OneHot() {
    }

    public static INDArray encode(int[] classes, int numClasses) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, classes.length, numClasses);
        for (int row = 0; row < classes.length; row++) {
            if (classes[row] < 0 || classes[row] >= numClasses) {
                throw new IllegalArgumentException("row " + row + ": class " + classes[row] + " outside 0.." + (numClasses - 1));
            }
            labels.putScalar(row, classes[row], 1f);
        }
        return labels;
    }
}
