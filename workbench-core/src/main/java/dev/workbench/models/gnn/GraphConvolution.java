package dev.workbench.models.gnn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A graph convolution (Kipf and Welling 2017): {@code H' = act(Â H W + b)} over the rows of a graph's nodes, with
 * {@code Â = D^-1/2 (A + I) D^-1/2}. The parameters are a dense layer's ({@code W [nIn, nOut]}, {@code b}); the
 * graph is data, attached to the runtime by the network that trains on it ({@link NodeGraphNetwork}), so a saved
 * model holds no edges. Dropout, when set, drops the layer's input features, as the paper does.
 */
public class GraphConvolution extends GraphLayerConfiguration {

    /** For Jackson. */
    public GraphConvolution() {
    }

    private GraphConvolution(Builder builder) {
        super(builder);
    }

    @Override
    Layer runtimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new GraphConvolutionLayer(conf, dataType);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    long workingWidth() {
        return getNOut();
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GraphConvolution build() {
            return new GraphConvolution(this);
        }
    }
}
