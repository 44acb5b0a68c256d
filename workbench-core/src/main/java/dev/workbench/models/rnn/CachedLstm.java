package dev.workbench.models.rnn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM configuration (same parameters, same semantics, same saved form apart from the class name) whose layer
 * keeps its training forward pass for backprop: see {@link LstmSequence}. About 2x faster to train on the CPU than
 * DL4J's own for a character model; everything else about it is DL4J's LSTM.
 */
public class CachedLstm extends LSTM {
    /** For Jackson; build one with {@link #of}. */
    public CachedLstm() {
    }

    /** The same layer as {@code lstm}, every setting copied. */
    public static CachedLstm of(LSTM lstm) {
        CachedLstm copy = new CachedLstm();
        // DL4J's builder only builds its own class, so copy what it set, field by field up the hierarchy.
        for (Class<?> type = LSTM.class; type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    field.set(copy, field.get(lstm));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy LSTM setting " + field.getName(), e);
                }
            }
        }
        return copy;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("LSTM", getLayerName(), layerIndex, getNIn(), getNOut());
        CachedLstmLayer layer = new CachedLstmLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }
}
