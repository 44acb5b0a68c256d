package dev.workbench.models.gan;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.train.BaseConfiguration;

/**
 * How a generator and discriminator pair trains and what it draws, saved inside its model file so that a loaded
 * pair trains and generates as it did.
 *
 * @param latent         size of the noise vector z ~ N(0, I)
 * @param classes        classes a conditional pair is given as one-hot labels (G with z, D with the image); 0 for
 *                       an unconditional one
 * @param discriminatorSteps discriminator updates per generator update
 * @param generatorSteps generator updates each time the generator updates, each after the first on fresh noise
 * @param labelSmoothing one-sided: the discriminator's target for real images is {@code 1 - labelSmoothing}
 * @param nonSaturating  the generator maximises log D(G(z)) (Goodfellow et al.'s practical choice) instead of
 *                       minimising log(1 - D(G(z))), which saturates while the discriminator wins
 * @param averageDecay   the decay of the {@link GeneratorAverage} that draws in the trained generator's place; 0
 *                       for none (the generator draws itself)
 */
public record GanSettings(int latent, int classes, @JsonProperty("discriminator_steps") int discriminatorSteps,
                          @JsonProperty("generator_steps") int generatorSteps,
                          @JsonProperty("label_smoothing") double labelSmoothing,
                          @JsonProperty("non_saturating") boolean nonSaturating,
                          int channels, int height, int width,
                          @JsonProperty("g_ema") double averageDecay) {

    public GanSettings {
        if (generatorSteps == 0) {
            generatorSteps = 1; // a pair saved before the option existed updated its generator once
        }
    }

    /**
     * The generator's share of the job's configuration: its learning-rate curve counted in its own updates
     * ({@code g_steps} every {@code d_steps} batches), so that both networks are at the same point of the job's
     * schedule after each epoch; counted in batches, g_steps 2 would end a cosine schedule half way through the run.
     */
    public BaseConfiguration generatorConfiguration(BaseConfiguration job) {
        long updates = Math.round((double) job.iterationsPerEpoch() * generatorSteps / discriminatorSteps);
        return new BaseConfiguration(job.seed(), job.training(), (int) Math.max(1, updates));
    }

    /** Whether a moving average of the generator draws (a pair saved before the option existed has none). */
    public boolean averaged() {
        return averageDecay > 0;
    }

    public boolean conditional() {
        return classes > 0;
    }

    /** Values per image, flattened channel, row, column as DL4J feeds them. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Width of the generator's input: the noise, and the one-hot label of a conditional pair. */
    public int generatorInputs() {
        return latent + classes;
    }
}
