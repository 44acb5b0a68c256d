package dev.workbench.cpu.rnn;

import dev.workbench.models.LayerSettings;
import dev.workbench.train.InputGradientOption;
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
 *
 * <p>{@link #withoutInputGradient()} marks a network's first layer, whose input is the data (one-hot characters):
 * like PyTorch for inputs that do not require a gradient, it then skips dLoss/dInput and hands DL4J {@code null}.
 */
public class CachedLstm extends LSTM implements InputGradientOption {
    private boolean inputGradient = true;

    /** For Jackson; build one with {@link #of}. */
    public CachedLstm() {
    }

    /** The same layer as {@code lstm}, every setting copied. */
    public static CachedLstm of(LSTM lstm) {
        return LayerSettings.copy(lstm, LSTM.class, new CachedLstm());
    }

    /** This layer, no longer computing the gradient with respect to its input (for a network's first layer only). */
    public CachedLstm withoutInputGradient() {
        inputGradient = false;
        return this;
    }

    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("LSTM", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedLstmLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }

    // Lombok's equals in DL4J's layers ignores subclass fields.
    @Override
    public boolean equals(Object o) {
        return o instanceof CachedLstm other && other.inputGradient == inputGradient && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }
}
