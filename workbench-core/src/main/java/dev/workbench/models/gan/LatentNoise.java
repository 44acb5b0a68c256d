package dev.workbench.models.gan;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Noise vectors z ~ N(0, I) drawn from a seed of their own, apart from ND4J's global generator that training
 * reseeds each epoch: the sample grid, validation scores and {@code workbench generate} see the same z whenever
 * they are asked, and asking does not shift training's draws.
 */
final class LatentNoise {
    private LatentNoise() {
    }

    static INDArray of(int rows, int latent, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * latent];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[]{rows, latent});
    }

    /** One-hot rows of {@code classes} columns for the given class of each row. */
    static INDArray oneHot(int[] labels, int classes) {
        INDArray rows = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            rows.putScalar(i, labels[i], 1f);
        }
        return rows;
    }
}
