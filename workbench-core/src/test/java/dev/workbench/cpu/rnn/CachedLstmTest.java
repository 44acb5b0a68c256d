package dev.workbench.cpu.rnn;

import dev.workbench.models.rnn.RecurrentFamilyTest;
import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.data.DataSplits;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The cached LSTM is DL4J's LSTM, only faster to train: on real characters (one-hot Tiny Shakespeare) a stack of a
 * plain and a bidirectional LSTM gives the same outputs, loss and gradients (including the gradient each layer passes
 * back), stays equal over training steps, and matches it on masked (pre-padded) sequences, which go through DL4J's path.
 * As a network's first layer, reading the data, it computes no input gradient and every parameter gradient as DL4J.
 */
class CachedLstmTest {
    private static final int VOCABULARY = 65;
    private static DataSet text;

    @BeforeAll
    static void loadText() {
        DataSplits ids = RecurrentFamilyTest.load("tinyshakespeare", 30);
        DataSet batch = dev.workbench.TestWorkbench.firstRows(ids.train(), 12);
        INDArray idArray = batch.getFeatures();
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 12, VOCABULARY, 30);
        for (int i = 0; i < 12; i++) {
            for (int t = 0; t < 30; t++) {
                oneHot.putScalar(new long[]{i, idArray.getInt(i, 0, t), t}, 1f);
            }
        }
        text = new DataSet(oneHot, batch.getLabels());
    }

    /** LSTM 65 -> 24, bidirectional LSTM 24 -> 2 x 16, softmax over characters at every step. */
    private static MultiLayerNetwork network(Function<LSTM, Layer> lstm) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(lstm.apply(new LSTM.Builder().nIn(VOCABULARY).nOut(24).activation(Activation.TANH).build()))
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT,
                        lstm.apply(new LSTM.Builder().nIn(24).nOut(16).activation(Activation.TANH).build())))
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(32).nOut(VOCABULARY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair() {
        MultiLayerNetwork dl4j = network(l -> l);
        MultiLayerNetwork cached = network(CachedLstm::of);
        cached.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, cached};
    }

    @Test
    void buildsCachedLayersAndSavesThemAsSuch() {
        MultiLayerNetwork cached = network(CachedLstm::of);
        assertInstanceOf(CachedLstmLayer.class, cached.getLayer(0));
        MultiLayerConfiguration restored = TestWorkbench.savedAndRestored(cached);
        assertInstanceOf(CachedLstm.class, restored.getConf(0).getLayer());
        assertInstanceOf(CachedLstm.class, ((Bidirectional) restored.getConf(1).getLayer()).getFwd());
    }

    @Test
    void sameOutputsAsDl4jLstm() {
        MultiLayerNetwork[] nets = pair();
        assertClose(nets[0].output(text.getFeatures(), false), nets[1].output(text.getFeatures(), false), 1e-5, "inference");
        assertClose(nets[0].output(text.getFeatures(), true), nets[1].output(text.getFeatures(), true), 1e-5, "training mode");
    }

    @Test
    void sameLossAndGradientsAsDl4jLstm() {
        MultiLayerNetwork[] nets = pair();
        for (MultiLayerNetwork net : nets) {
            net.setInput(text.getFeatures());
            net.setLabels(text.getLabels());
            net.computeGradientAndScore();
        }
        assertEquals(nets[0].score(), nets[1].score(), 1e-5 * nets[0].score());
        // Layer 0's weights only see the gradient layer 1 passed back, so this also checks the input gradient.
        assertSameGradients(nets[0].gradient(), nets[1].gradient(), 1e-4);
    }

    @Test
    void staysEqualOverTrainingSteps() {
        MultiLayerNetwork[] nets = pair();
        double initialLoss = nets[1].score(text);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(text);
            nets[1].fit(text);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-4, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(text) < 0.95 * initialLoss, "loss " + initialLoss + " -> " + nets[1].score(text));
    }

    @Test
    void asTheFirstLayerItSkipsTheInputGradientAndKeepsEveryParameterGradient() {
        MultiLayerNetwork dl4j = network(l -> l);
        MultiLayerNetwork fast = ((SequentialNetwork) CpuTraining.forTraining(new SequentialNetwork(dl4j.clone()))).net();
        CachedLstm first = (CachedLstm) fast.getLayerWiseConfigurations().getConf(0).getLayer();
        assertFalse(first.isInputGradient(), "the first layer reads the data");
        assertTrue(((CachedLstm) ((Bidirectional) fast.getLayerWiseConfigurations().getConf(1).getLayer()).getFwd())
                .isInputGradient(), "the second layer passes its gradient back");
        assertFalse(((CachedLstm) TestWorkbench.savedAndRestored(fast).getConf(0).getLayer()).isInputGradient(), "saved");
        Pair<Gradient, INDArray> want = dl4j.calculateGradients(text.getFeatures(), text.getLabels(), null, null);
        Pair<Gradient, INDArray> got = fast.calculateGradients(text.getFeatures(), text.getLabels(), null, null);
        assertNotNull(want.getSecond());
        assertNull(got.getSecond());
        assertSameGradients(want.getFirst(), got.getFirst(), 1e-4);
    }

    @Test
    void maskedSequencesMatchDl4jLstm() {
        MultiLayerNetwork[] nets = pair();
        INDArray mask = Nd4j.ones(DataType.FLOAT, 12, 30);
        // Pre-padding, as the workbench pads sentences: DL4J keeps the state at zero until the first real step.
        mask.get(NDArrayIndex.interval(0, 6), NDArrayIndex.interval(0, 10)).assign(0);
        for (MultiLayerNetwork net : nets) {
            net.setLayerMaskArrays(mask, mask);
            net.setInput(text.getFeatures());
            net.setLabels(text.getLabels());
            net.computeGradientAndScore();
        }
        assertEquals(nets[0].score(), nets[1].score(), 1e-5 * nets[0].score());
        assertSameGradients(nets[0].gradient(), nets[1].gradient(), 1e-4);
        assertClose(nets[0].output(text.getFeatures(), false, mask, mask), nets[1].output(text.getFeatures(), false, mask, mask),
                1e-5, "masked inference");
    }
}
