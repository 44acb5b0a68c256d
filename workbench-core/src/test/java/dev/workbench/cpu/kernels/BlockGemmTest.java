package dev.workbench.cpu.kernels;

import static dev.workbench.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Block products equal ND4J's products of the same sub-matrices (cut from real digits), in every transpose. */
class BlockGemmTest {
    private static final INDArray PIXELS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 16, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 16)
            .getFeatures().castTo(DataType.FLOAT).dup('c');  // [16, 784]

    @Test
    void blocksMultiplyAsTheirSubMatrices() {
        // a: rows 2..7, columns 300..309 of the digits (6x10); b: a block from row 5, column 400.
        BlockGemm.Block a = new BlockGemm.Block(PIXELS, 2 * 784 + 300, 6, 10, 784);
        INDArray aMatrix = PIXELS.get(interval(2, 8), interval(300, 310));
        for (boolean transposeA : new boolean[]{false, true}) {
            for (boolean transposeB : new boolean[]{false, true}) {
                int k = transposeA ? 6 : 10;  // op(a) is m x k; op(b) must be k x 7
                BlockGemm.Block b = new BlockGemm.Block(PIXELS, 5 * 784 + 400, transposeB ? 7 : k, transposeB ? k : 7, 784);
                INDArray bMatrix = PIXELS.get(interval(5, 5 + b.rows()), interval(400, 400 + b.cols()));
                INDArray want = (transposeA ? aMatrix.transpose() : aMatrix).mmul(transposeB ? bMatrix.transpose() : bMatrix);
                assertTrue(want.amaxNumber().doubleValue() > 0, "digit strokes in the blocks");
                // The result goes into a block of a wider matrix, whose other elements must stay as they are.
                INDArray out = PIXELS.dup().reshape(16 * 784 / 49, 49);
                INDArray before = out.dup();
                BlockGemm.multiply(a, transposeA, b, transposeB, 0.5f,
                        new BlockGemm.Block(out, 3 * 49 + 4, (int) want.size(0), (int) want.size(1), 49));
                INDArray region = out.get(interval(3, 3 + want.size(0)), interval(4, 4 + want.size(1)));
                INDArray expected = want.add(before.get(interval(3, 3 + want.size(0)), interval(4, 4 + want.size(1))).mul(0.5));
                assertClose(expected, region, 1e-6, "transposeA " + transposeA + ", transposeB " + transposeB);
                region.assign(before.get(interval(3, 3 + want.size(0)), interval(4, 4 + want.size(1))));
                assertClose(before, out, 0.0, "outside the result block");
            }
        }
    }

    @Test
    void multipliesViewsAtAnOffsetInTheirBuffer() {
        // As a layer's weight gradient inside the network's flat gradient: a [4, 5] view from element 37.
        INDArray flat = PIXELS.reshape(-1).dup();
        INDArray before = flat.dup();
        INDArray c = flat.get(interval(37, 57)).reshape('c', 4, 5);
        INDArray a = PIXELS.get(interval(3, 7), interval(200, 230)).dup();  // 4x30
        INDArray b = PIXELS.get(interval(8, 13), interval(500, 530)).dup();  // 5x30
        BlockGemm.multiply(new BlockGemm.Block(a, 0, 4, 30, 30), false, new BlockGemm.Block(b, 0, 5, 30, 30), true, 0f,
                new BlockGemm.Block(c, 0, 4, 5, 5));
        INDArray want = a.mmul(b.transpose());
        assertTrue(want.amaxNumber().doubleValue() > 0, "digit strokes in the blocks");
        assertClose(want, flat.get(interval(37, 57)).reshape('c', 4, 5), 1e-6, "the view's elements");
        flat.get(interval(37, 57)).assign(before.get(interval(37, 57)));
        assertClose(before, flat, 0.0, "elements outside the view");
    }

    @Test
    void rejectsBlocksOutsideTheirMatrixMismatchedShapesAndStridedViews() {
        assertThrows(IllegalArgumentException.class, () -> new BlockGemm.Block(PIXELS, 15 * 784 + 780, 1, 5, 784));
        assertThrows(IllegalArgumentException.class, () -> new BlockGemm.Block(PIXELS, 0, 2, 800, 784));
        BlockGemm.Block a = new BlockGemm.Block(PIXELS, 0, 4, 3, 784);
        assertThrows(IllegalArgumentException.class, () -> BlockGemm.multiply(a, false, a, false, 0f, a));
        assertThrows(IllegalArgumentException.class, () -> new BlockGemm.Block(PIXELS.get(interval(0, 4), interval(0, 10)), 0, 2, 3, 10),
                "a strided view of columns");
    }
}
