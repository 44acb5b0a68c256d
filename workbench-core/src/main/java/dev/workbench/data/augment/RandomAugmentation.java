package dev.workbench.data.augment;

import dev.workbench.job.AugmentationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.RotateImageTransform;

/**
 * A job's {@code dataset.augmentation} as one DataVec image transform: a random rotation about the centre,
 * a random whole-pixel shift, then a left-right mirror for half of the images. Every draw comes from the
 * {@link Random} passed to {@link #transform(ImageWritable, Random)}.
 * <p>
 * Not a {@code PipelineImageTransform}: that one draws its per-step probabilities from ND4J's global random
 * generator (reseeding it on construction), and {@code FlipImageTransform}'s random mode also flips upside down,
 * which no natural image allows. So the steps run in order here and the mirror is a coin toss on the given
 * {@code Random} followed by a fixed horizontal flip.
 */
public final class RandomAugmentation extends BaseImageTransform<Mat> {
    private final List<ImageTransform> steps = new ArrayList<>();
    private final ImageTransform mirror;

    public RandomAugmentation(AugmentationSpec spec) {
        super(null);
        if (spec.rotation() > 0) {
            // Linear interpolation, constant border 0 (RotateImageTransform's defaults); no centre jitter, no scaling.
            steps.add(new RotateImageTransform(null, 0, 0, spec.rotation().floatValue(), 0));
        }
        if (spec.shift() > 0) {
            steps.add(ShiftImageTransform.upTo(spec.shift()));
        }
        mirror = spec.flipHorizontal() ? new FlipImageTransform(1) : null;
    }

    /** True when the spec changes nothing (all amounts zero, no flip). */
    public boolean isIdentity() {
        return steps.isEmpty() && mirror == null;
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        for (ImageTransform step : steps) {
            image = step.transform(image, random);
        }
        if (mirror != null && random.nextBoolean()) {
            image = mirror.transform(image, null);
        }
        return image;
    }
}
