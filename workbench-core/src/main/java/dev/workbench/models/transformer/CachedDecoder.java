package dev.workbench.models.transformer;

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

import dev.workbench.generate.NextTokenModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained {@code gpt} decoder read one token at a time with a key/value cache: each block keeps the keys and
 * values of the tokens read so far, so a new token costs one pass of its own row through every block (its query
 * against the cached keys) instead of a pass over the whole window; generating N tokens costs O(N) block passes.
 * The function is the network's (the same parameters and formulas as the blocks' SameDiff graph, layer norm
 * without epsilon as libnd4j's, GELU in ND4J's sigmoid form), in double precision.
 * <p>Positions exist up to the training window ({@code context}): when the cache is full, it starts again from the
 * last {@code context / 2} tokens, re-read in one go, so every token still reads at least half a window and the cost
 * stays at most two block passes per token.
 */
public final class CachedDecoder implements NextTokenModel {
    private final double[][] embedding;   // [vocabulary][d]
    private final double[][] positions;   // [context][d]
    private final List<Block> blocks = new ArrayList<>();
    private final Norm finalNorm;         // after pre-LN blocks, null otherwise
    private final double[][] head;        // [d][vocabulary]
    private final double[] headBias;
    private final int context;
    private final int[] cached;           // the tokens at cache positions 0..size-1
    private int size;

    private CachedDecoder(MultiLayerNetwork net, int context) {
        double[][] table = null;
        double[][] pos = null;
        Norm norm = null;
        double[][] out = null;
        double[] outBias = null;
        boolean tied = false;
        for (Layer layer : net.getLayers()) {
            var conf = layer.conf().getLayer();
            if (conf instanceof TiedTokenEmbedding) {
                tied = true;  // its table is the head's weights, read below
            } else if (conf instanceof EmbeddingSequenceLayer) {
                table = matrix(layer.getParam("W"));
            } else if (conf instanceof LearnedPositionalEmbedding) {
                pos = matrix(layer.getParam(LearnedPositionalEmbedding.POSITIONS).transpose());
            } else if (conf instanceof SinusoidalPositionalEncoding sinusoidal) {
                pos = matrix(SinusoidalPositionalEncoding.table(DataType.DOUBLE, sinusoidal.getFeatures(),
                        sinusoidal.getLength()).transpose());
            } else if (conf instanceof TransformerEncoderBlock block && block.isCausal()) {
                blocks.add(new Block(block, layer.paramTable(), context));
            } else if (conf instanceof SequenceLayerNorm) {
                norm = new Norm(layer.getParam(SequenceLayerNorm.GAIN), layer.getParam(SequenceLayerNorm.BIAS));
            } else if (conf instanceof RnnOutputLayer output && output.getActivationFn() instanceof ActivationSoftmax) {
                out = matrix(layer.getParam("W"));
                outBias = layer.getParam("b").castTo(DataType.DOUBLE).toDoubleVector();
                if (tied) {
                    table = matrix(layer.getParam("W").transpose());
                }
            } else if (!(conf instanceof DropoutLayer)) {  // dropout is off at inference
                throw new IllegalArgumentException("CachedDecoder: layer " + layer.getIndex() + " ("
                        + conf.getClass().getSimpleName() + ") is not part of a gpt decoder");
            }
        }
        if (table == null || pos == null || blocks.isEmpty() || out == null) {
            throw new IllegalArgumentException("CachedDecoder: the network is not a gpt decoder (embedding, positions, "
                    + "causal blocks, softmax output)");
        }
        if (pos.length < context) {
            throw new IllegalArgumentException("CachedDecoder: positions cover " + pos.length + " steps, context is " + context);
        }
        this.embedding = table;
        this.positions = pos;
        this.finalNorm = norm;
        this.head = out;
        this.headBias = outBias;
        this.context = context;
        this.cached = new int[context];
    }

    /** A reader of {@code net}, a gpt decoder trained on windows of {@code context} tokens. */
    public static CachedDecoder of(MultiLayerNetwork net, int context) {
        return new CachedDecoder(net, context);
    }

    @Override
    public double[] read(int... tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("read: no tokens");
        }
        double[] last = null;
        for (int token : tokens) {
            if (size == context) {
                restart();
            }
            last = step(token);
        }
        return probabilities(last);
    }

    /** Empties the cache and re-reads its last {@code context / 2} tokens. */
    private void restart() {
        int keep = context / 2;
        int[] kept = java.util.Arrays.copyOfRange(cached, size - keep, size);
        size = 0;
        for (int token : kept) {
            step(token);
        }
    }

    /** Reads one token at the next cache position; returns the last block's output row for it. */
    private double[] step(int token) {
        if (token < 0 || token >= embedding.length) {
            throw new IllegalArgumentException("CachedDecoder: token id " + token + " outside the vocabulary of " + embedding.length);
        }
        double[] x = add(embedding[token], positions[size]);
        for (Block block : blocks) {
            x = block.step(x, size);
        }
        cached[size++] = token;
        return x;
    }

    private double[] probabilities(double[] x) {
        double[] logits = linear(finalNorm == null ? x : finalNorm.apply(x), head, headBias);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.exp(logits[i] - max);
            sum += logits[i];
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= sum;
        }
        return logits;
    }

    /** One causal block with its cache of keys and values, {@code [context][d]} each. */
    private static final class Block {
        private final int d;
        private final int heads;
        private final boolean preNorm;
        private final boolean gelu;
        private final double[][] wq, wk, wv, wo, w1, w2;
        private final double[] bq, bk, bv, bo, b1, b2;
        private final Norm norm1, norm2;
        private final double[][] keys, values;

        Block(TransformerEncoderBlock conf, Map<String, INDArray> p, int context) {
            d = (int) conf.getDModel();
            heads = conf.getHeads();
            preNorm = conf.isPreNorm();
            gelu = conf.getActivation() == TransformerEncoderBlock.FeedForwardActivation.GELU;
            wq = matrix(p.get(QUERY_WEIGHTS));
            wk = matrix(p.get(KEY_WEIGHTS));
            wv = matrix(p.get(VALUE_WEIGHTS));
            wo = matrix(p.get(OUTPUT_WEIGHTS));
            w1 = matrix(p.get(FF1_WEIGHTS));
            w2 = matrix(p.get(FF2_WEIGHTS));
            bq = vector(p.get(QUERY_BIAS));
            bk = vector(p.get(KEY_BIAS));
            bv = vector(p.get(VALUE_BIAS));
            bo = vector(p.get(OUTPUT_BIAS));
            b1 = vector(p.get(FF1_BIAS));
            b2 = vector(p.get(FF2_BIAS));
            norm1 = new Norm(p.get(NORM1_GAIN), p.get(NORM1_BIAS));
            norm2 = new Norm(p.get(NORM2_GAIN), p.get(NORM2_BIAS));
            keys = new double[context][];
            values = new double[context][];
        }

        /** The block's output row for input row {@code x} at position {@code t}, caching its key and value. */
        double[] step(double[] x, int t) {
            if (preNorm) {
                double[] h = add(x, attend(norm1.apply(x), t));
                return add(h, feedForward(norm2.apply(h)));
            }
            double[] h = norm1.apply(add(x, attend(x, t)));
            return norm2.apply(add(h, feedForward(h)));
        }

        private double[] attend(double[] x, int t) {
            int width = d / heads;
            double scale = 1.0 / Math.sqrt(width);
            double[] q = linear(x, wq, bq);
            for (int i = 0; i < d; i++) {
                q[i] *= scale;  // as the graph scales the query after its bias
            }
            keys[t] = linear(x, wk, bk);
            values[t] = linear(x, wv, bv);
            double[] joined = new double[d];
            double[] weights = new double[t + 1];
            for (int h = 0; h < heads; h++) {
                int from = h * width;
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int j = from; j < from + width; j++) {
                        dot += q[j] * keys[s][j];
                    }
                    weights[s] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    weights[s] = Math.exp(weights[s] - max);
                    sum += weights[s];
                }
                for (int s = 0; s <= t; s++) {
                    double w = weights[s] / sum;
                    for (int j = from; j < from + width; j++) {
                        joined[j] += w * values[s][j];
                    }
                }
            }
            return linear(joined, wo, bo);
        }

        private double[] feedForward(double[] x) {
            double[] hidden = linear(x, w1, b1);
            for (int j = 0; j < hidden.length; j++) {
                double v = hidden[j];
                // ND4J's GELU is the sigmoid form x * sigmoid(1.702 x).
                hidden[j] = gelu ? v / (1 + Math.exp(-1.702 * v)) : Math.max(0, v);
            }
            return linear(hidden, w2, b2);
        }
    }

    /** Layer norm over one row: population variance, no epsilon (as libnd4j's layer_norm), then gain and bias. */
    private record Norm(double[] gain, double[] bias) {
        Norm(INDArray gain, INDArray bias) {
            this(vector(gain), vector(bias));
        }

        double[] apply(double[] x) {
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            double variance = 0;
            for (double v : x) {
                variance += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(variance / x.length);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (x[i] - mean) / std * gain[i] + bias[i];
            }
            return y;
        }
    }

    /** {@code x W + b} with W stored {@code [in][out]}. */
    private static double[] linear(double[] x, double[][] w, double[] b) {
        double[] y = b.clone();
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double[] row = w[i];
            for (int o = 0; o < y.length; o++) {
                y[o] += xi * row[o];
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    private static double[][] matrix(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static double[] vector(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleVector();
    }
}
