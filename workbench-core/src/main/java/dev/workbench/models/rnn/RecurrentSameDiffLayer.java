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
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the workbench's recurrent layers ({@link Gru}, {@link Lstm}) share: NCW input and output
 * {@code [batch, features, time]}, a direction option (DL4J's {@code Bidirectional} wrapper accepts only DL4J's own
 * recurrent layer classes), one parameter set per direction read, the reverse one's names prefixed with
 * {@value #REVERSE_PREFIX}, the output {@code [forward; reverse]}, and the runtime that builds one graph per sequence
 * length ({@link SequenceSameDiffLayer}). A subclass defines one direction's parameters and recurrence.
 */
public abstract class RecurrentSameDiffLayer extends SameDiffLayer {
    /** Which way the layer reads the sequence. */
    public enum Direction { FORWARD, BACKWARD, BIDIRECTIONAL }

    /** Prefix of the reverse direction's parameters in a bidirectional layer (no "_": DL4J splits "layer_param" keys there). */
    public static final String REVERSE_PREFIX = "reverse";

    private long nIn;
    private long nOut;
    private Direction direction = Direction.FORWARD;

    protected RecurrentSameDiffLayer() {
    }

    protected RecurrentSameDiffLayer(long nIn, long units, Direction direction) {
        this.nIn = nIn;
        this.nOut = units;
        this.direction = direction;
    }

    /**
     * One direction's hidden states {@code [batch, H, time]} over the layer's input, unrolled by {@code steps};
     * {@code reverse} reads from the last step back.
     */
    abstract SDVariable direction(MaskedRecurrence steps, Map<String, SDVariable> params, String prefix, boolean reverse);

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

    /** Whether the direction with parameter prefix {@code prefix} reads from the last step back. */
    public boolean readsBackwards(String prefix) {
        return direction == Direction.BACKWARD || !prefix.isEmpty();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long steps = inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(nOut * directionPrefixes().size(), steps, RNNFormat.NCW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeRecurrent recurrent)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + getLayerName()
                    + "' reads sequences, got input type " + inputType);
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
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[2] <= 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " '" + getLayerName() + "': expected input [batch, "
                    + nIn + ", time], got " + java.util.Arrays.toString(shape));
        }
        MaskedRecurrence steps = new MaskedRecurrence(sd, input, mask, shape[2]);
        List<SDVariable> outputs = new ArrayList<>();
        for (String prefix : directionPrefixes()) {
            outputs.add(direction(steps, params, prefix, readsBackwards(prefix)));
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
