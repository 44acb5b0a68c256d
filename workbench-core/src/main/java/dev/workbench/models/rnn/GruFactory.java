package dev.workbench.models.rnn;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Gated recurrent unit (the workbench's own {@link Gru}: DL4J has none). Bidirectional reading is the
 * layer's own option, because DL4J's {@code Bidirectional} wrapper accepts only DL4J's recurrent layer classes.
 */
public final class GruFactory extends RecurrentFactory {
    @Override
    public String architecture() {
        return "gru";
    }

    @Override
    public String description() {
        return "GRU stack (optionally bidirectional) over tokens or numeric sequences: language model, classifier or forecaster";
    }

    @Override
    Layer cell(int units, boolean bidirectional, boolean paddingMask) {
        // The Gru's masked steps carry its state whether or not a padding mask is asked for.
        return new Gru(units, bidirectional ? Gru.Direction.BIDIRECTIONAL : Gru.Direction.FORWARD);
    }
}
