package dev.workbench.models.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A graph attention layer (Veličković et al. 2018): per head, each node attends over its neighbourhood (itself
 * included) with {@code α_ij = softmax_j(LeakyReLU(a_selfᵀ W h_i + a_neighbourᵀ W h_j))} and takes
 * {@code Σ_j α_ij W h_j}; the heads are concatenated ({@code nOut = heads × head width}) or averaged
 * ({@code nOut} = head width, the paper's output layer), then bias and activation. Dropout, when set, drops the
 * input features; {@code attentionDropout} drops attention coefficients in training, as the paper does.
 */
public class GraphAttention extends GraphLayerConfiguration {
    private int heads = 1;
    private boolean concat = true;
    private double attentionDropout;
    private double negativeSlope = 0.2;

    /** For Jackson. */
    public GraphAttention() {
    }

    private GraphAttention(Builder builder) {
        super(builder);
        this.heads = builder.heads;
        this.concat = builder.concat;
        this.attentionDropout = builder.attentionDropout;
    }

    /** Width of one head's output. */
    public long headWidth() {
        return concat ? getNOut() / heads : getNOut();
    }

    /** Width of all heads' projections side by side. */
    public long projectedWidth() {
        return heads * headWidth();
    }

    @Override
    Layer runtimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new GraphAttentionLayer(conf, dataType);
    }

    @Override
    public ParamInitializer initializer() {
        return GraphAttentionParams.INSTANCE;
    }

    @Override
    long workingWidth() {
        return projectedWidth();
    }

    public int getHeads() {
        return heads;
    }

    public void setHeads(int heads) {
        this.heads = heads;
    }

    public boolean isConcat() {
        return concat;
    }

    public void setConcat(boolean concat) {
        this.concat = concat;
    }

    public double getAttentionDropout() {
        return attentionDropout;
    }

    public void setAttentionDropout(double attentionDropout) {
        this.attentionDropout = attentionDropout;
    }

    public double getNegativeSlope() {
        return negativeSlope;
    }

    public void setNegativeSlope(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    // Lombok's equals in DL4J's layers ignores subclass fields.
    @Override
    public boolean equals(Object o) {
        return o instanceof GraphAttention other && other.heads == heads && other.concat == concat
                && other.attentionDropout == attentionDropout && other.negativeSlope == negativeSlope && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), heads, concat, attentionDropout, negativeSlope);
    }

    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int heads = 1;
        private boolean concat = true;
        private double attentionDropout;

        /** Attention heads, concatenated ({@code concat}) or averaged. */
        public Builder heads(int heads, boolean concat) {
            this.heads = heads;
            this.concat = concat;
            return this;
        }

        /** The probability of dropping each attention coefficient in training (0 = off). */
        public Builder attentionDropout(double probability) {
            this.attentionDropout = probability;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GraphAttention build() {
            if (concat && nOut % heads != 0) {
                throw new IllegalArgumentException("GraphAttention: nOut " + nOut + " does not split into " + heads
                        + " concatenated heads");
            }
            return new GraphAttention(this);
        }
    }
}
