package dev.workbench.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Picks examples (along dimension 0) out of arrays of any rank: tables, images, sequences. */
public final class Rows {
    private Rows() {
    }

    /**
     * The examples {@code rows} of {@code array}, in that order, as a new array. One native gather (pullRows):
     * ND4J's getRows copies row by row, one op call each, which for a small model's batch costs about as much as the
     * training step it feeds.
     */
    public static INDArray of(INDArray array, int[] rows) {
        if (array.rank() == 2) {
            return Nd4j.pullRows(array, 1, rows);
        }
        // Flatten each example to one row (a view of a contiguous array: never copy the whole split per batch),
        // select, restore.
        long[] shape = array.shape().clone();
        INDArray flat = array.reshape('c', shape[0], array.length() / shape[0]);
        shape[0] = rows.length;
        return Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
    }

    /** The examples {@code rows} of features, labels and their masks. */
    public static DataSet of(DataSet data, int[] rows) {
        return new DataSet(of(data.getFeatures(), rows), of(data.getLabels(), rows),
                data.getFeaturesMaskArray() == null ? null : of(data.getFeaturesMaskArray(), rows),
                data.getLabelsMaskArray() == null ? null : of(data.getLabelsMaskArray(), rows));
    }

    /** The first {@code n} examples (all of them when there are fewer). */
    public static DataSet first(DataSet data, int n) {
        int count = Math.min(n, data.numExamples());
        if (count == data.numExamples()) {
            return data;
        }
        int[] rows = new int[count];
        Arrays.setAll(rows, i -> i);
        return of(data, rows);
    }

    /** Examples {@code [from, to)} of {@code array}, a view. */
    public static INDArray range(INDArray array, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[array.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return array.get(index);
    }
}
