package dev.workbench.models.gan;

import dev.workbench.train.Network;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of a generator's parameters (Karras et al. 2018; Yazici et al. 2019): a shadow
 * generator that, after every update of the trained one, moves {@code 1 - decay} of the way towards it,
 * {@code average = decay * average + (1 - decay) * parameters}. Every value in DL4J's parameter vector is averaged,
 * batch norm's running means and variances included, so the shadow normalises by statistics of the weights it
 * averages. It is never trained itself: it only draws.
 */
final class GeneratorAverage {
    private final MultiLayerNetwork averaged;
    private final double decay;

    /** @param averaged the shadow generator, whose parameters are the average so far */
    GeneratorAverage(MultiLayerNetwork averaged, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("a moving average's decay is in (0, 1), got " + decay);
        }
        this.averaged = averaged;
        this.decay = decay;
    }

    /** An average that starts at {@code generator}'s current parameters, as a copy of them. */
    static GeneratorAverage startingAt(MultiLayerNetwork generator, double decay) {
        MultiLayerNetwork copy = new MultiLayerNetwork(generator.getLayerWiseConfigurations().clone());
        copy.init(generator.params().dup(), false);
        return new GeneratorAverage(copy, decay);
    }

    /** One step of the average towards {@code generator}'s parameters, in place (no array per step). */
    void update(MultiLayerNetwork generator) {
        INDArray average = averaged.params();
        average.muli(decay);
        Nd4j.getBlasWrapper().level1().axpy(average.length(), 1 - decay, generator.params(), average);
    }

    MultiLayerNetwork network() {
        return averaged;
    }

    double decay() {
        return decay;
    }

    /** The same average over {@code rewrite}'s copy of the shadow (the CPU substitution step, as for the generator). */
    GeneratorAverage rebuilt(Network.ModelRewrite rewrite) {
        return new GeneratorAverage((MultiLayerNetwork) rewrite.apply(averaged, false), decay);
    }
}
