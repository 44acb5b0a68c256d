package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Batches are gathered example by example in the order asked, for tables, images and sequences alike. */
class RowsTest {
    private static DataSet train(String name, String normalization, Integer length) {
        return DatasetRegistry.builtIn().get(name).load(new DatasetSpec(name, 32, new SplitSpec(0.1, 0.2), normalization,
                List.of(), null, length, null, null), 3, DataLocations.fromEnvironment()).train();
    }

    private static void gathersInOrder(INDArray source, int[] rows) {
        INDArray picked = Rows.of(source, rows);
        long[] expectedShape = source.shape().clone();
        expectedShape[0] = rows.length;
        assertArrayEquals(expectedShape, picked.shape());
        for (int i = 0; i < rows.length; i++) {
            INDArray expected = source.get(NDArrayIndex.point(rows[i]));
            assertEquals(expected, picked.get(NDArrayIndex.point(i)), "example " + i + " = source row " + rows[i]);
        }
    }

    @Test
    void realDigitsAndTheirLabelsComeOutInTheOrderAsked() {
        DataSet digits = train("mnist-10k", "scale", null);
        int[] rows = {17, 3, 4000, 3, 0, digits.numExamples() - 1};
        gathersInOrder(digits.getFeatures(), rows);
        gathersInOrder(digits.getLabels(), rows);
        DataSet batch = Rows.of(digits, rows);
        assertEquals(digits.getLabels().getRow(4000), batch.getLabels().getRow(2));
    }

    @Test
    void sequencesKeepTheirTimeAxis() {
        DataSet text = train("tinyshakespeare", "none", 20);
        int[] rows = {5, 1, 9000, 2};
        gathersInOrder(text.getFeatures(), rows);
        gathersInOrder(text.getLabels(), rows);
        gathersInOrder(text.getFeatures().dup('f'), rows);  // any layout in, the same examples out
    }
}
