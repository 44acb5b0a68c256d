package dev.workbench.cpu.conv;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's subsampling layer (same settings, same function, same saved form apart from the class name) whose 2x2,
 * stride-2 max pooling runs on the workbench's {@link MaxPool2x2} kernel on the CPU: see {@link HostMaxPoolingLayer}.
 */
public class HostMaxPooling extends SubsamplingLayer {
    /** For Jackson; build one with {@link #of} or {@link #twoByTwo()}. */
    public HostMaxPooling() {
    }

    /** The same layer as {@code pooling}, every setting copied. */
    public static HostMaxPooling of(SubsamplingLayer pooling) {
        return LayerSettings.copy(pooling, SubsamplingLayer.class, new HostMaxPooling());
    }

    /** Max pooling over 2x2 windows with stride 2: the CNN families' downsampling. */
    public static HostMaxPooling twoByTwo() {
        return of(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerSettings.attach(new HostMaxPoolingLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }
}
