package dev.workbench.models.rnn;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
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
 * output is {@code [forward; reverse]}, 2H wide ({@link RecurrentSameDiffLayer}).
 * <p>With a features mask {@code [batch, time]}, a masked step keeps the previous state ({@code h' = h}), so
 * padding is inert in either direction; the output at a masked step is that carried state ({@link MaskedRecurrence}).
 */
public class Gru extends RecurrentSameDiffLayer {
    public static final String INPUT_WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "R";
    public static final String INPUT_BIAS = "Wb";
    public static final String RECURRENT_BIAS = "Rb";

    /** For Jackson (model files); use {@link #Gru(long, Direction)}. */
    public Gru() {
    }

    /** A layer of {@code units} hidden units per direction; nIn comes from the network's input type. */
    public Gru(long units, Direction direction) {
        this(0, units, direction);
    }

    public Gru(long nIn, long units, Direction direction) {
        super(nIn, units, direction);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (String prefix : directionPrefixes()) {
            params.addWeightParam(prefix + INPUT_WEIGHTS, getNIn(), 3 * getNOut());
            params.addWeightParam(prefix + RECURRENT_WEIGHTS, getNOut(), 3 * getNOut());
            params.addBiasParam(prefix + INPUT_BIAS, 1, 3 * getNOut());
            params.addBiasParam(prefix + RECURRENT_BIAS, 1, 3 * getNOut());
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Xavier per weight matrix (or the network's weight init when it sets one); biases start at 0.
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        for (String prefix : directionPrefixes()) {
            initWeights((int) getNIn(), (int) getNOut(), init, params.get(prefix + INPUT_WEIGHTS));
            initWeights((int) getNOut(), (int) getNOut(), init, params.get(prefix + RECURRENT_WEIGHTS));
            params.get(prefix + INPUT_BIAS).assign(0);
            params.get(prefix + RECURRENT_BIAS).assign(0);
        }
    }

    @Override
    SDVariable direction(MaskedRecurrence steps, Map<String, SDVariable> params, String prefix, boolean reverse) {
        return GruSteps.run(steps, params.get(prefix + INPUT_WEIGHTS), params.get(prefix + RECURRENT_WEIGHTS),
                params.get(prefix + INPUT_BIAS), params.get(prefix + RECURRENT_BIAS), getNOut(), reverse);
    }
}
