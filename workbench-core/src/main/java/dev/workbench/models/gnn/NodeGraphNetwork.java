package dev.workbench.models.gnn;

import dev.workbench.data.graph.NodeGraph;
import dev.workbench.data.graph.SparseRows;
import dev.workbench.train.ForwardingNetwork;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network whose rows are the nodes of one graph: its graph layers are attached to the graph's propagation
 * matrix, and every input holds all the nodes, in the graph's order; so does every training batch, except a
 * {@link SampledBatch}, whose rows are those of its sampled blocks.
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

    /**
     * One training step; on a {@link SampledBatch} the SAGE layers run on its blocks for the step (the rows the
     * targets' loss needs, not the whole graph) and return to the graph after it.
     */
    @Override
    public void fit(DataSet batch) {
        if (!(batch instanceof SampledBatch sampled)) {
            super.fit(batch);
            return;
        }
        List<GraphSageLayer> layers = sageLayers(sampled.blocks().layers().size());
        try {
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).runOn(sampled.blocks().layers().get(i));
            }
            super.fit(batch);
        } finally {
            layers.forEach(GraphSageLayer::runOnGraph);
        }
    }

    /** The graph layers, each a SAGE layer, one per sampled block: sampling is GraphSAGE's. */
    private List<GraphSageLayer> sageLayers(int blocks) {
        List<GraphSageLayer> sage = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer layer : network.net().getLayers()) {
            if (layer instanceof GraphSageLayer s) {
                sage.add(s);
            } else if (layer instanceof GraphLayer) {
                throw new IllegalStateException("layer " + layer.getIndex() + " (" + layer.conf().getLayer().getClass()
                        .getSimpleName() + ") cannot run on sampled neighbourhoods; only GraphSAGE layers can");
            }
        }
        if (sage.size() != blocks) {
            throw new IllegalStateException(blocks + " sampled blocks for " + sage.size() + " GraphSAGE layers");
        }
        return sage;
    }

    @Override
    public Network rebuilt(Model model) {
        return new NodeGraphNetwork((SequentialNetwork) network.rebuilt(model), graph, adjacency);
    }

}
