package dev.workbench.cpu.norm;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's batch normalisation (same settings, same parameters and running statistics, same saved form apart from the
 * class name) whose training pass over NCHW float activations runs in Java vector lanes: see
 * {@link HostBatchNormLayer}.
 */
public class HostBatchNorm extends BatchNormalization {
    /** For Jackson; build one with {@link #of}. */
    public HostBatchNorm() {
    }

    /** The same layer as {@code layer}, every setting copied. */
    public static HostBatchNorm of(BatchNormalization layer) {
        return LayerSettings.copy(layer, BatchNormalization.class, new HostBatchNorm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerSettings.attach(new HostBatchNormLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
