package dev.workbench.cpu.optim;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam exactly as DL4J's {@link org.nd4j.linalg.learning.config.Adam} defines it (same defaults, same state layout,
 * same learning-rate schedule handling), applied by {@link CpuAdamUpdater}: a Java loop over the host buffers that
 * is faster than ND4J's native {@code adam_updater} op.
 * Use it on the CPU backend only; on a GPU the loop would copy every buffer to the host.
 *
 * <p>Serialised with the network configuration (DL4J's shaded Jackson writes the fields), so saved models keep it.
 */
public final class CpuAdam implements IUpdater {
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private double learningRate;
    private ISchedule learningRateSchedule;
    private double beta1;
    private double beta2;
    private double epsilon;

    /** DL4J's defaults; also the constructor Jackson uses before it sets the fields. */
    public CpuAdam() {
        this(DEFAULT_LEARNING_RATE, null, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public CpuAdam(double learningRate) {
        this(learningRate, null, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public CpuAdam(ISchedule learningRateSchedule) {
        this(Double.NaN, learningRateSchedule, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public CpuAdam(double learningRate, ISchedule learningRateSchedule, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** The fixed learning rate, NaN when a schedule gives it. */
    public double learningRate() {
        return learningRate;
    }

    /** The learning-rate schedule, null for a fixed rate. */
    public ISchedule learningRateSchedule() {
        return learningRateSchedule;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Moment m and second moment v, one value each per parameter. */
    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        // As DL4J's Adam: the state view is [m | v], each shaped like the (flattened) gradient.
        INDArray flat = viewArray.reshape(viewArray.length());
        long[] gradientShape = Arrays.copyOf(flat.shape(), flat.rank());
        gradientShape[0] /= 2;
        CpuAdamUpdater updater = new CpuAdamUpdater(this);
        updater.setStateViewArray(flat, gradientShape, flat.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        CpuAdamUpdater updater = new CpuAdamUpdater(this);
        updater.setState(state, initialize);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        this.learningRate = lr;
        this.learningRateSchedule = schedule;
    }

    @Override
    public CpuAdam clone() {
        return new CpuAdam(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
                beta1, beta2, epsilon);
    }

    // DL4J groups layers into one updater block only when their updater configurations are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof CpuAdam other
                && Double.compare(learningRate, other.learningRate) == 0
                && Objects.equals(learningRateSchedule, other.learningRateSchedule)
                && Double.compare(beta1, other.beta1) == 0
                && Double.compare(beta2, other.beta2) == 0
                && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "CpuAdam(learningRate=" + learningRate + ", learningRateSchedule=" + learningRateSchedule
                + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
