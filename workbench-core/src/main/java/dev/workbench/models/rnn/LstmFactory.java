package dev.workbench.models.rnn;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.nd4j.linalg.activations.Activation;

/**
 * Long short-term memory: DL4J's LSTM (sigmoid gates, tanh cell, no peepholes), or with {@code padding_mask} the
 * workbench's {@link Lstm}, the same cell whose masked steps carry the state (DL4J's zeroes it at a masked step, so
 * more padding would still change a prediction).
 */
public final class LstmFactory extends RecurrentFactory {
    @Override
    public String architecture() {
        return "lstm";
    }

    @Override
    public String description() {
        return "LSTM stack (optionally bidirectional) over tokens or numeric sequences: language model, classifier or forecaster";
    }

    @Override
    Layer cell(int units, boolean bidirectional, boolean paddingMask) {
        if (paddingMask) {
            return new Lstm(units, bidirectional ? Lstm.Direction.BIDIRECTIONAL : Lstm.Direction.FORWARD);
        }
        LSTM lstm = new LSTM.Builder().nOut(units).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                .build();
        return bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm) : lstm;
    }
}
