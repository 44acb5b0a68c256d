package dev.workbench.models.rnn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gated recurrent unit layer for DL4J networks (M2.1 has none), in the formulation of PyTorch and ONNX's
 * {@code linear_before_reset=1}, so an export is one ONNX GRU node with the weights copied:
 * <pre>
 * z = σ(x Wz + h Rz + Wbz + Rbz)      r = σ(x Wr + h Rr + Wbr + Rbr)
 * n = tanh(x Wn + Wbn + r ⊙ (h Rn + Rbn))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Input and output are {@code [batch, features, time]} (NCW). Parameters per direction: {@code W [nIn, 3H]},
 * {@code R [H, 3H]}, {@code Wb [1, 3H]}, {@code Rb [1, 3H]}, gate blocks in the order z, r, n (ONNX's z, r, h);
 * a bidirectional layer's reverse direction has the same names with {@value #REVERSE_PREFIX} in front and its
 * output is {@code [forward; reverse]}, 2H wide. DL4J's {@code Bidirectional} wrapper only accepts its own
 * recurrent layer classes, hence the direction option here.
 * <p>With a features mask {@code [batch, time]}, a masked step keeps the previous state ({@code h' = h}), so
 * padding is inert in either direction; the output at a masked step is that carried state.
 */
public class Gru extends SameDiffLayer {
    /** Which way the layer reads the sequence. */
    public enum Direction { FORWARD, BACKWARD, BIDIRECTIONAL }

    /** Prefix of the reverse direction's parameters in a bidirectional layer (no "_": DL4J splits "layer_param" keys there). */
    public static final String REVERSE_PREFIX = "reverse";
    public static final String INPUT_WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "R";
    public static final String INPUT_BIAS = "Wb";
    public static final String RECURRENT_BIAS = "Rb";

    private long nIn;
    private long nOut;
    private Direction direction = Direction.FORWARD;

    /** For Jackson (model files); use {@link #Gru(long, Direction)}. */
    public Gru() {
    }

    /** A layer of {@code units} hidden units per direction; nIn comes from the network's input type. */
    public Gru(long units, Direction direction) {
        this(0, units, direction);
    }

    public Gru(long nIn, long units, Direction direction) {
        this.nIn = nIn;
        this.nOut = units;
        this.direction = direction;
    }

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    /** Hidden units per direction (the output is twice as wide when bidirectional). */
    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    public Direction getDirection() {
        return direction;
    }

    public void setDirection(Direction direction) {
        this.direction = direction;
    }

    /** Parameter-name prefixes, one per direction the layer reads: "" for the first, then the reverse one. */
    public List<String> directionPrefixes() {
        return direction == Direction.BIDIRECTIONAL ? List.of("", REVERSE_PREFIX) : List.of("");
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long steps = inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(nOut * directionPrefixes().size(), steps, RNNFormat.NCW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalArgumentException("Gru '" + getLayerName() + "' reads sequences, got input type " + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = recurrent.getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (String prefix : directionPrefixes()) {
            params.addWeightParam(prefix + INPUT_WEIGHTS, nIn, 3 * nOut);
            params.addWeightParam(prefix + RECURRENT_WEIGHTS, nOut, 3 * nOut);
            params.addBiasParam(prefix + INPUT_BIAS, 1, 3 * nOut);
            params.addBiasParam(prefix + RECURRENT_BIAS, 1, 3 * nOut);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Xavier per weight matrix (or the network's weight init when it sets one); biases start at 0.
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        for (String prefix : directionPrefixes()) {
            initWeights((int) nIn, (int) nOut, init, params.get(prefix + INPUT_WEIGHTS));
            initWeights((int) nOut, (int) nOut, init, params.get(prefix + RECURRENT_WEIGHTS));
            params.get(prefix + INPUT_BIAS).assign(0);
            params.get(prefix + RECURRENT_BIAS).assign(0);
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[2] <= 0) {
            throw new IllegalStateException("Gru '" + getLayerName() + "': expected input [batch, " + nIn
                    + ", time], got " + java.util.Arrays.toString(shape));
        }
        GruSteps steps = new GruSteps(sd, input, mask, nOut, shape[2]);
        List<SDVariable> outputs = new ArrayList<>();
        for (String prefix : directionPrefixes()) {
            boolean reverse = direction == Direction.BACKWARD || !prefix.isEmpty();
            outputs.add(steps.run(params.get(prefix + INPUT_WEIGHTS), params.get(prefix + RECURRENT_WEIGHTS),
                    params.get(prefix + INPUT_BIAS), params.get(prefix + RECURRENT_BIAS), reverse));
        }
        return outputs.size() == 1 ? outputs.get(0) : sd.concat(1, outputs.toArray(new SDVariable[0]));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return SequenceSameDiffLayer.instantiate(conf, layerIndex, paramsView, initializeParams, dataType);
    }
}
