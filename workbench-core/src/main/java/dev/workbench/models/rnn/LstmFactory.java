package dev.workbench.models.rnn;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import java.util.Optional;
import org.nd4j.linalg.activations.Activation;

/** Long short-term memory: DL4J's LSTM (sigmoid gates, tanh cell, no peepholes). */
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
    Optional<String> paddingMaskProblem() {
        // Measured (RecurrentPaddingMaskTest): with a mask, eight more leading pads moved a trained classifier's
        // probabilities by up to 3e-3, one way or both.
        return Optional.of("padding_mask: DL4J's LSTM lets a masked step's output state reach the next real step, so "
                + "more padding still changes its predictions; use architecture gru, whose masked steps carry the state "
                + "unchanged");
    }

    @Override
    Layer cell(int units, boolean bidirectional) {
        LSTM lstm = new LSTM.Builder().nOut(units).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                .build();
        return bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm) : lstm;
    }
}
