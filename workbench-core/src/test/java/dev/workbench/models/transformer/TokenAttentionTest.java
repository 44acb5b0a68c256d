package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Attention maps are the probabilities the blocks really weigh their values with: the block's SameDiff definition
 * against a computation by hand (a small block, and the first block of an encoder trained on real reviews), rows that
 * sum to 1, the decoder's causal zeros, the padding mask's zeros.
 */
class TokenAttentionTest {
    private static final ModelFactory ENCODER = ModelRegistry.builtIn().get("transformer", "encoder");

    /** softmax((x Wq + bq)(x Wk + bk)ᵀ / √d_head) per head, forbidden keys left out, in double; x normed if pre-LN. */
    private static double[][][] byHand(double[][] x, Map<String, INDArray> p, int heads, boolean preNorm,
                                       java.util.function.BiPredicate<Integer, Integer> allowed) {
        int steps = x.length;
        int d = x[0].length;
        int dHead = d / heads;
        double[][] in = preNorm ? normed(x, p.get(TransformerEncoderBlock.NORM1_GAIN), p.get(TransformerEncoderBlock.NORM1_BIAS)) : x;
        double[][] q = linear(in, p.get(TransformerEncoderBlock.QUERY_WEIGHTS), p.get(TransformerEncoderBlock.QUERY_BIAS));
        double[][] k = linear(in, p.get(TransformerEncoderBlock.KEY_WEIGHTS), p.get(TransformerEncoderBlock.KEY_BIAS));
        double[][][] out = new double[heads][steps][steps];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < steps; t++) {
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    if (allowed.test(t, s)) {
                        double score = 0;
                        for (int f = h * dHead; f < (h + 1) * dHead; f++) {
                            score += q[t][f] * k[s][f];
                        }
                        out[h][t][s] = Math.exp(score / Math.sqrt(dHead));
                        sum += out[h][t][s];
                    }
                }
                for (int s = 0; s < steps; s++) {
                    out[h][t][s] /= sum;
                }
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, INDArray w, INDArray b) {
        double[][] weights = w.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] bias = b.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[][] out = new double[x.length][bias.length];
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < bias.length; j++) {
                out[t][j] = bias[j];
                for (int i = 0; i < x[t].length; i++) {
                    out[t][j] += x[t][i] * weights[i][j];
                }
            }
        }
        return out;
    }

    /** Layer norm as libnd4j's: population standard deviation, no epsilon. */
    private static double[][] normed(double[][] x, INDArray gain, INDArray bias) {
        double[] g = gain.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] b = bias.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = java.util.Arrays.stream(x[t]).average().orElseThrow();
            double variance = java.util.Arrays.stream(x[t]).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = (x[t][i] - mean) / Math.sqrt(variance) * g[i] + b[i];
            }
        }
        return out;
    }

    private static void assertClose(double[][][] expected, double[][][] actual, double tolerance) {
        for (int h = 0; h < expected.length; h++) {
            for (int t = 0; t < expected[h].length; t++) {
                for (int s = 0; s < expected[h][t].length; s++) {
                    assertEquals(expected[h][t][s], actual[h][t][s], tolerance, "head " + h + ", query " + t + ", key " + s);
                }
            }
        }
    }

    /** A block of width 4, 2 heads, over 3 steps whose last is padding (mask 1 1 0), or causal without a mask. */
    @ParameterizedTest
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void aSmallBlocksProbabilitiesAreTheScaledDotProductSoftmaxComputedByHand(boolean causal, boolean preNorm) {
        TransformerEncoderBlock block = new TransformerEncoderBlock(4, 2, 8, TransformerEncoderBlock.FeedForwardActivation.RELU,
                causal).preNorm(preNorm);
        Nd4j.getRandom().setSeed(11);
        Map<String, INDArray> params = new HashMap<>();
        for (String w : List.of(TransformerEncoderBlock.QUERY_WEIGHTS, TransformerEncoderBlock.KEY_WEIGHTS)) {
            params.put(w, Nd4j.randn(DataType.FLOAT, 4, 4));
        }
        for (String b : List.of(TransformerEncoderBlock.QUERY_BIAS, TransformerEncoderBlock.KEY_BIAS,
                TransformerEncoderBlock.NORM1_BIAS)) {
            params.put(b, Nd4j.randn(DataType.FLOAT, 4).muli(0.5));
        }
        params.put(TransformerEncoderBlock.NORM1_GAIN, Nd4j.createFromArray(new float[]{1.5f, 0.5f, 1f, 2f}));
        double[][] x = {{0.5, -1.0, 2.0, 0.1}, {1.5, 0.3, -0.7, 0.9}, {-0.4, 0.8, 0.2, -1.2}};
        INDArray input = Nd4j.create(x).castTo(DataType.FLOAT).transpose().reshape(1, 4, 3);  // [batch, dModel, time]
        INDArray mask = causal ? null : Nd4j.createFromArray(new float[][]{{1, 1, 0}});

        double[][][] attention = TokenAttention.probabilities(block, params, input, mask);

        double[][][] expected = byHand(x, params, 2, preNorm,
                (t, s) -> AttentionMasks.allowed(t, s, causal || s != 2, causal));
        assertClose(expected, attention, 1e-6);
        for (double[][] head : attention) {
            if (causal) {
                assertEquals(0.0, head[0][1]);
                assertEquals(0.0, head[1][2]);
            } else {
                assertEquals(0.0, head[0][2], "a token reads no padding");
                assertEquals(0.0, head[1][2]);
            }
        }
    }

    private static DataSplits reviews() {
        return DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32, new SplitSpec(0.15, 0.2),
                "none", List.of(), null, 16, null, null), 7, DataLocations.fromEnvironment());
    }

    private static Network encoder(DataSplits data, boolean paddingMask) {
        Hyperparameters hp = Hyperparameters.resolve(ENCODER.hyperparameters(), Map.of("d_model", 16, "heads", 2, "ff", 32,
                "layers", 2, "dropout", 0.0, "padding_mask", paddingMask));
        Network network = ENCODER.build(new ModelContext(data.info(), hp, new BaseConfiguration(3,
                new TrainingSpec(1, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
        for (int i = 0; i < 3; i++) {
            network.fit(TestWorkbench.firstRows(data.train(), 64));
        }
        return network;
    }

    /**
     * A padding-masked encoder trained on real reviews, over a review sentence padded in front: the first block's map
     * is what the embedding and position tables give by hand, every word reads no padding, every row sums to 1; the
     * same network without its mask does read the padding.
     */
    @Test
    void aPaddedReviewsMapsMatchTheEncodersOwnWeightsAndSkipPadding() {
        DataSplits reviews = reviews();
        Network masked = encoder(reviews, true);
        TokenAttention attention = TokenAttention.of(masked, reviews.vocabulary(), "The food was great, the service slow.", 16);

        assertEquals(Collections.nCopies(9, "<pad>"), attention.tokens().subList(0, 9));
        assertEquals(List.of("the", "food", "was", "great", "the", "service"), attention.tokens().subList(9, 15));
        assertEquals(2, attention.weights().length, "layers");
        assertEquals(2, attention.weights()[0].length, "heads");
        MultiLayerNetwork net = (MultiLayerNetwork) masked.model();
        int[] ids = java.util.Arrays.stream(new String[]{"the", "food", "was", "great", "the", "service", "slow"})
                .mapToInt(reviews.vocabulary()::id).toArray();
        double[][] table = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] positions = net.getLayer(1).getParam(LearnedPositionalEmbedding.POSITIONS).castTo(DataType.DOUBLE)
                .toDoubleMatrix();  // [features, length]
        INDArray embeddingBias = net.getLayer(0).paramTable().get("b");
        double[] bias = embeddingBias == null ? new double[16] : embeddingBias.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[][] x = new double[16][16];
        for (int t = 0; t < 16; t++) {
            for (int f = 0; f < 16; f++) {
                // The embedding layer zeroes padded steps under the mask: a pad is its position alone.
                x[t][f] = (t < 9 ? 0 : table[ids[t - 9]][f] + bias[f]) + positions[f][t];
            }
        }
        double[][][] expected = byHand(x, net.getLayer(2).paramTable(), 2, false,
                (t, s) -> AttentionMasks.allowed(t, s, s >= 9, false));
        assertClose(expected, attention.weights()[0], 1e-5);
        for (double[][][] layer : attention.weights()) {
            for (double[][] head : layer) {
                for (int t = 0; t < 16; t++) {
                    assertEquals(1.0, java.util.Arrays.stream(head[t]).sum(), 1e-5, "row " + t);
                    for (int s = 0; s < 9; s++) {
                        if (t >= 9) {
                            assertEquals(0.0, head[t][s], "word " + t + " reads pad " + s);
                        }
                    }
                }
            }
        }
        TokenAttention unmasked = TokenAttention.of(encoder(reviews, false), reviews.vocabulary(),
                "The food was great, the service slow.", 16);
        assertTrue(unmasked.weights()[0][0][15][0] > 0, "without the mask a word reads the padding");
    }

    /**
     * A decoder on real Tiny Shakespeare: every layer and head, rows summing to 1 and exactly 0 above the diagonal; a
     * text's map is the top-left corner of the map of a longer text that starts with it (later characters change
     * nothing earlier).
     */
    @Test
    void aDecodersMapsAreCausal() {
        Network gpt = GptFamilyTest.build(Map.of("norm", "pre"));
        for (int i = 0; i < 3; i++) {
            gpt.fit(TestWorkbench.firstRows(GptFamilyTest.SHAKESPEARE.train(), 12));
        }
        INDArray window = GptFamilyTest.SHAKESPEARE.test().getFeatures().get(NDArrayIndex.interval(0, 1),
                NDArrayIndex.all(), NDArrayIndex.all());
        TokenAttention attention = TokenAttention.of(gpt, window,
                TokenAttention.names(GptFamilyTest.SHAKESPEARE.vocabulary(), window), 16);
        assertEquals(2, attention.weights().length, "layers");
        for (double[][][] layer : attention.weights()) {
            assertEquals(4, layer.length, "heads");
            for (double[][] head : layer) {
                for (int t = 0; t < 16; t++) {
                    assertEquals(1.0, java.util.Arrays.stream(head[t]).sum(), 1e-5);
                    for (int s = t + 1; s < 16; s++) {
                        assertEquals(0.0, head[t][s], "query " + t + " reads the later key " + s);
                    }
                }
            }
        }
        TokenAttention prefix = TokenAttention.of(gpt, GptFamilyTest.SHAKESPEARE.vocabulary(), "ROMEO:", 16);
        TokenAttention longer = TokenAttention.of(gpt, GptFamilyTest.SHAKESPEARE.vocabulary(), "ROMEO: what", 16);
        assertEquals(List.of("R", "O", "M", "E", "O", ":"), prefix.tokens());
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 4; h++) {
                for (int t = 0; t < 6; t++) {
                    for (int s = 0; s < 6; s++) {
                        assertEquals(prefix.weights()[l][h][t][s], longer.weights()[l][h][t][s], 1e-7);
                    }
                }
            }
        }
    }
}
