package dev.workbench.cpu.conv;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's transposed convolution (same parameters, same function, same saved form apart from the class name) that
 * trains without running its forward pass twice: see {@link CachedDeconvolutionLayer}.
 */
public class CachedDeconvolution extends Deconvolution2D {
    /** For Jackson; build one with {@link #of}. */
    public CachedDeconvolution() {
    }

    /** The same layer as {@code deconvolution}, every setting copied. */
    public static CachedDeconvolution of(Deconvolution2D deconvolution) {
        return LayerSettings.copy(deconvolution, Deconvolution2D.class, new CachedDeconvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Deconvolution2D", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedDeconvolutionLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
