package dev.workbench.models.transformer;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed positional encoding of Vaswani et al. (2017): {@code P[2i, t] = sin(t / 10000^(2i/d))},
 * {@code P[2i+1, t] = cos(t / 10000^(2i/d))}. No parameters: nothing to learn or decay, and every position has a
 * vector whatever the training data held.
 */
public class SinusoidalPositionalEncoding extends PositionalEncoding {
    /** For Jackson (model files); use {@link #SinusoidalPositionalEncoding(long)}. */
    public SinusoidalPositionalEncoding() {
    }

    /** An encoding for sequences of {@code length} steps; the width comes from the network's input type. */
    public SinusoidalPositionalEncoding(long length) {
        super(length);
    }

    /** The table {@code [features, length]}, outside any workspace (runtimes keep it). */
    public static INDArray table(DataType type, long features, long length) {
        INDArray table;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            table = Nd4j.create(type, features, length);
        }
        for (long i = 0; i < features; i++) {
            double frequency = Math.pow(10_000.0, -(double) (i - i % 2) / features);
            for (long t = 0; t < length; t++) {
                table.putScalar(i, t, i % 2 == 0 ? Math.sin(t * frequency) : Math.cos(t * frequency));
            }
        }
        return table;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        checkShape(input.getShape());
        return input.add(sd.constant(table(input.dataType(), getFeatures(), getLength())));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerSettings.attach(new SinusoidalPositionalEncodingLayer(conf, dataType), conf, null, layerIndex, paramsView,
                initializeParams);
    }
}
