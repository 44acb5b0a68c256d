package dev.workbench.models.gnn;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GraphSAGE layer with the mean aggregator (Hamilton et al. 2017), as PyTorch Geometric's {@code SAGEConv}:
 * {@code h_i' = act(W_self h_i + W_neighbour · mean_{j ∈ N(i)} h_j + b)}, the neighbourhood without the node itself
 * (an isolated node aggregates zeros). Dropout, when set, drops the input features.
 */
public class GraphSage extends FeedForwardLayer {

    /** For Jackson. */
    public GraphSage() {
    }

    private GraphSage(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new GraphSageLayer(conf, dataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GraphSageParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, GraphSage.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, 2 * params)
                .workingMemory(0, getNIn() + getNOut(), 0, getNIn() + getNOut())
                .cacheMemory(0, 0)
                .build();
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GraphSage build() {
            return new GraphSage(this);
        }
    }
}
