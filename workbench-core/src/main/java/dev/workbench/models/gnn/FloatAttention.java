package dev.workbench.models.gnn;

import dev.workbench.data.graph.SparseRows;
import dev.workbench.lanes.LaneExp;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link GraphAttention} layer's attention over float projections, on vector kernels: the same function and
 * gradients as the layer's plain double loops (its reference, which double networks run), with the exponentials of
 * the softmax and the leaky ReLU in vector lanes over all coefficients at once, the per-head rows as
 * {@link RowLanes} products, the dropout as {@link KeepDraws} batches and every buffer kept from pass to pass. In
 * double with {@code Math.exp} per coefficient the attention was half of a GAT epoch on Cora.
 */
final class FloatAttention {
    private static final VectorSpecies<Float> LANES = RowLanes.LANES;

    private final SparseRows graph;
    private final int nodes;
    private final int heads;
    private final int width;
    private final int outWidth;
    private final boolean concat;
    private final float slope;
    private final double attentionDropout;
    private final float headScale;

    // Kept from the forward pass for the backward one: projections [n, heads·width], raw scores and attention
    // (softmax) per entry and head, the dropout's scale per coefficient (1/keep or 0) and the coefficients used.
    private final float[] projected;
    private final float[] scores;
    private final float[] attention;
    private final float[] dropScales;
    private final float[] used;
    private boolean dropped;
    // Per node and head: the two attention dots.
    private final float[] selfDots;
    private final float[] neighbourDots;
    private final float[] out;
    // Backward only; the dots' gradients per node and head among them.
    private final float[] dSelfDots;
    private final float[] dNeighbourDots;
    private final float[] dOut;
    private final float[] dProjected;
    private final float[] dAttention;
    private final float[] aSelf;
    private final float[] aNeighbour;
    private final float[] dASelf;
    private final float[] dANeighbour;
    private final KeepDraws draws;

    FloatAttention(GraphAttention conf, SparseRows graph) {
        this.graph = graph;
        this.nodes = graph.size();
        this.heads = conf.getHeads();
        this.width = (int) conf.headWidth();
        this.outWidth = (int) conf.getNOut();
        this.concat = conf.isConcat();
        this.slope = (float) conf.getNegativeSlope();
        this.attentionDropout = conf.getAttentionDropout();
        this.headScale = concat ? 1f : 1f / heads;
        int coefficients = graph.entries() * heads;
        projected = new float[nodes * heads * width];
        scores = new float[coefficients];
        attention = new float[coefficients];
        dropScales = new float[coefficients];
        used = new float[coefficients];
        selfDots = new float[nodes * heads];
        neighbourDots = new float[nodes * heads];
        out = new float[nodes * outWidth];
        dSelfDots = new float[nodes * heads];
        dNeighbourDots = new float[nodes * heads];
        dOut = new float[nodes * outWidth];
        dProjected = new float[projected.length];
        dAttention = new float[coefficients];
        aSelf = new float[heads * width];
        aNeighbour = new float[heads * width];
        dASelf = new float[heads * width];
        dANeighbour = new float[heads * width];
        draws = new KeepDraws(attentionDropout < 1 ? 1 - attentionDropout : 1);
    }

    /** Whether this pass fits {@code conf} on {@code graph} (else the layer builds another). */
    boolean fits(GraphAttention conf, SparseRows graph) {
        return graph == this.graph && conf.getHeads() == heads && conf.headWidth() == width && conf.getNOut() == outWidth
                && conf.isConcat() == concat && (float) conf.getNegativeSlope() == slope
                && conf.getAttentionDropout() == attentionDropout;
    }

    /**
     * {@code Σ_j α_ij P_j} per head (concatenated or averaged) for float projections {@code P [n, heads·width]}, the
     * coefficients dropped out in training with decisions from {@code random}; as a new float {@code [n, nOut]}.
     */
    INDArray forward(INDArray projections, INDArray selfVector, INDArray neighbourVector, boolean training,
                     SplittableRandom random) {
        RowLanes.read(projections, projected);
        RowLanes.read(selfVector, aSelf);
        RowLanes.read(neighbourVector, aNeighbour);
        int[] rowStart = graph.rowStart();
        int[] columns = graph.columns();
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < heads; k++) {
                int row = (i * heads + k) * width;
                selfDots[i * heads + k] = RowLanes.dot(projected, row, aSelf, k * width, width);
                neighbourDots[i * heads + k] = RowLanes.dot(projected, row, aNeighbour, k * width, width);
            }
        }
        for (int i = 0; i < nodes; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = columns[e];
                for (int k = 0; k < heads; k++) {
                    scores[e * heads + k] = selfDots[i * heads + k] + neighbourDots[j * heads + k];
                }
            }
        }
        softmax(rowStart);
        dropped = training && attentionDropout > 0;
        float[] coefficients = attention;
        if (dropped) {
            draws.draw(attention.length, random).scales(dropScales, attention.length, (float) (1 / (1 - attentionDropout)));
            for (int c = 0; c < attention.length; c++) {
                used[c] = attention[c] * dropScales[c];
            }
            coefficients = used;
        }
        Arrays.fill(out, 0f);
        for (int i = 0; i < nodes; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int from = columns[e] * heads * width;
                for (int k = 0; k < heads; k++) {
                    RowLanes.addScaled(coefficients[e * heads + k] * headScale, projected, from + k * width,
                            out, i * outWidth + (concat ? k * width : 0), width);
                }
            }
        }
        return RowLanes.array(out, nodes, outWidth);
    }

    /**
     * The gradient of the last training forward pass's projections for its output's gradient {@code dz}, as a new
     * float {@code [n, heads·width]} array; writes the attention vectors' gradients into their views.
     */
    INDArray backward(INDArray dz, INDArray dSelfVector, INDArray dNeighbourVector) {
        RowLanes.read(dz, dOut);
        int[] rowStart = graph.rowStart();
        int[] columns = graph.columns();
        float[] coefficients = dropped ? used : attention;
        Arrays.fill(dProjected, 0f);
        Arrays.fill(dSelfDots, 0f);
        Arrays.fill(dNeighbourDots, 0f);
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < heads; k++) {
                int at = i * outWidth + (concat ? k * width : 0);
                float weighted = 0f;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    int c = e * heads + k;
                    int from = (columns[e] * heads + k) * width;
                    float dUsed = RowLanes.dot(dOut, at, projected, from, width) * headScale;
                    RowLanes.addScaled(coefficients[c] * headScale, dOut, at, dProjected, from, width);
                    // Through the dropout: the coefficient used is α times its scale (1/keep or 0).
                    dAttention[c] = dropped ? dUsed * dropScales[c] : dUsed;
                    weighted += attention[c] * dAttention[c];
                }
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    int c = e * heads + k;
                    float dScore = attention[c] * (dAttention[c] - weighted);
                    float dRaw = scores[c] > 0 ? dScore : slope * dScore;
                    dSelfDots[i * heads + k] += dRaw;
                    dNeighbourDots[columns[e] * heads + k] += dRaw;
                }
            }
        }
        Arrays.fill(dASelf, 0f);
        Arrays.fill(dANeighbour, 0f);
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < heads; k++) {
                int row = (i * heads + k) * width;
                float dSelf = dSelfDots[i * heads + k];
                float dNeighbour = dNeighbourDots[i * heads + k];
                RowLanes.addScaled(dSelf, projected, row, dASelf, k * width, width);
                RowLanes.addScaled(dNeighbour, projected, row, dANeighbour, k * width, width);
                RowLanes.addScaled(dSelf, aSelf, k * width, dProjected, row, width);
                RowLanes.addScaled(dNeighbour, aNeighbour, k * width, dProjected, row, width);
            }
        }
        RowLanes.write(dASelf, dSelfVector);
        RowLanes.write(dANeighbour, dNeighbourVector);
        return RowLanes.array(dProjected, nodes, heads * width);
    }

    /** The attention (softmax, before dropout) of entry {@code e} in head {@code k} of the last forward pass. */
    double attention(int e, int k) {
        return attention[e * heads + k];
    }

    /**
     * {@code attention} = softmax over each node's neighbourhood, per head, of LeakyReLU({@code scores}): the leaky
     * ReLU and the exponentials in vector lanes over all coefficients, the maxima and sums per node and head.
     */
    private void softmax(int[] rowStart) {
        int count = scores.length;
        int bound = LANES.loopBound(count);
        int c = 0;
        for (; c < bound; c += LANES.length()) {
            FloatVector s = FloatVector.fromArray(LANES, scores, c);
            s.blend(s.mul(slope), s.compare(VectorOperators.LE, 0f)).intoArray(attention, c);
        }
        for (; c < count; c++) {
            attention[c] = scores[c] > 0 ? scores[c] : slope * scores[c];
        }
        for (int i = 0; i < nodes; i++) {
            int first = rowStart[i] * heads;
            int last = rowStart[i + 1] * heads;
            for (int k = 0; k < heads; k++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int at = first + k; at < last; at += heads) {
                    max = Math.max(max, attention[at]);
                }
                for (int at = first + k; at < last; at += heads) {
                    attention[at] -= max;
                }
            }
        }
        for (c = 0; c < bound; c += LANES.length()) {
            LaneExp.exp(FloatVector.fromArray(LANES, attention, c)).intoArray(attention, c);
        }
        for (; c < count; c++) {
            attention[c] = LaneExp.exp(attention[c]);
        }
        for (int i = 0; i < nodes; i++) {
            int first = rowStart[i] * heads;
            int last = rowStart[i + 1] * heads;
            for (int k = 0; k < heads; k++) {
                float sum = 0f;
                for (int at = first + k; at < last; at += heads) {
                    sum += attention[at];
                }
                float inverse = 1f / sum;
                for (int at = first + k; at < last; at += heads) {
                    attention[at] *= inverse;
                }
            }
        }
    }
}
