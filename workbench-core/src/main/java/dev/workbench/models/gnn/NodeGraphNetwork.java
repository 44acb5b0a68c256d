package dev.workbench.models.gnn;

import dev.workbench.data.graph.NodeGraph;
import dev.workbench.data.graph.SparseRows;
import dev.workbench.train.ForwardingNetwork;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network whose rows are the nodes of one graph: its graph layers are attached to the graph's propagation
 * matrix, and every batch and input holds all the nodes, in the graph's order.
 */
public final class NodeGraphNetwork extends ForwardingNetwork {
    private final SequentialNetwork network;
    private final NodeGraph graph;
    private final SparseRows adjacency;

    public NodeGraphNetwork(SequentialNetwork network, NodeGraph graph) {
        this(network, graph, graph.normalizedAdjacency());
    }

    private NodeGraphNetwork(SequentialNetwork network, NodeGraph graph, SparseRows adjacency) {
        super(network);
        this.network = network;
        this.graph = graph;
        this.adjacency = adjacency;
        for (org.deeplearning4j.nn.api.Layer layer : network.net().getLayers()) {
            if (layer instanceof GraphLayer graphLayer) {
                graphLayer.attach(adjacency);
            }
        }
    }

    public MultiLayerNetwork net() {
        return network.net();
    }

    public NodeGraph graph() {
        return graph;
    }

    /** The activations of layer {@code index} for every node (inference mode). */
    public INDArray activations(INDArray features, int index) {
        return network.net().feedForwardToLayer(index, features, false).get(index + 1);
    }

    /**
     * The attention of {@code node} in graph attention layer {@code layer}, after an inference pass over
     * {@code features} (every node).
     *
     * @throws IllegalArgumentException when the node or layer does not exist or the layer is not graph attention
     */
    public NodeAttention attention(INDArray features, int node, int layer) {
        if (node < 0 || node >= graph.nodes()) {
            throw new IllegalArgumentException("--node: the graph has nodes 0.." + (graph.nodes() - 1) + ", got " + node);
        }
        if (layer < 0 || layer >= network.net().getnLayers()
                || !(network.net().getLayer(layer) instanceof GraphAttentionLayer attentionLayer)) {
            throw new IllegalArgumentException("--layer: layer " + layer + " is not a graph attention layer of this "
                    + "model (its layers: " + java.util.Arrays.stream(network.net().getLayers())
                    .map(l -> l.getIndex() + " " + l.conf().getLayer().getClass().getSimpleName()).toList() + ")");
        }
        network.net().output(features, false);
        return attentionLayer.attentionOf(node);
    }

    @Override
    public Network rebuilt(Model model) {
        return new NodeGraphNetwork((SequentialNetwork) network.rebuilt(model), graph, adjacency);
    }

}
