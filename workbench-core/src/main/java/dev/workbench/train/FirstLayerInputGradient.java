package dev.workbench.train;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The input gradient of a network's first layer for a caller that reads it on some passes only: a GAN's
 * discriminator, whose input gradient trains the generator on the generator's update and is read by nobody on the
 * discriminator's own update. {@link #skipWhile} runs a backward pass without it. Where the first layer cannot skip
 * it (DL4J's own layers: a GPU, doubles, a model.zip as saved), the pass computes it as before.
 */
public final class FirstLayerInputGradient {
    /** The first layer's setting, or null where it has none or the reshape in front of it needs the gradient. */
    private final InputGradientOption option;

    private FirstLayerInputGradient(InputGradientOption option) {
        this.option = option;
    }

    public static FirstLayerInputGradient of(MultiLayerNetwork net) {
        if (net.getnLayers() == 0 || !(net.getLayer(0).conf().getLayer() instanceof InputGradientOption option)) {
            return new FirstLayerInputGradient(null);
        }
        InputPreProcessor reshape = net.getLayerWiseConfigurations().getInputPreProcess(0);
        return new FirstLayerInputGradient(reshape == null || reshape instanceof InputGradientOption.Passing ? option : null);
    }

    /** Whether {@link #skipWhile} skips the gradient (else it only runs the passes). */
    public boolean skips() {
        return option != null && option.isInputGradient();
    }

    /**
     * Runs {@code backprop} (a backward pass whose input gradient nobody reads) with the first layer not computing
     * it: the pass returns null in its place. Its parameter gradients are those of the layer computing it, bit for
     * bit, as long as the forward pass before ran with the gradient on (the layer's forward layout depends on it).
     */
    public <T> T skipWhile(Supplier<T> backprop) {
        if (!skips()) {
            return backprop.get();
        }
        option.setInputGradient(false);
        try {
            return backprop.get();
        } finally {
            option.setInputGradient(true);
        }
    }
}
