package dev.workbench.cpu.output;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's sequence output layer (same parameters, same function, same saved form apart from the class name) whose
 * training step, for a softmax with cross-entropy, runs over the rows the layer before it wrote: see
 * {@link HostSequenceSoftmaxLayer}.
 */
public class HostSequenceSoftmax extends RnnOutputLayer {
    /** For Jackson; build one with {@link #of}. */
    public HostSequenceSoftmax() {
    }

    /** The same layer as {@code output}, every setting copied. */
    public static HostSequenceSoftmax of(RnnOutputLayer output) {
        return LayerSettings.copy(output, RnnOutputLayer.class, new HostSequenceSoftmax());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerSettings.attach(new HostSequenceSoftmaxLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
