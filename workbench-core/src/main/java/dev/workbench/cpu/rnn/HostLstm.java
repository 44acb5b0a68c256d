package dev.workbench.cpu.rnn;

import dev.workbench.cpu.transformer.HostRowsLayer;
import dev.workbench.models.LayerSettings;
import dev.workbench.models.rnn.Lstm;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbench's masked-carry {@link Lstm} (same parameters, same function, same saved form apart from the class
 * name) trained through {@link LstmPass}, one {@link LstmSequence} per direction, instead of its unrolled SameDiff
 * graph: see {@link HostRowsLayer}.
 */
public class HostLstm extends Lstm {
    /** For Jackson; build one with {@link #of}. */
    public HostLstm() {
    }

    /** The same layer as {@code lstm}, every setting copied. */
    public static HostLstm of(Lstm lstm) {
        return LayerSettings.copy(lstm, Lstm.class, new HostLstm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new HostRowsLayer(conf, dataType, () -> new LstmPass(this)), conf, null, layerIndex,
                paramsView, initializeParams);
    }
}
