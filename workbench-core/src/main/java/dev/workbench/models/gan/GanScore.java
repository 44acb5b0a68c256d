package dev.workbench.models.gan;

import dev.workbench.data.Rows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two numbers a GAN is judged by, from a {@link ReferenceClassifier}: the {@link InceptionScore} of
 * {@code samples} generated images and the {@link FeatureGaussian} Fréchet distance between their features and
 * those of the real test digits. The generated images come from one fixed noise seed (and, for a conditional
 * generator, classes 0, 1, ... in turn), so that epochs and runs are compared on the same z.
 */
final class GanScore {
    static final long NOISE_SEED = 54321;
    private static final int BATCH = 500;

    private final ReferenceClassifier classifier;
    private final int samples;
    private final FeatureGaussian real;

    /** @param realImages the real digits the generated ones are compared with, pixels in [0, 1] */
    GanScore(ReferenceClassifier classifier, int samples, INDArray realImages) {
        this.classifier = classifier;
        this.samples = samples;
        this.real = FeatureGaussian.fit(classifier.outputs(realImages).features());
    }

    /** {@code inception_score} and {@code frechet_distance} of {@code gan}'s images. */
    Map<String, Double> of(GanNetwork gan) {
        return of(generated(gan));
    }

    /** The same two numbers for any images in [0, 1]: real training digits calibrate the scale. */
    Map<String, Double> of(INDArray images) {
        ReferenceClassifier.Outputs outputs = classifier.outputs(images);
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("inception_score", InceptionScore.of(outputs.probabilities()));
        scores.put("frechet_distance", FeatureGaussian.fit(outputs.features()).frechetDistance(real));
        return scores;
    }

    private INDArray generated(GanNetwork gan) {
        GanSettings settings = gan.settings();
        INDArray noise = LatentNoise.of(samples, settings.latent(), NOISE_SEED);
        List<INDArray> images = new ArrayList<>();
        for (int start = 0; start < samples; start += BATCH) {
            int end = Math.min(samples, start + BATCH);
            int[] classes = null;
            if (settings.conditional()) {
                classes = new int[end - start];
                for (int i = 0; i < classes.length; i++) {
                    classes[i] = (start + i) % settings.classes();
                }
            }
            images.add(gan.generate(Rows.range(noise, start, end), classes));
        }
        return Nd4j.vstack(images);
    }
}
