package dev.workbench.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.InputShape;
import dev.workbench.job.AugmentationSpec;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The DataVec transforms on real MNIST digits: what each does to a flattened, normalised batch. */
class ImageAugmentationTest {
    private static final DatasetSpec SPEC = new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, null), "scale", List.of());
    private static final DataSplits MNIST = DatasetRegistry.builtIn().get("mnist-10k").load(SPEC, 4, DataLocations.fromEnvironment());
    private static final DataSet BATCH = TestWorkbench.firstRows(MNIST.train(), 64);
    private static final InputShape SHAPE = MNIST.info().input();

    private static ImageBatchAugmenter augmenter(AugmentationSpec spec) {
        return ImageBatchAugmenter.of(spec, MNIST);
    }

    private static ImageBatchAugmenter fixed(org.datavec.image.transform.ImageTransform transform, DataSplits data) {
        return new ImageBatchAugmenter(transform, data.info().input(), data.normalizer());
    }

    @Test
    void augmentedDigitsDifferButKeepShapeRangeAndLabels() {
        INDArray before = BATCH.getFeatures().dup();
        DataSet augmented = augmenter(new AugmentationSpec(2, 10.0, false)).apply(BATCH, new Random(1));
        INDArray after = augmented.getFeatures();
        assertEquals(List.of(64L, 784L), List.of(after.size(0), after.size(1)));
        assertTrue(after.minNumber().doubleValue() >= 0 && after.maxNumber().doubleValue() <= 1 + 1e-6,
                "range " + after.minNumber() + ".." + after.maxNumber());
        int changed = 0;
        for (int i = 0; i < 64; i++) {
            changed += before.getRow(i).equalsWithEps(after.getRow(i), 1e-3) ? 0 : 1;
        }
        assertTrue(changed >= 60, changed + " of 64 digits changed");
        // Ink is moved, not created or lost: each digit keeps nearly its total intensity.
        double inkBefore = before.sumNumber().doubleValue();
        assertEquals(inkBefore, after.sumNumber().doubleValue(), 0.03 * inkBefore);
        assertEquals(BATCH.getLabels(), augmented.getLabels());
        assertEquals(before, BATCH.getFeatures(), "the source batch is not modified");
    }

    @Test
    void shiftByKPixelsMovesEachDigitsCentreOfMassByK() {
        INDArray shifted = fixed(ShiftImageTransform.by(3, -2), MNIST).images(BATCH.getFeatures(), null);
        int whole = 0;
        for (int i = 0; i < 64; i++) {
            INDArray digit = BATCH.getFeatures().getRow(i);
            double[] before = centreOfMass(digit);
            double[] after = centreOfMass(shifted.getRow(i));
            assertEquals(before[0] + 3, after[0], 0.5, "digit " + i + " column");
            assertEquals(before[1] - 2, after[1], 0.5, "digit " + i + " row");
            if (keepsAllInk(digit, 3, -2)) {
                // Nothing pushed out of the frame: the move is exact.
                whole++;
                assertEquals(before[0] + 3, after[0], 1e-3, "digit " + i + " column");
                assertEquals(before[1] - 2, after[1], 1e-3, "digit " + i + " row");
                assertTrue(same(shifted.getRow(i), shift(digit, 1, 28, 28, 3, -2)), "digit " + i);
            }
        }
        assertTrue(whole >= 48, whole + " of 64 digits kept all their ink");
    }

    @Test
    void randomShiftsAreWholePixelsWithinTheLimitAndVary() {
        INDArray shifted = augmenter(new AugmentationSpec(2, 0.0, false)).images(BATCH.getFeatures(), new Random(7));
        Set<Long> moves = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            INDArray digit = BATCH.getFeatures().getRow(i);
            long found = -1;
            for (int dx = -2; dx <= 2 && found < 0; dx++) {
                for (int dy = -2; dy <= 2 && found < 0; dy++) {
                    if (same(shifted.getRow(i), shift(digit, 1, 28, 28, dx, dy))) {
                        found = (dx + 2) * 5L + dy + 2;
                    }
                }
            }
            assertTrue(found >= 0, "digit " + i + " is not its original moved by at most 2 pixels");
            moves.add(found);
        }
        assertTrue(moves.size() >= 15, "distinct moves " + moves.size() + " of 25 possible");
    }

    @Test
    void rotationTurnsTheDigitAboutTheCentreWithoutMovingIt() {
        INDArray rotated = augmenter(new AugmentationSpec(0, 15.0, false)).images(BATCH.getFeatures(), new Random(3));
        for (int i = 0; i < 64; i++) {
            double[] before = centreOfMass(BATCH.getFeatures().getRow(i));
            double[] after = centreOfMass(rotated.getRow(i));
            assertEquals(0, Math.hypot(after[0] - before[0], after[1] - before[1]), 1.5, "digit " + i);
        }
        assertNotEquals(BATCH.getFeatures(), rotated);
    }

    @Test
    void flipMirrorsAboutHalfTheImagesLeftRight() {
        INDArray flipped = augmenter(new AugmentationSpec(0, 0.0, true)).images(BATCH.getFeatures(), new Random(5));
        int mirrored = 0;
        for (int i = 0; i < 64; i++) {
            INDArray original = BATCH.getFeatures().getRow(i);
            INDArray image = flipped.getRow(i);
            if (same(image, mirror(original, 1, 28, 28))) {
                mirrored++;
            } else {
                assertTrue(same(image, original), "digit " + i + " is neither itself nor its mirror");
            }
        }
        assertTrue(mirrored > 16 && mirrored < 48, mirrored + " of 64 mirrored");
    }

    @Test
    void colourImagesKeepTheirChannelsApart() {
        // Three different channels per image: the digit, its negative and the digit scaled by a half.
        INDArray digits = BATCH.getFeatures().get(NDArrayIndex.interval(0, 8), NDArrayIndex.all());
        INDArray colour = Nd4j.hstack(digits, digits.rsub(1), digits.mul(0.5)).castTo(DataType.FLOAT);
        InputShape shape = InputShape.image(3, 28, 28);

        INDArray mirrored = new ImageBatchAugmenter(new org.datavec.image.transform.FlipImageTransform(1), shape, null)
                .images(colour, null);
        INDArray shifted = new ImageBatchAugmenter(ShiftImageTransform.by(2, 1), shape, null).images(colour, null);
        for (int i = 0; i < 8; i++) {
            assertTrue(same(mirrored.getRow(i), mirror(colour.getRow(i), 3, 28, 28)), "image " + i);
            assertTrue(same(shifted.getRow(i), shift(colour.getRow(i), 3, 28, 28, 2, 1)), "image " + i);
        }
    }

    @Test
    void withStandardizePixelsMovedInAreTheNormalisedValueOfZero() {
        DataSplits standardized = DatasetRegistry.builtIn().get("mnist-10k").load(SPEC.withNormalization("standardize"), 4,
                DataLocations.fromEnvironment());
        INDArray batch = TestWorkbench.firstRows(standardized.train(), 16).getFeatures();
        INDArray shifted = fixed(ShiftImageTransform.by(0, 5), standardized).images(batch, null);
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 1, 784);
        standardized.normalizer().transform(zero);
        for (int i = 0; i < 16; i++) {
            // The top five rows came from outside the image: each pixel holds its own standardised 0.
            INDArray top = shifted.getRow(i).get(NDArrayIndex.interval(0, 5 * 28));
            assertTrue(top.equalsWithEps(zero.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 5 * 28)), 1e-4), "digit " + i);
        }
    }

    /** Equal within float rounding, compared as flat vectors. */
    private static boolean same(INDArray a, INDArray b) {
        return a.reshape(a.length()).equalsWithEps(b.reshape(b.length()), 1e-6);
    }

    /** True when moving by (dx, dy) pushes no ink out of the 28x28 frame. */
    private static boolean keepsAllInk(INDArray digit, int dx, int dy) {
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                boolean leaves = c + dx < 0 || c + dx >= 28 || r + dy < 0 || r + dy >= 28;
                if (leaves && digit.getDouble(r * 28 + c) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** (column, row) of the ink's centre. */
    private static double[] centreOfMass(INDArray flat) {
        double sum = 0;
        double x = 0;
        double y = 0;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                double v = flat.getDouble(r * 28 + c);
                sum += v;
                x += v * c;
                y += v * r;
            }
        }
        return new double[]{x / sum, y / sum};
    }

    /** Each channel's columns in reverse order. */
    private static INDArray mirror(INDArray flat, int channels, int height, int width) {
        float[] in = flat.toFloatVector();
        float[] out = new float[in.length];
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    out[(ch * height + r) * width + width - 1 - c] = in[(ch * height + r) * width + c];
                }
            }
        }
        return Nd4j.createFromArray(out);
    }

    /** Each channel moved {@code dx} columns right and {@code dy} rows down, zeros moved in. */
    private static INDArray shift(INDArray flat, int channels, int height, int width, int dx, int dy) {
        float[] in = flat.toFloatVector();
        float[] out = new float[in.length];
        for (int ch = 0; ch < channels; ch++) {
            for (int r = Math.max(0, dy); r < Math.min(height, height + dy); r++) {
                for (int c = Math.max(0, dx); c < Math.min(width, width + dx); c++) {
                    out[(ch * height + r) * width + c] = in[(ch * height + r - dy) * width + c - dx];
                }
            }
        }
        return Nd4j.createFromArray(out);
    }
}
