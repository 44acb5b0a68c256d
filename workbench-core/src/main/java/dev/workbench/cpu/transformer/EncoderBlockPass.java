package dev.workbench.cpu.transformer;

import dev.workbench.models.transformer.AttentionMasks;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF1_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF1_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF2_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.FF2_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.KEY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM1_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM1_GAIN;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM2_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.NORM2_GAIN;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.OUTPUT_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.QUERY_WEIGHTS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_BIAS;
import static dev.workbench.models.transformer.TransformerEncoderBlock.VALUE_WEIGHTS;

import dev.workbench.cpu.kernels.BlockGemm;
import dev.workbench.cpu.kernels.ColumnSums;
import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.LaneActivation;
import dev.workbench.cpu.kernels.LayerNormRows;
import dev.workbench.cpu.kernels.KeptSigmoidGelu;
import dev.workbench.cpu.kernels.VectorModule;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link TransformerEncoderBlock} function (post-LN or pre-LN, ReLU or GELU feed-forward, causal or not) with its backward pass written out:
 * ND4J gemms for the projections (bias sums included), one OpenBLAS call per example and head for attention's
 * products, reading and writing the heads inside the projection rows ({@link BlockGemm}), and vector-API loops for
 * layer norm, the masked softmax and its gradient ({@link AttentionSoftmax}) and the feed-forward activation
 * ({@link LaneActivation}, over ND4J's buffers in place). Every intermediate of the last training forward pass is kept for backprop,
 * where DL4J's SameDiff layer re-runs the whole forward graph and executes each of some hundred ops separately,
 * which dominated its training step.
 *
 * <p>Rows are example-major ({@code b * time + t}), as in the SameDiff graph. One instance per layer; its buffers
 * are reused while the batch shape stays the same.
 */
final class EncoderBlockPass implements RowsPass {
    private static final String[] PROJECTION_WEIGHTS = {QUERY_WEIGHTS, KEY_WEIGHTS, VALUE_WEIGHTS};
    private static final String[] PROJECTION_BIASES = {QUERY_BIAS, KEY_BIAS, VALUE_BIAS};

    private final int dModel;
    private final int heads;
    private final int headWidth;
    private final int feedForward;
    private final boolean causal;
    private final boolean preNorm;
    private final LaneActivation activation;
    private final float scale;
    private final LayerNormRows norm1;
    private final LayerNormRows norm2;
    private int batch;
    private int steps;
    private int rows;
    // The query, key and value projections as one [dModel, 3 dModel] product, as PyTorch's attention runs them: one
    // gemm each way instead of three (their parameters stay separate, so saved models and the exporter are unchanged).
    private final INDArray qkvWeights;
    private final INDArray qkvBias;
    private final float[] qkvWeightValues;
    private final float[] qkvBiasValues;
    private final float[] projectionScratch;
    // Forward intermediates (ND4J, for the gemms; the heads stay where the projections write them) ...
    private INDArray x, qkv, probs, contextRows, h1, preActivation, a1;
    // Pre-LN only: LN1(x), the attention's input, and LN2(h1), the feed-forward's (post-LN reads x and h1 there).
    private INDArray normedInput, normedH1;
    private float[] normedInputValues = new float[0];
    private float[] normedH1Values = new float[0];
    private float[] dNormedInputValues = new float[0];
    private AttentionSoftmax softmax;
    // A sublayer's output before its residual add: the attention's output projection, then the feed-forward's.
    private INDArray sublayerRows;
    // ... and a Java copy where the element-wise work reads it.
    private float[] h1Values = new float[0];
    private final ColumnSums columnSums = new ColumnSums();
    // Backward scratch.
    private INDArray dRows, dWide, dProbs, dQkv, qkvWeightGrad, qkvBiasGrad, ff2WeightGradT;
    private INDArray dH1FromFeedForward; // dLoss/dh1 through the feed-forward network
    private INDArray dContext;           // dLoss/d(attention context rows), before the output projection
    private INDArray dNormedInput;       // pre-LN: dLoss/dLN1(x) through the attention
    // Java copies of rows for the element-wise work.
    private float[] xValues = new float[0];
    private float[] residualValues = new float[0];
    private float[] outValues = new float[0];
    private float[] dOutValues = new float[0];
    private float[] dH1Values = new float[0];
    private float[] probValues = new float[0];
    private float[] probGradValues = new float[0];

    /** A pass computing {@code block}'s function (its width, heads, feed-forward, activation, mask and norm order). */
    EncoderBlockPass(TransformerEncoderBlock block) {
        VectorModule.require();
        this.dModel = (int) block.getDModel();
        this.heads = block.getHeads();
        this.headWidth = dModel / heads;
        this.feedForward = (int) block.getFeedForward();
        this.causal = block.isCausal();
        this.preNorm = block.isPreNorm();
        this.activation = block.getActivation() == TransformerEncoderBlock.FeedForwardActivation.GELU
                ? new KeptSigmoidGelu() : LaneActivation.of(new ActivationReLU());
        this.scale = (float) (1.0 / Math.sqrt(headWidth));
        this.norm1 = new LayerNormRows(dModel);
        this.norm2 = new LayerNormRows(dModel);
        this.qkvWeights = HostArrays.detached(dModel, 3L * dModel);
        this.qkvBias = HostArrays.detached(1, 3L * dModel);
        this.qkvWeightValues = new float[3 * dModel * dModel];
        this.qkvBiasValues = new float[3 * dModel];
        this.projectionScratch = new float[dModel * dModel];
    }

    @Override
    public void forward(INDArray input, INDArray mask, Map<String, INDArray> params, INDArray output) {
        allocate((int) input.size(0), (int) input.size(2));
        x.reshape(batch, steps, dModel).assign(input.permute(0, 2, 1));
        HostArrays.read(x, xValues);
        if (preNorm) {
            norm1.forward(xValues, rows, params.get(NORM1_GAIN).toFloatVector(), params.get(NORM1_BIAS).toFloatVector(),
                    normedInputValues);
            HostArrays.write(normedInputValues, normedInput);
        }
        fuseProjections(params);
        project(attentionInput(), qkvWeights, qkvBias, qkv);
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < heads; head++) {
                BlockGemm.multiply(query(qkv, b, head), false, key(qkv, b, head), true, 0f, scores(probs, b, head));
            }
        }
        // The weights stay in probValues too, for the softmax's backward pass.
        softmax.forward(HostArrays.read(probs, probValues), batch, keyIsReal(mask));
        HostArrays.write(probValues, probs);
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < heads; head++) {
                BlockGemm.multiply(scores(probs, b, head), false, value(qkv, b, head), false, 0f, headOf(contextRows, b, head));
            }
        }

        // h1 = LN1(x + attention Wo + bo) post-LN, x + attention Wo + bo pre-LN
        project(contextRows, params.get(OUTPUT_WEIGHTS), params.get(OUTPUT_BIAS), sublayerRows);
        float[] residual = HostArrays.read(sublayerRows, residualValues);
        for (int i = 0; i < rows * dModel; i++) {
            residual[i] += xValues[i];
        }
        if (preNorm) {
            System.arraycopy(residual, 0, h1Values, 0, rows * dModel);
            norm2.forward(h1Values, rows, params.get(NORM2_GAIN).toFloatVector(), params.get(NORM2_BIAS).toFloatVector(),
                    normedH1Values);
            HostArrays.write(normedH1Values, normedH1);
        } else {
            norm1.forward(residual, rows, params.get(NORM1_GAIN).toFloatVector(), params.get(NORM1_BIAS).toFloatVector(), h1Values);
            HostArrays.write(h1Values, h1);
        }

        // out = LN2(h1 + relu(h1 W1 + b1) W2 + b2) post-LN, h1 + relu(LN2(h1) W1 + b1) W2 + b2 pre-LN
        project(feedForwardInput(), params.get(FF1_WEIGHTS), params.get(FF1_BIAS), preActivation);
        activate();
        project(a1, params.get(FF2_WEIGHTS), params.get(FF2_BIAS), sublayerRows);
        float[] residual2 = HostArrays.read(sublayerRows, residualValues);
        for (int i = 0; i < rows * dModel; i++) {
            residual2[i] += h1Values[i];
        }
        float[] out = residual2;
        if (!preNorm) {
            out = outValues;
            norm2.forward(residual2, rows, params.get(NORM2_GAIN).toFloatVector(), params.get(NORM2_BIAS).toFloatVector(), out);
        }
        HostArrays.write(out, output.reshape(rows, dModel));
    }

    /** a1 = activation(preActivation). */
    private void activate() {
        activation.forward(preActivation, a1);
    }

    /** What the query, key and value projections read: x post-LN, LN1(x) pre-LN. */
    private INDArray attentionInput() {
        return preNorm ? normedInput : x;
    }

    /** What the feed-forward network reads: h1 post-LN, LN2(h1) pre-LN. */
    private INDArray feedForwardInput() {
        return preNorm ? normedH1 : h1;
    }

    @Override
    public void backward(INDArray epsilon, Map<String, INDArray> params, Map<String, INDArray> gradients, INDArray inputGradient) {
        allocateBackward();
        int n = rows * dModel;
        INDArray dInput = inputGradient.reshape(rows, dModel);
        dRows.reshape(batch, steps, dModel).assign(epsilon.permute(0, 2, 1));
        float[] dOut = HostArrays.read(dRows, dOutValues);

        // LN2 (post-LN), then the residual splits dR2 between h1 and the feed-forward output.
        float[] dGain = new float[dModel];
        float[] dBias = new float[dModel];
        float[] dR2 = dOut;
        if (!preNorm) {
            norm2.backward(dOut, params.get(NORM2_GAIN).toFloatVector(), dR2, dGain, dBias);
            writeNormGradients(gradients, NORM2_GAIN, NORM2_BIAS, dGain, dBias);
        }
        HostArrays.write(dR2, dRows);
        // dW2 = a1ᵀ dR2 computed as its transpose dR2ᵀ a1 ([dModel, ff]) and copied across: oneDNN runs that
        // shape faster than the [ff, rows] x [rows, dModel] product.
        Nd4j.gemm(dRows, a1, ff2WeightGradT, true, false, 1.0, 0.0);
        gradients.get(FF2_WEIGHTS).assign(ff2WeightGradT.transpose());
        columnSums.into(dRows, gradients.get(FF2_BIAS));
        Nd4j.gemm(dRows, params.get(FF2_WEIGHTS), dWide, false, true, 1.0, 0.0);
        // Through the activation, over the kept pre-activation instead of a 4 MB copy each pass: it is read nowhere
        // else, and the layer runs this backward pass once per forward pass (KeptForwardPass).
        INDArray dPreActivation = preActivation;
        activation.backward(preActivation, dWide, dPreActivation);
        columnSums.into(dPreActivation, gradients.get(FF1_BIAS));
        Nd4j.gemm(feedForwardInput(), dPreActivation, gradients.get(FF1_WEIGHTS), true, false, 1.0, 0.0);
        Nd4j.gemm(dPreActivation, params.get(FF1_WEIGHTS), dH1FromFeedForward, false, true, 1.0, 0.0);
        float[] dH1 = HostArrays.read(dH1FromFeedForward, dH1Values);
        if (preNorm) {
            // The feed-forward read LN2(h1): back through LN2 to h1.
            norm2.backward(dH1, params.get(NORM2_GAIN).toFloatVector(), dH1, dGain, dBias);
            writeNormGradients(gradients, NORM2_GAIN, NORM2_BIAS, dGain, dBias);
        }
        for (int i = 0; i < n; i++) {
            dH1[i] += dR2[i];
        }

        // LN1 (post-LN); dR1 reaches the input directly (residual) and through the attention.
        float[] dR1 = dH1;
        if (!preNorm) {
            norm1.backward(dH1, params.get(NORM1_GAIN).toFloatVector(), dR1, dGain, dBias);
            writeNormGradients(gradients, NORM1_GAIN, NORM1_BIAS, dGain, dBias);
        }
        HostArrays.write(dR1, dRows);
        HostArrays.write(dR1, dInput);
        Nd4j.gemm(contextRows, dRows, gradients.get(OUTPUT_WEIGHTS), true, false, 1.0, 0.0);
        columnSums.into(dRows, gradients.get(OUTPUT_BIAS));
        Nd4j.gemm(dRows, params.get(OUTPUT_WEIGHTS), dContext, false, true, 1.0, 0.0);
        // Per head: dP = dContext Vᵀ, dV = Pᵀ dContext, then through the softmax
        // dQ = dS K (for the scaled query) and dK = dSᵀ Q, each written into its block of dQkv.
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < heads; head++) {
                BlockGemm.Block dHeadContext = headOf(dContext, b, head);
                BlockGemm.multiply(dHeadContext, false, value(qkv, b, head), true, 0f, scores(dProbs, b, head));
                BlockGemm.multiply(scores(probs, b, head), true, dHeadContext, false, 0f, value(dQkv, b, head));
            }
        }
        softmaxBackward();
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < heads; head++) {
                BlockGemm.Block dScores = scores(dProbs, b, head);
                BlockGemm.multiply(dScores, false, key(qkv, b, head), false, 0f, query(dQkv, b, head));
                BlockGemm.multiply(dScores, true, query(qkv, b, head), false, 0f, key(dQkv, b, head));
            }
        }
        // For qkv = in Wqkv + bqkv: dWqkv = inᵀ dQkv, dbqkv = Σ dQkv, and dIn = dQkv Wqkvᵀ (the query block holds
        // the gradient of the scaled query, whose weights are the scaled Wq); in is x post-LN, LN1(x) pre-LN.
        Nd4j.gemm(attentionInput(), dQkv, qkvWeightGrad, true, false, 1.0, 0.0);
        columnSums.into(dQkv, qkvBiasGrad);
        if (preNorm) {
            Nd4j.gemm(dQkv, qkvWeights, dNormedInput, false, true, 1.0, 0.0);
            float[] dX = HostArrays.read(dNormedInput, dNormedInputValues);  // dLoss/dLN1(x), then dLoss/dx
            norm1.backward(dX, params.get(NORM1_GAIN).toFloatVector(), dX, dGain, dBias);
            writeNormGradients(gradients, NORM1_GAIN, NORM1_BIAS, dGain, dBias);
            for (int i = 0; i < n; i++) {
                dX[i] += dR1[i];
            }
            HostArrays.write(dX, dInput);
        } else {
            Nd4j.gemm(dQkv, qkvWeights, dInput, false, true, 1.0, 1.0);
        }
        splitProjectionGradients(gradients);
    }

    /** Writes a layer norm's gain and bias gradients, then clears the buffers for the next norm. */
    private static void writeNormGradients(Map<String, INDArray> gradients, String gain, String bias, float[] dGain,
                                           float[] dBias) {
        HostArrays.write(dGain, gradients.get(gain));
        HostArrays.write(dBias, gradients.get(bias));
        Arrays.fill(dGain, 0f);
        Arrays.fill(dBias, 0f);
    }

    /**
     * Copies Wq, Wk, Wv and their biases side by side into the fused projection, the query's times the attention
     * scale: its product is the scaled query the scores need.
     */
    private void fuseProjections(Map<String, INDArray> params) {
        for (int p = 0; p < 3; p++) {
            float[] block = HostArrays.read(params.get(PROJECTION_WEIGHTS[p]), projectionScratch);
            for (int i = 0; i < dModel; i++) {
                System.arraycopy(block, i * dModel, qkvWeightValues, (3 * i + p) * dModel, dModel);
            }
            HostArrays.read(params.get(PROJECTION_BIASES[p]), qkvBiasValues, p * dModel);
        }
        scaleQueryBlock(qkvWeightValues, qkvBiasValues);
        HostArrays.write(qkvWeightValues, qkvWeights);
        HostArrays.write(qkvBiasValues, qkvBias);
    }

    /**
     * The fused projection's gradients, column block by column block, into Wq, Wk, Wv and their biases; the query's
     * times the scale again (d/dWq = scale · d/d(scale Wq)).
     */
    private void splitProjectionGradients(Map<String, INDArray> gradients) {
        float[] weightGrad = HostArrays.read(qkvWeightGrad, qkvWeightValues);
        float[] biasGrad = HostArrays.read(qkvBiasGrad, qkvBiasValues);
        scaleQueryBlock(weightGrad, biasGrad);
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < dModel; i++) {
                System.arraycopy(weightGrad, (3 * i + p) * dModel, projectionScratch, i * dModel, dModel);
            }
            HostArrays.write(projectionScratch, gradients.get(PROJECTION_WEIGHTS[p]));
            HostArrays.write(biasGrad, p * dModel, gradients.get(PROJECTION_BIASES[p]));
        }
    }

    /**
     * {@code [batch, time]}: whether each key is a real step, from {@code mask} (1 real, 0 padding; {@link
     * AttentionMasks#allowed} says which keys that forbids); null without a mask.
     */
    private boolean[] keyIsReal(INDArray mask) {
        if (mask == null) {
            return null;
        }
        float[] keep = HostArrays.read(mask.castTo(DataType.FLOAT), new float[batch * steps]);
        boolean[] real = new boolean[batch * steps];
        for (int i = 0; i < real.length; i++) {
            real[i] = keep[i] != 0f;
        }
        return real;
    }

    /** dScores from dP, over the weights the forward pass kept in probValues. */
    private void softmaxBackward() {
        float[] dp = HostArrays.read(dProbs, probGradValues);
        softmax.backward(probValues, dp, batch);
        HostArrays.write(dp, dProbs);
    }

    /** Multiplies the query's column block of fused [dModel, 3 dModel] weights and [3 dModel] biases by the scale. */
    private void scaleQueryBlock(float[] weights, float[] biases) {
        for (int i = 0; i < dModel; i++) {
            for (int c = 0; c < dModel; c++) {
                weights[3 * i * dModel + c] *= scale;
            }
            biases[i] *= scale;
        }
    }

    private static void project(INDArray in, INDArray w, INDArray b, INDArray out) {
        Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
        out.addiRowVector(b.reshape(1, b.length()));
    }

    /** Example {@code b}'s query block of one head in {@code [batch * time, 3 dModel]} rows (q | k | v). */
    private BlockGemm.Block query(INDArray fused, int b, int head) {
        return headBlock(fused, 3 * dModel, b, head * headWidth);
    }

    private BlockGemm.Block key(INDArray fused, int b, int head) {
        return headBlock(fused, 3 * dModel, b, dModel + head * headWidth);
    }

    private BlockGemm.Block value(INDArray fused, int b, int head) {
        return headBlock(fused, 3 * dModel, b, 2 * dModel + head * headWidth);
    }

    /** Example {@code b}'s block of one head in {@code [batch * time, dModel]} rows. */
    private BlockGemm.Block headOf(INDArray rowsArray, int b, int head) {
        return headBlock(rowsArray, dModel, b, head * headWidth);
    }

    private BlockGemm.Block headBlock(INDArray rowsArray, int rowWidth, int b, int column) {
        return new BlockGemm.Block(rowsArray, (long) b * steps * rowWidth + column, steps, headWidth, rowWidth);
    }

    /** The {@code [time, time]} scores of example {@code b} and one head in {@code [batch, heads, time, time]}. */
    private BlockGemm.Block scores(INDArray perHead, int b, int head) {
        return new BlockGemm.Block(perHead, ((long) b * heads + head) * steps * steps, steps, steps, steps);
    }

    private void allocate(int batch, int steps) {
        if (x != null && batch == this.batch && steps == this.steps) {
            return;
        }
        this.batch = batch;
        this.steps = steps;
        this.rows = batch * steps;
        x = HostArrays.detached(rows, dModel);
        qkv = HostArrays.detached(rows, 3L * dModel);
        contextRows = HostArrays.detached(rows, dModel);
        h1 = HostArrays.detached(rows, dModel);
        sublayerRows = HostArrays.detached(rows, dModel);
        a1 = HostArrays.detached(rows, feedForward);
        preActivation = HostArrays.detached(rows, feedForward);
        probs = HostArrays.detached(batch, heads, steps, steps);
        softmax = new AttentionSoftmax(heads, steps, causal);
        probValues = new float[batch * heads * steps * steps];
        dRows = null; // backward buffers: allocated by the first backward pass, so inference never holds them
        h1Values = new float[rows * dModel];
        if (preNorm) {
            normedInput = HostArrays.detached(rows, dModel);
            normedH1 = HostArrays.detached(rows, dModel);
            normedInputValues = new float[rows * dModel];
            normedH1Values = new float[rows * dModel];
        }
        xValues = new float[rows * dModel];
        residualValues = new float[rows * dModel];
        outValues = new float[rows * dModel];
    }

    private void allocateBackward() {
        if (dRows != null) {
            return;
        }
        dRows = HostArrays.detached(rows, dModel);
        dQkv = HostArrays.detached(rows, 3L * dModel);
        qkvWeightGrad = HostArrays.detached(dModel, 3L * dModel);
        qkvBiasGrad = HostArrays.detached(1, 3L * dModel);
        ff2WeightGradT = HostArrays.detached(dModel, feedForward);
        dWide = HostArrays.detached(rows, feedForward);
        dProbs = HostArrays.detached(batch, heads, steps, steps);
        dH1FromFeedForward = HostArrays.detached(rows, dModel);
        dContext = HostArrays.detached(rows, dModel);
        dNormedInput = preNorm ? HostArrays.detached(rows, dModel) : null;
        dNormedInputValues = preNorm ? new float[rows * dModel] : new float[0];
        dOutValues = new float[rows * dModel];
        dH1Values = new float[rows * dModel];
        probGradValues = new float[batch * heads * steps * steps];
    }
}
