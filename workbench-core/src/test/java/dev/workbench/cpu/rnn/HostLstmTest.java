package dev.workbench.cpu.rnn;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataSplits;
import dev.workbench.models.rnn.Lstm;
import dev.workbench.models.rnn.RecurrentFamilyTest;
import dev.workbench.models.rnn.RecurrentSameDiffLayer.Direction;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.SequentialNetwork;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The host LSTM is the workbench's masked {@link Lstm}, only faster to train: on real review sentences (pre-padded,
 * and with pads between words besides, so that a carried state meets a real step again) a bidirectional LSTM under
 * a forward one gives its SameDiff definition's outputs, loss and every gradient (layer 0's through the gradient layer
 * 1 passes back), stays equal over five Adam steps, and ignores more padding as the definition does.
 */
class HostLstmTest {
    private static final int LENGTH = 24;
    private static DataSet reviews;
    private static int vocabulary;

    @BeforeAll
    static void loadReviews() {
        DataSplits data = RecurrentFamilyTest.load("sentiment", LENGTH);
        vocabulary = data.info().input().vocabulary();
        DataSet batch = TestWorkbench.firstRows(data.train(), 16);
        INDArray mask = PaddingMaskedNetwork.mask(batch.getFeatures());
        assertTrue(mask.eq(0).any(), "some sentences are padded");
        // Drop a few words inside sentences too: a real step then follows a carried state.
        for (int row = 0; row < 16; row += 3) {
            mask.putScalar(row, LENGTH - 4, 0);
            mask.putScalar(row, LENGTH - 7, 0);
        }
        reviews = new DataSet(batch.getFeatures(), batch.getLabels(), mask, null);
    }

    /** Embedding -> bidirectional LSTM 2 x 12 -> LSTM 8 -> max over real steps -> softmax. */
    private static MultiLayerNetwork network(Function<Lstm, Layer> lstm) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(16).inputLength(LENGTH).build())
                .layer(lstm.apply(new Lstm(12, Direction.BIDIRECTIONAL)))
                .layer(lstm.apply(new Lstm(8, Direction.FORWARD)))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(reviews.getLabels().size(1)).build())
                .setInputType(InputType.recurrent(1, LENGTH)).overrideNinUponBuild(false).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] definitionAndHost() {
        MultiLayerNetwork definition = network(l -> l);
        MultiLayerNetwork host = network(HostLstm::of);
        host.setParams(definition.params().dup());
        return new MultiLayerNetwork[]{definition, host};
    }

    private static INDArray output(MultiLayerNetwork net, INDArray ids) {
        return net.output(ids, false, reviews.getFeaturesMaskArray(), null);
    }

    @Test
    void cpuTrainingSwapsInTheHostLayerAndSavesTheDefinition() {
        MultiLayerNetwork definition = network(l -> l);
        MultiLayerNetwork fast = ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(definition))).net();
        assertInstanceOf(HostLstm.class, fast.getLayerWiseConfigurations().getConf(1).getLayer());
        assertInstanceOf(HostLstm.class, TestWorkbench.savedAndRestored(fast).getConf(2).getLayer());
        MultiLayerNetwork plain = ((SequentialNetwork) CpuTraining.plain(new SequentialNetwork(fast))).net();
        assertEquals(Lstm.class, plain.getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        assertEquals(Direction.BIDIRECTIONAL, ((Lstm) plain.getLayerWiseConfigurations().getConf(1).getLayer()).getDirection());
        assertEquals(output(definition, reviews.getFeatures()), output(plain, reviews.getFeatures()));
    }

    @Test
    void sameOutputsAsTheDefinition() {
        MultiLayerNetwork[] nets = definitionAndHost();
        assertClose(output(nets[0], reviews.getFeatures()), output(nets[1], reviews.getFeatures()), 1e-5, "masked inference");
        INDArray unmaskedDefinition = nets[0].output(reviews.getFeatures());
        assertClose(unmaskedDefinition, nets[1].output(reviews.getFeatures()), 1e-5, "no mask");
    }

    @Test
    void sameLossAndEveryGradientAsTheDefinition() {
        MultiLayerNetwork[] nets = definitionAndHost();
        for (MultiLayerNetwork net : nets) {
            net.setLayerMaskArrays(reviews.getFeaturesMaskArray(), null);
            net.setInput(reviews.getFeatures());
            net.setLabels(reviews.getLabels());
            net.computeGradientAndScore();
        }
        assertEquals(nets[0].score(), nets[1].score(), 1e-5 * nets[0].score());
        assertSameGradients(nets[0].gradient(), nets[1].gradient(), 1e-4);
    }

    @Test
    void staysEqualOverFiveAdamSteps() {
        MultiLayerNetwork[] nets = definitionAndHost();
        double initialLoss = nets[1].score(reviews);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(reviews);
            nets[1].fit(reviews);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(reviews) < 0.95 * initialLoss, "loss " + initialLoss + " -> " + nets[1].score(reviews));
    }

    @Test
    void morePaddingChangesNothing() {
        MultiLayerNetwork host = definitionAndHost()[1];
        host.fit(reviews);
        INDArray ids = reviews.getFeatures();
        INDArray mask = reviews.getFeaturesMaskArray();
        // Five more pads in front and three behind every sentence.
        INDArray longer = Nd4j.concat(2, Nd4j.zeros(ids.dataType(), ids.size(0), 1, 5), ids,
                Nd4j.zeros(ids.dataType(), ids.size(0), 1, 3));
        INDArray longerMask = Nd4j.concat(1, Nd4j.zeros(mask.dataType(), mask.size(0), 5), mask,
                Nd4j.zeros(mask.dataType(), mask.size(0), 3));
        assertClose(host.output(ids, false, mask, null), host.output(longer, false, longerMask, null), 1e-6,
                "eight more pads");
    }
}
