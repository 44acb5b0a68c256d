package dev.workbench.models.transformer;

import java.util.Arrays;
import dev.workbench.models.ExactGradientSameDiffLayer;
import dev.workbench.models.LayerSettings;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One post-LN transformer encoder block (Vaswani et al. 2017; PyTorch's {@code nn.TransformerEncoderLayer} with
 * {@code norm_first=False}, so the two compute the same function from the same weights):
 * <pre>
 * h   = LayerNorm1(x + MultiHeadSelfAttention(x))
 * out = LayerNorm2(h + W2 · act(W1 · h + b1) + b2)
 * </pre>
 * Attention projects x to queries, keys and values ({@code x Wq + bq}, ...), splits them into {@code heads}
 * heads of {@code dModel / heads} features, takes {@code softmax(Q Kᵀ / √d_head)} over the keys, and projects
 * the concatenated heads with {@code Wo, bo}. A features mask {@code [batch, time]} (0 = padding) keeps padded
 * steps out of every query's keys; a causal block also keeps every later step out of a step's keys (a decoder).
 * <p>Input and output are {@code [batch, dModel, time]} (DL4J's NCW recurrent layout), so blocks stack after an
 * {@code EmbeddingSequenceLayer} and before a {@code GlobalPoolingLayer}. Weights are {@code [in, out]}
 * matrices, initialised Xavier (or the network's weight init); biases 0; layer-norm gains 1.
 * <p>Post-LN by default: it is the original and PyTorch's default, which the W4 benchmark compares against; with
 * the one or two blocks the encoder builds, post-LN trains without a warm-up. Pre-LN is an option
 * ({@link #isPreNorm}).
 * <p>Dropout inside the block is optional and off by default: on the attention probabilities
 * ({@link #getAttentionDropout}) and on each sublayer's output before its residual add ({@link #getResidualDropout}),
 * as PyTorch's layer and GPT-2 place it. DL4J runs a SameDiff layer's graph again for the backward pass and does not
 * tell the graph whether it is training, so the masks are not drawn inside the graph: they are constants of it
 * that {@link BlockDropoutRuntime} draws once per training forward pass, keeps for the backward pass, and sets to
 * ones for inference. At rate 0 the graph has no dropout op at all. The factory also puts DL4J's own dropout layers
 * between blocks.
 * <p>The SameDiff graph is the definition (and what the ONNX export and gradient checks follow); for training on
 * the CPU, {@code dev.workbench.cpu} substitutes a block that computes the same function and its gradients
 * directly, keeping the forward pass for backprop (EncoderBlockPassTest holds the two together).
 */
public class TransformerEncoderBlock extends SequenceLayer {
    /** The feed-forward network's activation. */
    public enum FeedForwardActivation { RELU, GELU }

    public static final String QUERY_WEIGHTS = "Wq";
    public static final String QUERY_BIAS = "bq";
    public static final String KEY_WEIGHTS = "Wk";
    public static final String KEY_BIAS = "bk";
    public static final String VALUE_WEIGHTS = "Wv";
    public static final String VALUE_BIAS = "bv";
    public static final String OUTPUT_WEIGHTS = "Wo";
    public static final String OUTPUT_BIAS = "bo";
    public static final String NORM1_GAIN = "norm1Gain";
    public static final String NORM1_BIAS = "norm1Bias";
    public static final String FF1_WEIGHTS = "W1";
    public static final String FF1_BIAS = "b1";
    public static final String FF2_WEIGHTS = "W2";
    public static final String FF2_BIAS = "b2";
    public static final String NORM2_GAIN = "norm2Gain";
    public static final String NORM2_BIAS = "norm2Bias";
    /** The graph constants that hold the dropout masks (kept units 1 / keep, dropped 0), when the rates are on. */
    public static final String ATTENTION_KEEP = "attentionKeep";
    public static final String ATTENTION_OUTPUT_KEEP = "attentionOutputKeep";
    public static final String FEED_FORWARD_OUTPUT_KEEP = "feedForwardOutputKeep";

    private long dModel;
    private int heads;
    private long feedForward;
    private FeedForwardActivation activation = FeedForwardActivation.RELU;
    private boolean causal;
    private boolean preNorm;
    private double attentionDropout;
    private double residualDropout;

    /** For Jackson (model files); use {@link #TransformerEncoderBlock(long, int, long, FeedForwardActivation)}. */
    public TransformerEncoderBlock() {
    }

    public TransformerEncoderBlock(long dModel, int heads, long feedForward, FeedForwardActivation activation) {
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " must be a positive multiple of heads " + heads);
        }
        this.dModel = dModel;
        this.heads = heads;
        this.feedForward = feedForward;
        this.activation = activation;
    }

    /**
     * A block whose step t attends only to steps 0..t when {@code causal} (a decoder's self-attention: what a step
     * computes never depends on a later step), or to every step.
     */
    public TransformerEncoderBlock(long dModel, int heads, long feedForward, FeedForwardActivation activation,
                                   boolean causal) {
        this(dModel, heads, feedForward, activation);
        this.causal = causal;
    }

    public long getDModel() {
        return dModel;
    }

    public void setDModel(long dModel) {
        this.dModel = dModel;
    }

    public int getHeads() {
        return heads;
    }

    public void setHeads(int heads) {
        this.heads = heads;
    }

    public long getFeedForward() {
        return feedForward;
    }

    public void setFeedForward(long feedForward) {
        this.feedForward = feedForward;
    }

    public FeedForwardActivation getActivation() {
        return activation;
    }

    public void setActivation(FeedForwardActivation activation) {
        this.activation = activation;
    }

    /**
     * Pre-LN ({@code h = x + MHA(LN1(x))}, {@code out = h + FF(LN2(h))}, as GPT-2 and nanoGPT) when true, post-LN (the
     * original, PyTorch's default) when false. Pre-LN leaves the residual stream unnormalised, so a stack of them wants
     * a final layer norm ({@link SequenceLayerNorm}).
     */
    public boolean isPreNorm() {
        return preNorm;
    }

    public void setPreNorm(boolean preNorm) {
        this.preNorm = preNorm;
    }

    /** This block with pre-LN ({@link #isPreNorm}) on or off. */
    public TransformerEncoderBlock preNorm(boolean on) {
        this.preNorm = on;
        return this;
    }

    /** Fraction of attention probabilities dropped in training (0 = off; jobs' {@code attention_dropout}). */
    public double getAttentionDropout() {
        return attentionDropout;
    }

    public void setAttentionDropout(double attentionDropout) {
        this.attentionDropout = attentionDropout;
    }

    /**
     * Fraction of each sublayer's output units (attention's after Wo, the feed-forward's after W2) dropped in
     * training before the residual add (0 = off; jobs' {@code residual_dropout}).
     */
    public double getResidualDropout() {
        return residualDropout;
    }

    public void setResidualDropout(double residualDropout) {
        this.residualDropout = residualDropout;
    }

    /** This block with the given fractions dropped on attention probabilities and residual paths (training only). */
    public TransformerEncoderBlock dropout(double attention, double residual) {
        for (double rate : new double[]{attention, residual}) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
        }
        this.attentionDropout = attention;
        this.residualDropout = residual;
        return this;
    }

    /** Whether the block drops anything in training (and so needs {@link BlockDropoutRuntime}). */
    public boolean dropsInTraining() {
        return attentionDropout > 0 || residualDropout > 0;
    }

    public boolean isCausal() {
        return causal;
    }

    public void setCausal(boolean causal) {
        this.causal = causal;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent recurrent = sequence(inputType);
        if (recurrent.getSize() != dModel) {
            throw new IllegalArgumentException("TransformerEncoderBlock '" + getLayerName() + "': input has "
                    + recurrent.getSize() + " features per step, the block's d_model is " + dModel
                    + " (residual connections need them equal)");
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        for (String[] projection : new String[][]{{QUERY_WEIGHTS, QUERY_BIAS}, {KEY_WEIGHTS, KEY_BIAS},
                {VALUE_WEIGHTS, VALUE_BIAS}, {OUTPUT_WEIGHTS, OUTPUT_BIAS}}) {
            params.addWeightParam(projection[0], dModel, dModel);
            params.addBiasParam(projection[1], dModel);
        }
        params.addWeightParam(FF1_WEIGHTS, dModel, feedForward);
        params.addBiasParam(FF1_BIAS, feedForward);
        params.addWeightParam(FF2_WEIGHTS, feedForward, dModel);
        params.addBiasParam(FF2_BIAS, dModel);
        // No underscores in parameter names: DL4J splits "layer_param" keys at the first one.
        // Layer-norm parameters count as biases: no weight decay, as is usual for them.
        for (String name : new String[]{NORM1_GAIN, NORM1_BIAS, NORM2_GAIN, NORM2_BIAS}) {
            params.addBiasParam(name, dModel);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            long[] shape = p.getValue().shape();
            if (p.getKey().startsWith("W")) {
                initWeights((int) shape[0], (int) shape[1], init, p.getValue());
            } else {
                p.getValue().assign(p.getKey().endsWith("Gain") ? 1 : 0);
            }
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[1] != dModel || shape[2] <= 0) {
            throw new IllegalStateException("TransformerEncoderBlock '" + getLayerName() + "': expected input [batch, "
                    + dModel + ", time], got " + Arrays.toString(shape));
        }
        long steps = shape[2];
        SDVariable rows = rows(input);
        SDVariable attentionKeep = attentionDropout > 0 ? BlockDropoutRuntime.maskConstant(input, ATTENTION_KEEP, 4) : null;
        SelfAttentionGraph attention = new SelfAttentionGraph(sd, heads, dModel, steps, causal, attentionKeep);
        SDVariable out;
        if (preNorm) {
            SDVariable h = rows.add(residualDropped(ATTENTION_OUTPUT_KEEP,
                    attention.apply(attentionInput(sd, rows, params), params, mask)));
            out = h.add(residualDropped(FEED_FORWARD_OUTPUT_KEEP,
                    feedForward(sd, norm(sd, h, params, NORM2_GAIN, NORM2_BIAS), params)));
        } else {
            SDVariable h = norm(sd, rows.add(residualDropped(ATTENTION_OUTPUT_KEEP,
                    attention.apply(attentionInput(sd, rows, params), params, mask))), params, NORM1_GAIN, NORM1_BIAS);
            out = norm(sd, h.add(residualDropped(FEED_FORWARD_OUTPUT_KEEP, feedForward(sd, h, params))), params,
                    NORM2_GAIN, NORM2_BIAS);
        }
        return out.reshape(-1, steps, dModel).permute(0, 2, 1);
    }

    /** A sublayer's output rows times its residual dropout mask, or the rows themselves when that dropout is off. */
    private SDVariable residualDropped(String keep, SDVariable rows) {
        return residualDropout > 0 ? rows.mul(BlockDropoutRuntime.maskConstant(rows, keep, 2)) : rows;
    }

    /**
     * The attention probabilities {@link #defineLayer} weighs the values with, {@code [batch, heads, time (query),
     * time (key)]}, for the same input, parameters and mask: each row sums to 1 over the keys it may read, and is 0
     * at every key the mask forbids (later steps of a causal block, padding).
     *
     * @param rows the block's input as rows {@code [batch * time, dModel]}, example-major (as {@code defineLayer}
     *             reshapes it)
     */
    public SDVariable defineAttention(SameDiff sd, SDVariable rows, long steps, Map<String, SDVariable> params,
                                      SDVariable mask) {
        return new SelfAttentionGraph(sd, heads, dModel, steps, causal).weights(attentionInput(sd, rows, params), params, mask);
    }

    /** One row per (example, step): every projection is then one matrix product over the whole batch. */
    private SDVariable rows(SDVariable input) {
        return input.permute(0, 2, 1).reshape(-1, dModel);
    }

    /** What attention reads: the block's input, or its first layer norm in a pre-LN block. */
    private SDVariable attentionInput(SameDiff sd, SDVariable rows, Map<String, SDVariable> params) {
        return preNorm ? norm(sd, rows, params, NORM1_GAIN, NORM1_BIAS) : rows;
    }

    private static SDVariable norm(SameDiff sd, SDVariable rows, Map<String, SDVariable> params, String gain, String bias) {
        return sd.nn.layerNorm(rows, params.get(gain), params.get(bias), false, 1);
    }

    private SDVariable feedForward(SameDiff sd, SDVariable rows, Map<String, SDVariable> params) {
        SDVariable hidden = sd.nn.linear(rows, params.get(FF1_WEIGHTS), params.get(FF1_BIAS));
        hidden = activation == FeedForwardActivation.GELU ? sd.nn.gelu(hidden) : sd.nn.relu(hidden, 0);
        return sd.nn.linear(hidden, params.get(FF2_WEIGHTS), params.get(FF2_BIAS));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        ExactGradientSameDiffLayer runtime = dropsInTraining() ? new BlockDropoutRuntime(conf, dataType)
                : new ExactGradientSameDiffLayer(conf, dataType);
        return LayerSettings.attach(runtime, conf, null, layerIndex, paramsView, initializeParams);
    }
}
