package dev.workbench.cpu.activation;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's stand-alone activation layer (same settings, same function, same saved form apart from the class name)
 * whose ReLU and LeakyReLU run in Java vector lanes on the CPU: see {@link HostActivationLayer}.
 */
public class HostActivation extends ActivationLayer {
    /** For Jackson; build one with {@link #of}. */
    public HostActivation() {
    }

    /** The same layer as {@code layer}, every setting copied. */
    public static HostActivation of(ActivationLayer layer) {
        return LayerSettings.copy(layer, ActivationLayer.class, new HostActivation());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerSettings.attach(new HostActivationLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
