package dev.workbench.models.gnn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GraphSAGE layer with the mean aggregator (Hamilton et al. 2017), as PyTorch Geometric's {@code SAGEConv}:
 * {@code h_i' = act(W_self h_i + W_neighbour · mean_{j ∈ N(i)} h_j + b)}, the neighbourhood without the node itself
 * (an isolated node aggregates zeros). Dropout, when set, drops the input features.
 */
public class GraphSage extends GraphLayerConfiguration {

    /** For Jackson. */
    public GraphSage() {
    }

    private GraphSage(Builder builder) {
        super(builder);
    }

    @Override
    Layer runtimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new GraphSageLayer(conf, dataType);
    }

    @Override
    public ParamInitializer initializer() {
        return GraphSageParams.INSTANCE;
    }

    @Override
    long workingWidth() {
        return getNIn() + getNOut();
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GraphSage build() {
            return new GraphSage(this);
        }
    }
}
