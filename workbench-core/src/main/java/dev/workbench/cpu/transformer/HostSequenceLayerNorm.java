package dev.workbench.cpu.transformer;

import dev.workbench.models.LayerSettings;
import dev.workbench.models.transformer.SequenceLayerNorm;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbench's sequence layer norm (same parameters, same function, same saved form apart from the class name)
 * trained through {@link SequenceNormPass} instead of a SameDiff session: see {@link HostRowsLayer}.
 */
public class HostSequenceLayerNorm extends SequenceLayerNorm {
    /** For Jackson; build one with {@link #of}. */
    public HostSequenceLayerNorm() {
    }

    /** The same norm as {@code norm}, every setting copied. */
    public static HostSequenceLayerNorm of(SequenceLayerNorm norm) {
        return LayerSettings.copy(norm, SequenceLayerNorm.class, new HostSequenceLayerNorm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new HostRowsLayer(conf, dataType, () -> new SequenceNormPass((int) getFeatures())),
                conf, null, layerIndex, paramsView, initializeParams);
    }
}
