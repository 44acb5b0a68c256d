package dev.workbench.models.transformer;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;

/**
 * A SameDiff layer of the transformer family that maps a sequence {@code [batch, features, time]} (DL4J's NCW
 * layout) to a sequence of the same shape.
 */
public abstract class SequenceLayer extends SameDiffLayer {
    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    /** {@code inputType} as a sequence, or an error naming this layer. */
    protected InputType.InputTypeRecurrent sequence(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + getLayerName() + "' reads sequences, got "
                    + inputType);
        }
        return recurrent;
    }
}
