package dev.workbench.models.gnn;

import dev.workbench.lanes.LaneExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ELU, {@code z > 0 ? z : α (eᶻ − 1)}, and its backprop on float arrays in vector lanes, for GAT's hidden layer:
 * libnd4j's ELU and ELU-backprop ops took a fifth of a GAT epoch on Cora (its 173 thousand activations). Other
 * activations, and other data types, stay DL4J's. The buffers are kept from call to call. e^z comes from
 * {@link LaneExp}: the vector API's EXPM1 and EXP change their last bit once the JIT compiles them, and a run and its
 * resume in one JVM would differ.
 */
final class EluLanes {
    private static final VectorSpecies<Float> LANES = RowLanes.LANES;

    private float[] values = new float[0];
    private float[] gradient = new float[0];

    /** Whether {@code activation} on {@code z} runs here. */
    static boolean applies(IActivation activation, INDArray z) {
        return activation.getClass() == ActivationELU.class && z.dataType() == DataType.FLOAT;
    }

    /** ELU of {@code z}, written over it; returns it. */
    INDArray activate(IActivation elu, INDArray z) {
        float alpha = (float) ((ActivationELU) elu).getAlpha();
        float[] v = RowLanes.read(z, values((int) z.length()));
        int n = (int) z.length();
        int bound = LANES.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES.length()) {
            FloatVector x = FloatVector.fromArray(LANES, v, i);
            x.blend(LaneExp.exp(x).sub(1f).mul(alpha), x.compare(VectorOperators.LE, 0f)).intoArray(v, i);
        }
        for (; i < n; i++) {
            v[i] = v[i] > 0 ? v[i] : alpha * (LaneExp.exp(v[i]) - 1f);
        }
        RowLanes.write(v, z);
        return z;
    }

    /** dLoss/dz for pre-activation {@code z} and dLoss/dELU(z) {@code epsilon}, as a new float array. */
    INDArray backprop(IActivation elu, INDArray z, INDArray epsilon) {
        float alpha = (float) ((ActivationELU) elu).getAlpha();
        int n = (int) z.length();
        float[] v = RowLanes.read(z, values(n));
        if (gradient.length < n) {
            gradient = new float[n];
        }
        float[] g = RowLanes.read(epsilon, gradient);
        int bound = LANES.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES.length()) {
            FloatVector x = FloatVector.fromArray(LANES, v, i);
            FloatVector slope = LaneExp.exp(x).mul(alpha)
                    .blend(1f, x.compare(VectorOperators.GT, 0f));
            slope.mul(FloatVector.fromArray(LANES, g, i)).intoArray(g, i);
        }
        for (; i < n; i++) {
            g[i] *= v[i] > 0 ? 1f : alpha * LaneExp.exp(v[i]);
        }
        return RowLanes.array(g, z.size(0), z.size(1));
    }

    private float[] values(int n) {
        if (values.length < n) {
            values = new float[n];
        }
        return values;
    }
}
