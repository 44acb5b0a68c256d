package dev.workbench.data.augment;

import dev.workbench.data.DataSplits;
import dev.workbench.data.InputShape;
import dev.workbench.job.AugmentationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

/**
 * Runs a DataVec {@link ImageTransform} over every image of a minibatch stored the workbench's way: one example
 * per row, flattened channels, rows, columns, already normalised.
 * <p>
 * The transform sees raw pixels: the batch is mapped back through the fitted normaliser, transformed and
 * normalised again. So whatever a transform moves in from outside the image is raw 0 (the background of the
 * built-in image datasets), which after {@code standardize} or {@code min_max} is each pixel's own normalised
 * value of 0, not a constant. Conversion goes through DataVec's {@link NativeImageLoader} (INDArray to an OpenCV
 * float Mat with one channel per image channel, and back).
 * <p>
 * Not thread-safe (transforms keep per-call state): one instance per thread.
 */
public final class ImageBatchAugmenter {
    private final ImageTransform transform;
    private final InputShape shape;
    private final DataNormalization normalizer;
    private final NativeImageLoader loader;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();

    /**
     * @param normalizer the one the splits were normalised with, null when the features are raw
     */
    public ImageBatchAugmenter(ImageTransform transform, InputShape shape, DataNormalization normalizer) {
        if (!shape.isImage()) {
            throw new IllegalArgumentException("image augmentation needs image input, got " + shape);
        }
        this.transform = transform;
        this.shape = shape;
        this.normalizer = normalizer;
        this.loader = new NativeImageLoader(shape.height(), shape.width(), shape.channels());
    }

    /** The job's augmentation of {@code data}'s training images. */
    public static ImageBatchAugmenter of(AugmentationSpec spec, DataSplits data) {
        return new ImageBatchAugmenter(new RandomAugmentation(spec), data.info().input(), data.normalizer());
    }

    /** A new batch with every image transformed, drawing from {@code random} image by image, in row order. */
    public DataSet apply(DataSet batch, Random random) {
        INDArray images = images(batch.getFeatures(), random);
        return new DataSet(images, batch.getLabels(), batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
    }

    /** {@code features} ({@code [n, channels * height * width]}, normalised) with every image transformed. */
    public INDArray images(INDArray features, Random random) {
        INDArray images = features.castTo(DataType.FLOAT).dup('c');
        if (normalizer != null) {
            normalizer.revertFeatures(images);
        }
        for (int i = 0; i < images.rows(); i++) {
            images.putRow(i, image(images.getRow(i), random));
        }
        if (normalizer != null) {
            normalizer.transform(images);
        }
        return images;
    }

    private INDArray image(INDArray row, Random random) {
        INDArray source = row.reshape('c', shape.channels(), shape.height(), shape.width()).dup('c');
        INDArray target = Nd4j.create(DataType.FLOAT, shape.channels(), shape.height(), shape.width());
        // The scope frees the OpenCV buffers of this image at once instead of leaving them to the garbage collector.
        // The ND4J arrays are made outside it: the scope would free their buffers too.
        try (PointerScope scope = new PointerScope()) {
            ImageWritable image = new ImageWritable(converter.convert(loader.asMat(source, CV_32F)));
            ImageWritable transformed = transform.transform(image, random);
            loader.asMatrixView(converter.convert(transformed.getFrame()), target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert a transformed image back to an array", e);
        }
        return target.reshape(1, shape.features());
    }
}
