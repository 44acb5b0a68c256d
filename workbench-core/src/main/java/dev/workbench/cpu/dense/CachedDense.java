package dev.workbench.cpu.dense;

import dev.workbench.models.LayerSettings;
import dev.workbench.train.InputGradientOption;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's dense layer (same parameters, same function, same saved form apart from the class name) that keeps its
 * training pre-activation for backprop instead of recomputing it, and sums the bias gradient with a gemm: see
 * {@link CachedDenseLayer}.
 *
 * <p>{@link #withoutInputGradient()} marks a network's first layer, whose input is the data: like PyTorch for inputs
 * that do not require a gradient, it then skips dLoss/dInput (a quarter of the arithmetic of a 784-512-256-10
 * MLP's training step) and hands DL4J {@code null} in its place, which DL4J accepts for a first layer.
 */
public class CachedDense extends DenseLayer implements InputGradientOption {
    private boolean inputGradient = true;

    /** For Jackson; build one with {@link #of}. */
    public CachedDense() {
    }

    /** The same layer as {@code dense}, every setting copied. */
    public static CachedDense of(DenseLayer dense) {
        return LayerSettings.copy(dense, DenseLayer.class, new CachedDense());
    }

    /** This layer, no longer computing the gradient with respect to its input (for a network's first layer only). */
    public CachedDense withoutInputGradient() {
        inputGradient = false;
        return this;
    }

    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("DenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSettings.attach(new CachedDenseLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }

    // Lombok's equals in DL4J's layers ignores subclass fields.
    @Override
    public boolean equals(Object o) {
        return o instanceof CachedDense other && other.inputGradient == inputGradient && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }
}
