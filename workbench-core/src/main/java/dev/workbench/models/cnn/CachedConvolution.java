package dev.workbench.models.cnn;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D convolution (same parameters, same function, same saved form apart from the class name) that trains
 * without running its forward convolution twice: see {@link CachedConvolutionLayer}.
 */
public class CachedConvolution extends ConvolutionLayer {
    /** For Jackson; build one with {@link #of}. */
    public CachedConvolution() {
    }

    /** The same layer as {@code convolution}, every setting copied. */
    public static CachedConvolution of(ConvolutionLayer convolution) {
        return LayerSettings.copy(convolution, ConvolutionLayer.class, new CachedConvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("ConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }
}
