package dev.workbench.models.gnn;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph convolution (Kipf and Welling 2017): {@code H' = act(Â H W + b)} over the rows of a graph's nodes, with
 * {@code Â = D^-1/2 (A + I) D^-1/2}. The parameters are a dense layer's ({@code W [nIn, nOut]}, {@code b}); the
 * graph is data, attached to the runtime by the network that trains on it ({@link NodeGraphNetwork}), so a saved
 * model holds no edges. Dropout, when set, drops the layer's input features, as the paper does.
 */
public class GraphConvolution extends FeedForwardLayer {

    /** For Jackson. */
    public GraphConvolution() {
    }

    private GraphConvolution(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new GraphConvolutionLayer(conf, dataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, GraphConvolution.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, 2 * params)
                .workingMemory(0, getNOut(), 0, getNOut())
                .cacheMemory(0, 0)
                .build();
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GraphConvolution build() {
            return new GraphConvolution(this);
        }
    }
}
