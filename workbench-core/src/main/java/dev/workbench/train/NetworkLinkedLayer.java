package dev.workbench.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A layer runtime that reads another layer of its network (a weight it shares with it). DL4J builds each layer on
 * its own, so {@link SequentialNetwork} links such layers whenever it wraps a network: after a build, a load or the
 * CPU twins' rebuild alike.
 */
public interface NetworkLinkedLayer {
    /** Finds, in {@code net}, the layer this one reads; an error naming both when the network has none that fits. */
    void link(MultiLayerNetwork net);
}
