package dev.workbench.models.transformer;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds a learned vector per position to a sequence {@code [batch, features, time]}: {@code out[b, :, t] = x[b, :, t]
 * + P[:, t]}, the position information a transformer block (which is order-blind) needs. Learned rather than
 * sinusoidal: one plain parameter table, {@code P [features, length]}, that exports as one constant and one Add.
 * Sequences must be exactly {@code length} steps, as the workbench's padded sentences are. Initialised N(0, 0.02²),
 * small against unit-scale token embeddings, as BERT and GPT-2 do.
 */
public class LearnedPositionalEmbedding extends SameDiffLayer {
    public static final String POSITIONS = "P";
    private static final double INIT_STD = 0.02;

    private long features;
    private long length;

    /** For Jackson (model files); use {@link #LearnedPositionalEmbedding(long)}. */
    public LearnedPositionalEmbedding() {
    }

    /** A table for sequences of {@code length} steps; the width comes from the network's input type. */
    public LearnedPositionalEmbedding(long length) {
        this.length = length;
    }

    public long getFeatures() {
        return features;
    }

    public void setFeatures(long features) {
        this.features = features;
    }

    public long getLength() {
        return length;
    }

    public void setLength(long length) {
        this.length = length;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding '" + getLayerName() + "' reads sequences, got " + inputType);
        }
        if (features <= 0 || override) {
            features = recurrent.getSize();
        }
        if (length <= 0) {
            length = recurrent.getTimeSeriesLength();
        }
        if (length <= 0) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding '" + getLayerName() + "' needs a fixed sequence length");
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // A weight: it carries information like an embedding table, so weight decay applies.
        params.addWeightParam(POSITIONS, features, length);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray p = params.get(POSITIONS);
        p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(INIT_STD));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[2] != length) {
            throw new IllegalStateException("LearnedPositionalEmbedding '" + getLayerName() + "': expected input [batch, "
                    + features + ", " + length + "], got " + java.util.Arrays.toString(shape));
        }
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
