package dev.workbench.models.transformer;

import dev.workbench.models.ExactGradientSameDiffLayer;
import dev.workbench.models.LayerSettings;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation of every step of a sequence {@code [batch, features, time]} over its features, with a learned
 * gain (starts at 1) and bias (starts at 0): the final norm after a stack of pre-LN blocks, whose residual stream is
 * otherwise never normalised before the output head. DL4J M2.1 has no layer-norm layer.
 */
public class SequenceLayerNorm extends SequenceLayer {
    public static final String GAIN = "gain";
    public static final String BIAS = "bias";

    private long features;

    /** For Jackson; the width comes from the network's input type. */
    public SequenceLayerNorm() {
    }

    public long getFeatures() {
        return features;
    }

    public void setFeatures(long features) {
        this.features = features;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (features <= 0 || override) {
            features = sequence(inputType).getSize();
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // Biases: no weight decay, as is usual for norm parameters.
        params.addBiasParam(GAIN, features);
        params.addBiasParam(BIAS, features);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get(GAIN).assign(1);
        params.get(BIAS).assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long steps = input.getShape()[2];
        SDVariable rows = input.permute(0, 2, 1).reshape(-1, features);
        SDVariable normed = sd.nn.layerNorm(rows, params.get(GAIN), params.get(BIAS), false, 1);
        return normed.reshape(-1, steps, features).permute(0, 2, 1);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerSettings.attach(new ExactGradientSameDiffLayer(conf, dataType), conf, null, layerIndex, paramsView,
                initializeParams);
    }
}
