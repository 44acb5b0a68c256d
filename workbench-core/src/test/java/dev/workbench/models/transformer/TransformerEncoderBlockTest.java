package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.models.transformer.TransformerEncoderBlock.FeedForwardActivation;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The encoder block and positional embedding against a hand-written reference and finite differences. */
class TransformerEncoderBlockTest {
    private static final int D_MODEL = 4;
    private static final int HEADS = 2;
    private static final int FF = 8;
    private static final int STEPS = 3;
    private static final int BATCH = 2;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void floatPrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static MultiLayerNetwork blockOnly() {
        return blockOnly(false);
    }

    private static MultiLayerNetwork blockOnly(boolean causal) {
        return blockOnly(causal, false);
    }

    private static MultiLayerNetwork blockOnly(boolean causal, boolean preNorm) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new TransformerEncoderBlock(D_MODEL, HEADS, FF, FeedForwardActivation.RELU, causal).preNorm(preNorm))
                .setInputType(InputType.recurrent(D_MODEL, STEPS)).build());
        net.init();
        // Set, distinct weights of both signs, and layer-norm gains and biases away from 1 and 0.
        int k = 0;
        for (var p : net.getLayer(0).paramTable().entrySet()) {
            INDArray a = p.getValue();
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, 0.6 * Math.sin(0.7 * i + 1.3 * k) + (p.getKey().endsWith("Gain") ? 1 : 0));
            }
            k++;
        }
        return net;
    }

    @Test
    void outputEqualsHandComputedAttentionNormAndFeedForward() {
        MultiLayerNetwork net = blockOnly();
        double[][][] x = new double[BATCH][D_MODEL][STEPS];
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < D_MODEL; i++) {
                for (int t = 0; t < STEPS; t++) {
                    x[b][i][t] = Math.cos(1.1 * b + 0.9 * i + 0.5 * t * t);
                }
            }
        }
        INDArray out = net.output(Nd4j.createFromArray(x));
        double[][][] expected = new EncoderBlockReference(net.getLayer(0).paramTable(), D_MODEL, HEADS).forward(x, null);
        assertClose(expected, out);
    }

    @Test
    void paddedStepsAreNotAttendedTo() {
        MultiLayerNetwork net = blockOnly();
        double[][][] x = new double[BATCH][D_MODEL][STEPS];
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < D_MODEL; i++) {
                for (int t = 0; t < STEPS; t++) {
                    x[b][i][t] = Math.sin(0.3 + b - 0.8 * i * t);
                }
            }
        }
        double[][] mask = {{1, 1, 1}, {0, 1, 1}};
        INDArray out = net.output(Nd4j.createFromArray(x), false, Nd4j.createFromArray(mask), null);
        double[][][] expected = new EncoderBlockReference(net.getLayer(0).paramTable(), D_MODEL, HEADS).forward(x, mask);
        assertClose(expected, out);
    }

    /** {@code [batch][dModel][time]} inputs of distinct values. */
    private static double[][][] inputs() {
        double[][][] x = new double[BATCH][D_MODEL][STEPS];
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < D_MODEL; i++) {
                for (int t = 0; t < STEPS; t++) {
                    x[b][i][t] = Math.cos(0.4 + 1.7 * b - 0.6 * i + 0.9 * t);
                }
            }
        }
        return x;
    }

    @Test
    void attentionEqualsAHandComputedCase() {
        // One head of width 2, identity projections, no biases; steps x0 = (1, 0), x1 = (0, 1). The scores are
        // x_t · x_s / sqrt(2): query 0 gives [1/sqrt(2), 0], query 1 gives [0, 1/sqrt(2)].
        SameDiff sd = SameDiff.create();
        SDVariable rows = sd.constant(Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}}));
        java.util.Map<String, SDVariable> params = new java.util.HashMap<>();
        for (String w : new String[]{"Wq", "Wk", "Wv", "Wo"}) {
            params.put(w, sd.constant(Nd4j.eye(2).castTo(DataType.DOUBLE)));
        }
        for (String b : new String[]{"bq", "bk", "bv", "bo"}) {
            params.put(b, sd.constant(Nd4j.zeros(DataType.DOUBLE, 2)));
        }
        double near = Math.exp(1 / Math.sqrt(2)) / (1 + Math.exp(1 / Math.sqrt(2)));  // 0.66977: weight of the own step
        INDArray open = new SelfAttentionGraph(sd, 1, 2, 2, false).apply(rows, params, null).eval();
        assertArrayEquals(new double[]{near, 1 - near, 1 - near, near}, open.reshape(4).toDoubleVector(), 1e-12);
        // Causal: step 0 reads only itself (context x0), step 1 both steps as before.
        INDArray causal = new SelfAttentionGraph(sd, 1, 2, 2, true).apply(rows, params, null).eval();
        assertArrayEquals(new double[]{1, 0, 1 - near, near}, causal.reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void causalOutputEqualsHandComputedAttentionNormAndFeedForward() {
        MultiLayerNetwork net = blockOnly(true);
        double[][][] x = inputs();
        // Pre-padded, as the workbench pads sentences: the padded first step has only itself to read.
        double[][] mask = {{1, 1, 1}, {0, 1, 1}};
        INDArray out = net.output(Nd4j.createFromArray(x), false, Nd4j.createFromArray(mask), null);
        assertClose(new EncoderBlockReference(net.getLayer(0).paramTable(), D_MODEL, HEADS).forward(x, mask, true), out);
    }

    @Test
    void preNormCausalOutputEqualsHandComputedAttentionNormAndFeedForward() {
        MultiLayerNetwork net = blockOnly(true, true);
        double[][][] x = inputs();
        double[][] mask = {{1, 1, 1}, {0, 1, 1}};
        INDArray out = net.output(Nd4j.createFromArray(x), false, Nd4j.createFromArray(mask), null);
        assertClose(new EncoderBlockReference(net.getLayer(0).paramTable(), D_MODEL, HEADS).forward(x, mask, true, true), out);
    }

    @Test
    void changingALaterStepLeavesEveryEarlierOutputBitIdentical() {
        MultiLayerNetwork net = blockOnly(true);
        double[][][] x = inputs();
        INDArray before = net.output(Nd4j.createFromArray(x)).dup();
        for (int i = 0; i < D_MODEL; i++) {
            x[0][i][STEPS - 1] += 3.0 + i;
            x[1][i][1] -= 2.0;
        }
        INDArray after = net.output(Nd4j.createFromArray(x));
        for (int i = 0; i < D_MODEL; i++) {
            for (int t = 0; t < STEPS - 1; t++) {
                assertEquals(before.getDouble(0, i, t), after.getDouble(0, i, t), 0.0, "example 0 [" + i + ", " + t + "]");
            }
            assertEquals(before.getDouble(1, i, 0), after.getDouble(1, i, 0), 0.0, "example 1 [" + i + ", 0]");
        }
        assertTrue(before.getDouble(0, 0, STEPS - 1) != after.getDouble(0, 0, STEPS - 1), "the changed step itself changes");
    }

    @Test
    void changingAPaddedStepChangesNoRealStep() {
        MultiLayerNetwork net = blockOnly();
        double[][][] x = inputs();
        INDArray mask = Nd4j.createFromArray(new double[][]{{0, 1, 1}, {0, 0, 1}});
        INDArray before = net.output(Nd4j.createFromArray(x), false, mask, null).dup();
        for (int i = 0; i < D_MODEL; i++) {
            x[0][i][0] = 5.0 - i;
            x[1][i][1] = -4.0 * i;
        }
        INDArray after = net.output(Nd4j.createFromArray(x), false, mask, null);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                if (mask.getDouble(b, t) == 1) {
                    for (int i = 0; i < D_MODEL; i++) {
                        assertEquals(before.getDouble(b, i, t), after.getDouble(b, i, t), 0.0, "[" + b + ", " + i + ", " + t + "]");
                    }
                }
            }
        }
    }

    @Test
    void causalGradientsMatchFiniteDifferences() {
        causalStackGradientsMatchFiniteDifferences(new LearnedPositionalEmbedding(STEPS), false);
    }

    @Test
    void decoderStackGradientsMatchFiniteDifferences() {
        // The gpt architecture's parts: sinusoidal positions, pre-LN causal blocks, the final layer norm.
        causalStackGradientsMatchFiniteDifferences(new SinusoidalPositionalEncoding(STEPS), true);
    }

    private static void causalStackGradientsMatchFiniteDifferences(PositionalEncoding positions, boolean preNorm) {
        var list = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(5).nOut(D_MODEL).inputLength(STEPS).build())
                .layer(positions)
                .layer(new TransformerEncoderBlock(D_MODEL, HEADS, FF, FeedForwardActivation.GELU, true).preNorm(preNorm))
                .layer(new TransformerEncoderBlock(D_MODEL, HEADS, FF, FeedForwardActivation.RELU, true).preNorm(preNorm));
        if (preNorm) {
            list.layer(new SequenceLayerNorm());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(5).build())
                .setInputType(InputType.recurrent(1, STEPS)).overrideNinUponBuild(false).build());
        net.init();
        INDArray ids = Nd4j.createFromArray(new double[][][]{{{1, 4, 2}}, {{0, 3, 3}}});
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, 5, STEPS);
        double[][] next = {{4, 2, 0}, {3, 3, 1}};
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(b, (int) next[b][t], t, 1.0);
            }
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(ids).labels(labels)
                .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-9)));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int vocabulary = 5;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(D_MODEL).inputLength(STEPS).build())
                .layer(new LearnedPositionalEmbedding(STEPS))
                .layer(new TransformerEncoderBlock(D_MODEL, HEADS, FF, FeedForwardActivation.GELU))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1, STEPS)).overrideNinUponBuild(false).build());
        net.init();
        INDArray ids = Nd4j.createFromArray(new double[][][]{{{1, 4, 2}}, {{0, 3, 3}}});
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}});
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 1}, {0, 1, 1}});
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(ids).labels(labels)
                .inputMask(mask).epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-9)));
    }

    private static void assertClose(double[][][] expected, INDArray actual) {
        for (int b = 0; b < expected.length; b++) {
            for (int i = 0; i < expected[b].length; i++) {
                for (int t = 0; t < expected[b][i].length; t++) {
                    assertEquals(expected[b][i][t], actual.getDouble(b, i, t), 1e-9, "[" + b + ", " + i + ", " + t + "]");
                }
            }
        }
    }
}
