package dev.workbench.cpu.optim;

import dev.workbench.cpu.kernels.FloatLanes;
import dev.workbench.cpu.kernels.VectorModule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Applies {@link CpuAdam}: the same arithmetic as libnd4j's {@code adam_updater} (bias correction with
 * t = iteration + 1 folded into the step size, epsilon added to sqrt(v)), as vector-API loops over the gradient and
 * state buffers when they are contiguous float host memory, which is how DL4J lays out its updater blocks. Anything else
 * (other data types, strided views, a non-CPU backend) goes through the native op, as DL4J's AdamUpdater does.
 * One instance per updater block, as DL4J does.
 */
public final class CpuAdamUpdater implements GradientUpdater<CpuAdam> {
    public static final String M_STATE = "M";
    public static final String V_STATE = "V";

    // Vectors straight on the native buffers: faster than a loop the JIT vectorises over heap chunks bulk-copied in
    // and out, and far faster than element-wise FloatBuffer get/put.
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

    private final CpuAdam config;
    private INDArray mState;
    private INDArray vState;

    public CpuAdamUpdater(CpuAdam config) {
        VectorModule.require();
        this.config = config;
    }

    @Override
    public CpuAdam getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        if (!state.containsKey(M_STATE) || !state.containsKey(V_STATE) || state.size() != 2) {
            throw new IllegalStateException("Adam state needs exactly the keys M and V, got " + state.keySet());
        }
        mState = state.get(M_STATE);
        vState = state.get(V_STATE);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        state.put(M_STATE, mState);
        state.put(V_STATE, vState);
        return state;
    }

    /** Splits the view into m (first half) and v (second half), each shaped like the gradient: DL4J's layout. */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVector()) {
            throw new IllegalArgumentException("Adam state view must be a row vector, got shape "
                    + java.util.Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            viewArray.assign(0);
        }
        INDArray flat = viewArray.reshape(viewArray.length());
        long half = flat.length() / 2;
        mState = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(0, half)), gradientShape, gradientOrder == 'f');
        vState = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(half, flat.length())), gradientShape,
                gradientOrder == 'f');
        if (mState == null || vState == null) {
            throw new IllegalStateException("Could not reshape the Adam state views to the gradient shape");
        }
    }

    /** Replaces {@code gradient} by the Adam update and advances m and v. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (mState == null || vState == null) {
            throw new IllegalStateException("Adam updater has no state view yet");
        }
        double lr = config.getLearningRate(iteration, epoch);
        if (Nd4j.getEnvironment().isCPU() && contiguousFloat(gradient) && contiguousFloat(mState)
                && contiguousFloat(vState) && gradient.length() == mState.length()) {
            applyOnHost(gradient, lr, iteration);
        } else {
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient.reshape(vState.shape()),
                    vState, mState, lr, config.beta1(), config.beta2(), config.epsilon(), iteration));
        }
    }

    /**
     * Whether {@link #applyAndStep} can take {@code gradient} and {@code parameters}: contiguous float host vectors
     * as long as this block's state.
     */
    public boolean stepsOnHost(INDArray gradient, INDArray parameters) {
        return Nd4j.getEnvironment().isCPU() && mState != null && vState != null && contiguousFloat(gradient)
                && contiguousFloat(parameters) && contiguousFloat(mState) && contiguousFloat(vState)
                && gradient.length() == mState.length() && parameters.length() == mState.length();
    }

    /**
     * In one pass over the block: the gradient divided by {@code divisor} (DL4J's minibatch division), the Adam
     * update from it (m and v advance), and that update subtracted from {@code parameters}. The same float
     * arithmetic as the division, {@link #applyUpdater} and DL4J's step function one after another, so the
     * parameters and state come out bit for bit the same; {@code gradient} is left as it was.
     * Only where {@link #stepsOnHost} holds.
     */
    public void applyAndStep(INDArray gradient, INDArray parameters, float divisor, int iteration, int epoch) {
        lanePass(gradient, parameters, divisor, config.getLearningRate(iteration, epoch), iteration);
    }

    private void applyOnHost(INDArray gradient, double lr, int iteration) {
        lanePass(gradient, null, 1f, lr, iteration);
    }

    /** Adam over the block; with {@code parameters} the update is subtracted from them, else it replaces g. */
    private void lanePass(INDArray gradient, INDArray parameters, float divisor, double lr, int iteration) {
        // In float, as libnd4j computes it for float arrays, so the updates agree to rounding.
        float beta1 = (float) config.beta1();
        float beta2 = (float) config.beta2();
        float eps = (float) config.epsilon();
        float beta1T = (float) Math.pow(beta1, iteration + 1);
        float beta2T = (float) Math.pow(beta2, iteration + 1);
        float alpha = (float) ((float) lr * (float) Math.sqrt(1.0 - beta2T) / (1.0 - beta1T));
        // libnd4j's guard: a degenerate step size (a learning rate of 0, or t overflowing) falls back to epsilon.
        if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0) {
            alpha = eps;
        }
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        boolean step = parameters != null;

        ByteOrder order = ByteOrder.nativeOrder();
        ByteBuffer gBuffer = gradient.data().asNio().order(order);
        ByteBuffer mBuffer = mState.data().asNio().order(order);
        ByteBuffer vBuffer = vState.data().asNio().order(order);
        // Without parameters the update goes back into the gradient's buffer.
        ByteBuffer outBuffer = step ? parameters.data().asNio().order(order) : gBuffer;
        int gAt = (int) gradient.offset() * Float.BYTES;
        int mAt = (int) mState.offset() * Float.BYTES;
        int vAt = (int) vState.offset() * Float.BYTES;
        int outAt = step ? (int) parameters.offset() * Float.BYTES : gAt;
        int n = (int) gradient.length();
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            // x / 1 is x exactly, so the plain update divides too rather than branching.
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gBuffer, gAt + at, order).div(divisor);
            FloatVector m = FloatVector.fromByteBuffer(SPECIES, mBuffer, mAt + at, order).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, vBuffer, vAt + at, order).mul(beta2).add(g.mul(g).mul(oneMinusBeta2));
            m.intoByteBuffer(mBuffer, mAt + at, order);
            v.intoByteBuffer(vBuffer, vAt + at, order);
            FloatVector update = m.mul(alpha).div(v.sqrt().add(eps));
            if (step) {
                FloatVector.fromByteBuffer(SPECIES, outBuffer, outAt + at, order).sub(update)
                        .intoByteBuffer(outBuffer, outAt + at, order);
            } else {
                update.intoByteBuffer(outBuffer, outAt + at, order);
            }
        }
        for (; i < n; i++) {
            int at = i * Float.BYTES;
            float g = gBuffer.getFloat(gAt + at) / divisor;
            float m = beta1 * mBuffer.getFloat(mAt + at) + g * oneMinusBeta1;
            float v = beta2 * vBuffer.getFloat(vAt + at) + g * g * oneMinusBeta2;
            mBuffer.putFloat(mAt + at, m);
            vBuffer.putFloat(vAt + at, v);
            float update = m * alpha / ((float) Math.sqrt(v) + eps);
            outBuffer.putFloat(outAt + at, step ? outBuffer.getFloat(outAt + at) - update : update);
        }
    }

    /**
     * A float vector whose elements lie one after another in its buffer from {@code offset()}, so that element i of
     * the gradient, m and v are at the same position and a direct buffer reaches them.
     */
    private static boolean contiguousFloat(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.isVectorOrScalar() && array.elementWiseStride() == 1
                && array.data().asNioFloat().capacity() >= array.offset() + array.length();
    }
}
