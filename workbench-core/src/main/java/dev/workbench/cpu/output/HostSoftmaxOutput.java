package dev.workbench.cpu.output;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's dense softmax output layer with multi-class cross-entropy (same parameters, same function, same saved
 * form apart from the class name) whose training backprop computes the logits once and the softmax, the loss and
 * its gradient in one host pass: see {@link HostSoftmaxOutputLayer}. Only for {@link #fits} layers (softmax, MCXENT
 * without class weights); sequence output layers are other classes.
 */
public class HostSoftmaxOutput extends OutputLayer {
    /** For Jackson; build one with {@link #of}. */
    public HostSoftmaxOutput() {
    }

    /** Whether {@code layer} is DL4J's output layer with a softmax and unweighted multi-class cross-entropy. */
    public static boolean fits(OutputLayer layer) {
        return layer.getClass() == OutputLayer.class && layer.getActivationFn() instanceof ActivationSoftmax
                && layer.getLossFn() instanceof LossMCXENT loss && loss.getWeights() == null;
    }

    /** The same layer as {@code output}, every setting copied; {@code output} must {@link #fits}. */
    public static HostSoftmaxOutput of(OutputLayer output) {
        if (!fits(output)) {
            throw new IllegalArgumentException("not a softmax MCXENT output layer: " + output);
        }
        return LayerSettings.copy(output, OutputLayer.class, new HostSoftmaxOutput());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("OutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new HostSoftmaxOutputLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
