package dev.workbench.cpu.transformer;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sequence layer's function computed on the host with its backward pass written out, over rows
 * {@code [batch, time, features]}: what {@link HostRowsLayer} runs in place of a SameDiff session. Keeps what its
 * last forward pass needs for backprop.
 */
public interface RowsPass {
    /**
     * @param input  {@code [batch, features, time]} (any strides)
     * @param mask   {@code [batch, time]} (1 real step, 0 padding) or null
     * @param output {@code [batch, time, features]} contiguous row-major: receives the layer's output
     */
    void forward(INDArray input, INDArray mask, Map<String, INDArray> params, INDArray output);

    /** The width of the output's rows for input rows {@code inputFeatures} wide: the same unless the pass says. */
    default long outputFeatures(long inputFeatures) {
        return inputFeatures;
    }

    /**
     * Backprop through the last forward pass.
     *
     * @param epsilon       dLoss/dOutput {@code [batch, features, time]} (any strides)
     * @param gradients     where each parameter's gradient goes (overwritten), by parameter name
     * @param inputGradient {@code [batch, time, features]} contiguous row-major: receives dLoss/dInput
     */
    void backward(INDArray epsilon, Map<String, INDArray> params, Map<String, INDArray> gradients, INDArray inputGradient);
}
