package dev.workbench.models.transformer;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned positional encoding: the table {@code P [features, length]} is one plain parameter, which exports as one
 * constant and one Add. Initialised N(0, 0.02²), small against unit-scale token embeddings, as BERT and GPT-2 do.
 */
public class LearnedPositionalEmbedding extends PositionalEncoding {
    public static final String POSITIONS = "P";
    private static final double INIT_STD = 0.02;

    /** For Jackson (model files); use {@link #LearnedPositionalEmbedding(long)}. */
    public LearnedPositionalEmbedding() {
    }

    /** A table for sequences of {@code length} steps; the width comes from the network's input type. */
    public LearnedPositionalEmbedding(long length) {
        super(length);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // A weight: it carries information like an embedding table, so weight decay applies.
        params.addWeightParam(POSITIONS, getFeatures(), getLength());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray p = params.get(POSITIONS);
        p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(INIT_STD));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        checkShape(input.getShape());
        return input.add(params.get(POSITIONS));  // [features, length] broadcasts over the batch
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        // The graph above defines the layer (and its ONNX form); the runtime computes it with two ND4J ops.
        return LayerSettings.attach(new LearnedPositionalEmbeddingLayer(conf, dataType), conf, null, layerIndex, paramsView, initializeParams);
    }
}
