package dev.workbench.cpu.embedding;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's sequence embedding (same parameters, same function, same saved form apart from the class name) whose
 * backprop adds each step's gradient into its word's row in Java: see {@link HostEmbeddingSequenceLayer}.
 */
public class HostEmbeddingSequence extends EmbeddingSequenceLayer {
    /** For Jackson; build one with {@link #of}. */
    public HostEmbeddingSequence() {
    }

    /** The same layer as {@code embedding}, every setting copied. */
    public static HostEmbeddingSequence of(EmbeddingSequenceLayer embedding) {
        return LayerSettings.copy(embedding, EmbeddingSequenceLayer.class, new HostEmbeddingSequence());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerSettings.attach(new HostEmbeddingSequenceLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }
}
