package dev.workbench.models.gnn;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the graph layers' configurations share: DL4J's instantiation and a memory report, each layer naming only its
 * runtime layer and the width of its working activations.
 */
public abstract class GraphLayerConfiguration extends FeedForwardLayer {

    /** For Jackson. */
    protected GraphLayerConfiguration() {
    }

    protected GraphLayerConfiguration(FeedForwardLayer.Builder<?> builder) {
        super(builder);
    }

    /** The runtime layer for this configuration, before DL4J's parameters and listeners are attached. */
    abstract Layer runtimeLayer(NeuralNetConfiguration conf, DataType dataType);

    /** Floats per node the layer keeps while it runs, besides its output. */
    abstract long workingWidth();

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(runtimeLayer(conf, dataType), conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, 2 * params)
                .workingMemory(0, workingWidth(), 0, workingWidth())
                .cacheMemory(0, 0)
                .build();
    }
}
