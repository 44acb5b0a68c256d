package dev.workbench.models.rnn;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The activations of each sequence's last real step: {@code [batch, features, time]} to {@code [batch, features]}.
 * DL4J's {@code LastTimeStep} wrapper does this for its own recurrent layers only (it asks the wrapped layer for
 * its RNN format, which a SameDiff layer like {@link Gru} has not), so a GRU forecaster ends with this layer
 * instead. With a features mask {@code [batch, time]} (right-padded), the last step whose mask is 1; without,
 * step T-1. No parameters.
 */
public class LastStep extends SameDiffLayer {
    public LastStep() {
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalArgumentException("LastStep reads sequences, got input type " + inputType);
        }
        return InputType.feedForward(recurrent.getSize());
    }

    @Override
    public void defineParameters(SDLayerParams params) {
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        // Step positions 1..T where the mask is 1 (0 elsewhere); the largest marks the last real step.
        SDVariable m = mask.castTo(input.dataType());
        SDVariable positions = sd.cumsum(sd.onesLike(m), false, false, 1).mul(m);
        SDVariable last = sd.eq(positions, sd.max(positions, true, 1)).castTo(input.dataType());
        return sd.sum(input.mul(sd.expandDims(last, 1)), 2);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, currentMaskState);  // one vector per sequence: nothing left to mask
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return SequenceSameDiffLayer.instantiate(conf, layerIndex, paramsView, initializeParams, dataType);
    }
}
