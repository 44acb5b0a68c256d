package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.models.transformer.TransformerEncoderBlock.FeedForwardActivation;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Dropout on attention probabilities and residual paths inside the block: its masks, training and inference. */
class BlockDropoutTest {
    private static final int D_MODEL = 4;
    private static final int STEPS = 3;

    @Test
    void aMaskDropsTheRateAndScalesWhatItKeeps() {
        Nd4j.getRandom().setSeed(11);
        INDArray mask = BlockDropoutRuntime.draw(0.25, DataType.FLOAT, 200, 100);
        double dropped = mask.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        // 20,000 draws: the standard error of the fraction is 0.0031; 4 of them either side.
        assertEquals(0.25, dropped, 4 * Math.sqrt(0.25 * 0.75 / 20_000));
        float kept = (float) (1 / 0.75);
        for (float v : mask.reshape(-1).toFloatVector()) {
            assertTrue(v == 0f || v == kept, "mask value " + v);
        }
    }

    /** Block (with the given dropout) + per-step output, double precision, the same weights for the same seed. */
    private static MultiLayerNetwork net(double attention, double residual, boolean causal, boolean preNorm) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new TransformerEncoderBlock(D_MODEL, 2, 8, FeedForwardActivation.GELU, causal).preNorm(preNorm)
                        .dropout(attention, residual))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(2).build())
                .setInputType(InputType.recurrent(D_MODEL, STEPS)).build());
        net.init();
        return net;
    }

    private static DataSet data() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, -1.5, 0.13, 2 * D_MODEL * STEPS).reshape(2, D_MODEL, STEPS);
        INDArray y = Nd4j.linspace(DataType.DOUBLE, 1.0, -0.21, 2 * 2 * STEPS).reshape(2, 2, STEPS);
        return new DataSet(x, y);
    }

    @ParameterizedTest
    @CsvSource({"false, false", "true, true"})
    void inferenceDropsNothing(boolean causal, boolean preNorm) {
        MultiLayerNetwork plain = net(0, 0, causal, preNorm);
        MultiLayerNetwork dropping = net(0.3, 0.2, causal, preNorm);
        dropping.setParams(plain.params());
        INDArray x = data().getFeatures();
        assertEquals(plain.output(x), dropping.output(x), "bit-identical to the block without dropout");
        assertEquals(plain.output(x), dropping.output(x), "and again after a pass");
    }

    @ParameterizedTest
    @CsvSource({"0.0, 0.0", "0.3, 0.0", "0.0, 0.3", "0.3, 0.2"})  // the first: the same check without dropout
    void backpropUsesTheMasksOfItsForwardPass(double attention, double residual) {
        MultiLayerNetwork net = net(attention, residual, true, true);
        DataSet data = data();
        Nd4j.getRandom().setSeed(7);
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        INDArray gradient = net.gradient().gradient().dup();
        INDArray params = net.params();
        double eps = 1e-6;
        int checked = 0;
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            params.putScalar(i, original + eps);
            double plus = scoreWithDraw(net, data, 7);
            params.putScalar(i, original - eps);
            double minus = scoreWithDraw(net, data, 7);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * eps);
            // DL4J's gradient sums over the minibatch (its updater divides by the batch size); the score is the mean.
            double analytic = gradient.getDouble(i) / data.numExamples();
            assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric), "parameter " + i);
            checked += numeric != 0 ? 1 : 0;
        }
        assertTrue(checked > params.length() / 2, checked + " of " + params.length() + " gradients are non-zero");
        if (attention + residual > 0) {
            assertNotEquals(scoreWithDraw(net, data, 7), scoreWithDraw(net, data, 8), "another draw drops other units");
        }
    }

    /** The training loss with the masks that the random stream seeded by {@code seed} draws. */
    private static double scoreWithDraw(MultiLayerNetwork net, DataSet data, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return net.score(data, true);
    }

    @Test
    void aGptWithBlockDropoutLearnsAndPredictsDeterministically(@TempDir Path dir) throws Exception {
        Network gpt = GptFamilyTest.build(Map.of("attention_dropout", 0.1, "residual_dropout", 0.1));
        DataSet batch = TestWorkbench.firstRows(GptFamilyTest.SHAKESPEARE.train(), 12);
        gpt.fit(batch);
        double first = gpt.score();
        for (int i = 0; i < 30; i++) {
            gpt.fit(batch);
        }
        assertTrue(gpt.score() < 0.8 * first, "loss " + first + " -> " + gpt.score());
        INDArray out = gpt.output(batch.getFeatures()).dup();
        assertEquals(out, gpt.output(batch.getFeatures()), "no dropout at inference");
        Network loaded = TestWorkbench.savedAndLoaded(gpt, dir.resolve("model.zip"));
        assertEquals(out, loaded.output(batch.getFeatures()));
        TransformerEncoderBlock block = (TransformerEncoderBlock) ((MultiLayerNetwork) loaded.model()).getLayer(2)
                .conf().getLayer();
        assertEquals(0.1, block.getAttentionDropout());
        assertEquals(0.1, block.getResidualDropout());
    }
}
