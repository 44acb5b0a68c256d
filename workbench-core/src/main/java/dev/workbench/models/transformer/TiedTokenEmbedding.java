package dev.workbench.models.transformer;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A token embedding tied to the network's softmax output head (Press and Wolf 2017, as GPT-2 and nanoGPT do): it
 * has no parameters of its own; token {@code i}'s vector is column {@code i} of the head's weights {@code W [d_model,
 * vocabulary]}, and the gradient it receives is added to that W's gradient, so the one matrix learns from both uses.
 * The head stays DL4J's own {@code RnnOutputLayer}; {@link TiedTokenEmbeddingLayer} finds it when the network is
 * wrapped ({@link dev.workbench.train.NetworkLinkedLayer}).
 */
public class TiedTokenEmbedding extends EmbeddingSequenceLayer {
    /** For Jackson; use {@link #TiedTokenEmbedding(long, long, int)}. */
    public TiedTokenEmbedding() {
    }

    /** Embeds ids {@code [batch, 1, length]} of a {@code vocabulary} into {@code dModel} features per step. */
    public TiedTokenEmbedding(long vocabulary, long dModel, int length) {
        setNIn(vocabulary);
        setNOut(dModel);
        setInputLength(length);
        setHasBias(false);
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerSettings.attach(new TiedTokenEmbeddingLayer(conf, dataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }
}
