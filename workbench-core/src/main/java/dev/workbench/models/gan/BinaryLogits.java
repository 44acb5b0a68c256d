package dev.workbench.models.gan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binary cross-entropy on the discriminator's logits (its last layer has no sigmoid), computed in double from the
 * logit itself: log(1 + e^-|l|) never overflows where the probability would round to 0 or 1.
 */
final class BinaryLogits {
    private final double[] logits;

    BinaryLogits(INDArray logits) {
        this.logits = logits.castTo(DataType.DOUBLE).reshape(logits.length()).toDoubleVector();
    }

    /** Mean of -[t log σ(l) + (1 - t) log(1 - σ(l))] over the rows. */
    double crossEntropy(double target) {
        double sum = 0;
        for (double l : logits) {
            sum += Math.max(l, 0) - l * target + Math.log1p(Math.exp(-Math.abs(l)));
        }
        return sum / logits.length;
    }

    /** Mean of log(1 - σ(l)): what the original minimax generator minimises. */
    double meanLogOneMinusProbability() {
        double sum = 0;
        for (double l : logits) {
            sum += -(Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
        }
        return sum / logits.length;
    }

    /** Mean σ(l): the discriminator's mean probability that its inputs are real. */
    double meanProbability() {
        double sum = 0;
        for (double l : logits) {
            sum += sigmoid(l);
        }
        return sum / logits.length;
    }

    /** d crossEntropy(target) / d logits: (σ(l) - t) / n, as a column the discriminator backpropagates. */
    INDArray crossEntropyGradient(double target) {
        float[] gradient = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            gradient[i] = (float) ((sigmoid(logits[i]) - target) / logits.length);
        }
        return Nd4j.create(gradient, new long[]{logits.length, 1});
    }

    /** d meanLogOneMinusProbability / d logits: -σ(l) / n. */
    INDArray logOneMinusProbabilityGradient() {
        float[] gradient = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            gradient[i] = (float) (-sigmoid(logits[i]) / logits.length);
        }
        return Nd4j.create(gradient, new long[]{logits.length, 1});
    }

    private static double sigmoid(double l) {
        return l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    }
}
