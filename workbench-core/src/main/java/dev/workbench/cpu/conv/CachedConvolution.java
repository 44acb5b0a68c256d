package dev.workbench.cpu.conv;

import dev.workbench.models.LayerSettings;
import dev.workbench.train.InputGradientOption;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D convolution (same parameters, same function, same saved form apart from the class name) that trains
 * without running its forward convolution twice: see {@link CachedConvolutionLayer}.
 *
 * <p>{@link #withoutInputGradient()} marks a network's first layer, whose input is the data: like PyTorch for inputs
 * that need no gradient, it then computes only the weight and bias gradients (for a one-channel first convolution such
 * as LeNet's, oneDNN's dLoss/dInput costs more than the rest of the layer's training step) and hands DL4J {@code null}
 * for the input gradient; a flat image input's reshape is a {@link FlatImageInput}, which passes that on.
 */
public class CachedConvolution extends ConvolutionLayer implements InputGradientOption {
    private boolean inputGradient = true;

    /** For Jackson; build one with {@link #of}. */
    public CachedConvolution() {
    }

    /** The same layer as {@code convolution}, every setting copied. */
    public static CachedConvolution of(ConvolutionLayer convolution) {
        return LayerSettings.copy(convolution, ConvolutionLayer.class, new CachedConvolution());
    }

    /** This layer, no longer computing the gradient with respect to its input (for a network's first layer only). */
    public CachedConvolution withoutInputGradient() {
        inputGradient = false;
        return this;
    }

    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        InputPreProcessor dl4j = super.getPreProcessorForInputType(inputType);
        if (!inputGradient && dl4j != null && dl4j.getClass() == FeedForwardToCnnPreProcessor.class) {
            return FlatImageInput.of((FeedForwardToCnnPreProcessor) dl4j);
        }
        return dl4j;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("ConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }

    // Lombok's equals in DL4J's layers ignores subclass fields.
    @Override
    public boolean equals(Object o) {
        return o instanceof CachedConvolution other && other.inputGradient == inputGradient && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }
}
