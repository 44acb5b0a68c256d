package dev.workbench.cpu.rnn;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM configuration (same parameters, same semantics, same saved form apart from the class name) whose layer
 * keeps its training forward pass for backprop: see {@link LstmSequence}. Several times faster to train on the CPU
 * than DL4J's own; everything else about it is DL4J's LSTM.
 */
public class CachedLstm extends LSTM {
    /** For Jackson; build one with {@link #of}. */
    public CachedLstm() {
    }

    /** The same layer as {@code lstm}, every setting copied. */
    public static CachedLstm of(LSTM lstm) {
        return LayerSettings.copy(lstm, LSTM.class, new CachedLstm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("LSTM", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedLstmLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }
}
