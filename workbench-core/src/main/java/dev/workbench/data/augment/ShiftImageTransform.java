package dev.workbench.data.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.util.Random;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;

/**
 * Translates an image by whole pixels, keeping its size; pixels moved in from outside are 0.
 * <p>
 * DataVec's own random translation (pad, then {@code RandomCropTransform}) draws its offsets from ND4J's global
 * random generator and reseeds it when constructed, so it cannot follow the seeded {@link Random} that makes a
 * resumed run see the same batches, and it would disturb dropout's stream. This transform draws from the
 * {@code Random} passed to {@link #transform(ImageWritable, Random)}, like DataVec's rotate and flip transforms.
 */
public final class ShiftImageTransform extends BaseImageTransform<Mat> {
    private final int maxShift;
    private final int dx;
    private final int dy;

    private ShiftImageTransform(int maxShift, int dx, int dy) {
        super(null);
        this.maxShift = maxShift;
        this.dx = dx;
        this.dy = dy;
        this.converter = new OpenCVFrameConverter.ToMat();
    }

    /** Shifts by a random whole number of pixels in {@code [-maxShift, maxShift]}, drawn per axis and image. */
    public static ShiftImageTransform upTo(int maxShift) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
        return new ShiftImageTransform(maxShift, 0, 0);
    }

    /** Always shifts {@code dx} pixels right and {@code dy} pixels down (negative: left, up). */
    public static ShiftImageTransform by(int dx, int dy) {
        return new ShiftImageTransform(0, dx, dy);
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        boolean draw = random != null && maxShift > 0;
        int x = draw ? random.nextInt(2 * maxShift + 1) - maxShift : dx;
        int y = draw ? random.nextInt(2 * maxShift + 1) - maxShift : dy;
        Mat mat = converter.convert(image.getFrame());
        Mat translation = new Mat(2, 3, CV_64F);
        DoubleIndexer m = translation.createIndexer();
        m.put(0, 0, 1).put(0, 1, 0).put(0, 2, x);
        m.put(1, 0, 0).put(1, 1, 1).put(1, 2, y);
        m.release();
        Mat result = new Mat();
        // Nearest neighbour: a whole-pixel move copies values exactly.
        warpAffine(mat, result, translation, mat.size(), INTER_NEAREST, BORDER_CONSTANT, Scalar.ZERO);
        return new ImageWritable(converter.convert(result));
    }
}
