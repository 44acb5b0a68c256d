package dev.workbench;

import dev.workbench.train.Network;
import org.deeplearning4j.nn.api.Model;

/** A real network passed through, for tests that change one thing about it (count its calls, fail its save). */
public abstract class ForwardingNetwork extends dev.workbench.train.ForwardingNetwork {
    protected ForwardingNetwork(Network inner) {
        super(inner);
    }

    @Override
    public Network rebuilt(Model model) {
        throw new UnsupportedOperationException("a test network is not rebuilt");
    }
}
