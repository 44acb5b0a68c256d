package dev.workbench.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * A plain ReLU or a LeakyReLU, forward and backward over float arrays in vector lanes, with ND4J's element-wise
 * rules (so results are bit-identical): ReLU {@code x < 0 ? 0 : x}, its gradient {@code x > 0 ? g : 0}; LeakyReLU
 * {@code x < 0 ? a·x : x}, its gradient {@code x < 0 ? a·g : g}, with the slope {@code a} as a float. ND4J runs a
 * ReLU's backprop through a std::function per element and each activation as separate ops on copies.
 */
public final class Rectifier {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

    /** The negative slope; 0 for a plain ReLU, which zeroes instead of multiplying. */
    private final float slope;
    private final boolean leaky;

    private Rectifier(float slope, boolean leaky) {
        this.slope = slope;
        this.leaky = leaky;
    }

    /** The rectifier {@code activation} is, or null for any other activation (or a ReLU with cap or threshold). */
    public static Rectifier of(IActivation activation) {
        if (activation.getClass() == ActivationLReLU.class) {
            return new Rectifier((float) ((ActivationLReLU) activation).getAlpha(), true);
        }
        return ActivationBackprop.isPlainRelu(activation) ? new Rectifier(0f, false) : null;
    }

    /** y[i] = f(x[i]) for i below {@code length}; {@code y} may be {@code x}. */
    public void forward(float[] x, float[] y, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            VectorMask<Float> negative = v.lt(0f);
            (leaky ? v.blend(v.mul(slope), negative) : v.blend(0f, negative)).intoArray(y, i);
        }
        for (; i < length; i++) {
            float v = x[i];
            y[i] = v < 0f ? (leaky ? v * slope : 0f) : v;
        }
    }

    /** g[i] = f'(x[i]) · g[i] for i below {@code length}: dLoss/dx from dLoss/dy, in place. */
    public void backward(float[] x, float[] g, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, i);
            (leaky ? d.blend(d.mul(slope), v.lt(0f)) : d.blend(0f, v.compare(VectorOperators.GT, 0f).not()))
                    .intoArray(g, i);
        }
        for (; i < length; i++) {
            g[i] = leaky ? (x[i] < 0f ? g[i] * slope : g[i]) : (x[i] > 0f ? g[i] : 0f);
        }
    }
}
