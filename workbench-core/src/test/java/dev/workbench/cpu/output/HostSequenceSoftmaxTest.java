package dev.workbench.cpu.output;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The host sequence softmax is DL4J's RnnOutputLayer in training: next-word prediction over 16 real, pre-padded
 * review sentences (every word predicts the one after it, over the whole vocabulary) gives DL4J's score and every
 * gradient (the embedding's too, which only the head's input gradient reaches), with and without the padding mask on
 * the labels, and the same parameters after 5 Adam steps; another loss keeps DL4J's path.
 */
class HostSequenceSoftmaxTest {
    private static final int STEPS = 20;
    private static final DataSplits REVIEWS = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 16,
            new SplitSpec(0.15, 0.2), "none", List.of(), null, STEPS, null, null), 5, DataLocations.fromEnvironment());
    private static final int VOCABULARY = REVIEWS.info().input().vocabulary();

    private static MultiLayerNetwork network(LossFunction loss, Activation activation, UnaryOperator<RnnOutputLayer> head) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(12).inputLength(STEPS).build())
                .layer(head.apply(new RnnOutputLayer.Builder(loss).activation(activation).nOut(VOCABULARY).build()))
                .setInputType(InputType.recurrent(1, STEPS)).overrideNinUponBuild(false).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair(LossFunction loss, Activation activation) {
        MultiLayerNetwork dl4j = network(loss, activation, l -> l);
        MultiLayerNetwork host = network(loss, activation, HostSequenceSoftmax::of);
        host.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, host};
    }

    /** Each word labelled with the next one (the last with itself), one-hot [batch, vocabulary, time]. */
    private static DataSet nextWords(boolean masked) {
        INDArray ids = TestWorkbench.firstRows(REVIEWS.train(), 16).getFeatures().reshape(16, STEPS);
        float[] words = ids.castTo(DataType.FLOAT).dup('c').data().asFloat();
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, VOCABULARY, STEPS);
        for (int b = 0; b < 16; b++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(new long[]{b, (long) words[b * STEPS + Math.min(t + 1, STEPS - 1)], t}, 1f);
            }
        }
        INDArray mask = ids.neq(0).castTo(DataType.FLOAT);
        assertTrue(mask.sumNumber().doubleValue() < mask.length(), "some padding");
        return new DataSet(ids.reshape(16, 1, STEPS), labels, null, masked ? mask : null);
    }

    private static Gradient gradient(MultiLayerNetwork net, DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(null, batch.getLabelsMaskArray());
        net.computeGradientAndScore();
        return net.gradient();
    }

    private static void assertSameScoreAndGradients(MultiLayerNetwork[] nets, DataSet batch) {
        Gradient want = gradient(nets[0], batch);
        Gradient got = gradient(nets[1], batch);
        assertSameGradients(want, got, 1e-5);
        assertEquals(nets[0].score(), nets[1].score(), 1e-5 * nets[0].score(), "score");
    }

    @Test
    void sameScoreAndGradientsAsDl4j() {
        MultiLayerNetwork[] nets = pair(LossFunction.MCXENT, Activation.SOFTMAX);
        assertInstanceOf(HostSequenceSoftmaxLayer.class, nets[1].getLayer(1));
        assertSameScoreAndGradients(nets, nextWords(false));
        assertInstanceOf(HostSequenceSoftmax.class, TestWorkbench.savedAndRestored(nets[1]).getConf(1).getLayer());
    }

    @Test
    void paddingMaskWeighsTheLossAndGradientsAsDl4jDoes() {
        assertSameScoreAndGradients(pair(LossFunction.MCXENT, Activation.SOFTMAX), nextWords(true));
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork[] nets = pair(LossFunction.MCXENT, Activation.SOFTMAX);
        DataSet batch = nextWords(true);
        double initial = nets[1].score(batch);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(batch);
            nets[1].fit(batch);
            assertEquals(nets[0].score(), nets[1].score(), 1e-5 * nets[0].score(), "training score, step " + step);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-5, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(batch) < initial, "loss " + initial + " -> " + nets[1].score(batch));
    }

    @Test
    void anotherLossIsDl4jsPath() {
        assertSameScoreAndGradients(pair(LossFunction.MSE, Activation.IDENTITY), nextWords(true));
    }
}
