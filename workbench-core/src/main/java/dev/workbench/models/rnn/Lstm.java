package dev.workbench.models.rnn;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LSTM of DL4J's {@code LSTM} layer (no peepholes, sigmoid gates, tanh cell; same parameters {@code W [nIn, 4H]},
 * {@code RW [H, 4H]}, {@code b [1, 4H]}, gate blocks in DL4J's order cell input a, forget f, output o, input gate i):
 * <pre>
 * [a f o i] = [tanh σ σ σ](x W + h RW + b)      c' = f ⊙ c + i ⊙ a      h' = o ⊙ tanh(c')
 * </pre>
 * but with a features mask {@code [batch, time]} a masked step carries both h and c unchanged
 * ({@link MaskedRecurrence}), where DL4J's zeroes them and so lets padding reach the next real step. Padding is then
 * inert in either direction; the output at a masked step is the carried state. Reads forward, backward or both ways
 * ({@link RecurrentSameDiffLayer}); the reverse direction's parameters carry {@value #REVERSE_PREFIX} in front.
 */
public class Lstm extends RecurrentSameDiffLayer {
    public static final String INPUT_WEIGHTS = LSTMParamInitializer.INPUT_WEIGHT_KEY;
    public static final String RECURRENT_WEIGHTS = LSTMParamInitializer.RECURRENT_WEIGHT_KEY;
    public static final String BIAS = LSTMParamInitializer.BIAS_KEY;
    /** As DL4J's LSTM initialises its forget-gate bias block, so that the cell starts out remembering. */
    public static final double FORGET_GATE_BIAS = 1.0;

    /** For Jackson (model files); use {@link #Lstm(long, Direction)}. */
    public Lstm() {
    }

    /** A layer of {@code units} hidden units per direction; nIn comes from the network's input type. */
    public Lstm(long units, Direction direction) {
        this(0, units, direction);
    }

    public Lstm(long nIn, long units, Direction direction) {
        super(nIn, units, direction);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (String prefix : directionPrefixes()) {
            params.addWeightParam(prefix + INPUT_WEIGHTS, getNIn(), 4 * getNOut());
            params.addWeightParam(prefix + RECURRENT_WEIGHTS, getNOut(), 4 * getNOut());
            params.addBiasParam(prefix + BIAS, 1, 4 * getNOut());
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Xavier per weight matrix (or the network's weight init when it sets one); biases 0 but the forget gate's.
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        long hidden = getNOut();
        for (String prefix : directionPrefixes()) {
            initWeights((int) getNIn(), (int) hidden, init, params.get(prefix + INPUT_WEIGHTS));
            initWeights((int) hidden, (int) hidden, init, params.get(prefix + RECURRENT_WEIGHTS));
            INDArray bias = params.get(prefix + BIAS);
            bias.assign(0);
            bias.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(hidden, 2 * hidden)).assign(FORGET_GATE_BIAS);
        }
    }

    @Override
    SDVariable direction(MaskedRecurrence steps, Map<String, SDVariable> params, String prefix, boolean reverse) {
        SameDiff sd = steps.sameDiff();
        SDVariable rw = params.get(prefix + RECURRENT_WEIGHTS);
        long hidden = getNOut();
        return steps.run(params.get(prefix + INPUT_WEIGHTS), params.get(prefix + BIAS), hidden, 2, reverse, (x, state) -> {
            SDVariable z = x.add(sd.mmul(state[0], rw));
            SDVariable a = sd.math().tanh(MaskedRecurrence.block(z, 0, hidden));
            SDVariable gates = sd.nn().sigmoid(MaskedRecurrence.block(z, hidden, 3 * hidden));
            SDVariable f = MaskedRecurrence.block(gates, 0, hidden);
            SDVariable o = MaskedRecurrence.block(gates, hidden, hidden);
            SDVariable i = MaskedRecurrence.block(gates, 2 * hidden, hidden);
            SDVariable c = f.mul(state[1]).add(i.mul(a));
            return new SDVariable[]{o.mul(sd.math().tanh(c)), c};
        });
    }
}
