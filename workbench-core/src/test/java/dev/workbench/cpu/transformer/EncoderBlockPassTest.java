package dev.workbench.cpu.transformer;

import dev.workbench.models.transformer.LearnedPositionalEmbedding;
import dev.workbench.models.transformer.SequenceLayerNorm;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.models.transformer.TransformerEncoderBlock.FeedForwardActivation;
import java.util.Arrays;
import java.util.List;
import dev.workbench.train.SequentialNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
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
 * The encoder block's host runtime (float; post-LN or pre-LN, ReLU or GELU, causal or not) computes the block the
 * SameDiff graph defines, and so does the final sequence layer norm that follows a pre-LN block here as in the GPT
 * decoder: the block's output matches the hand-written reference, and on real review sentences with padding the
 * loss, every gradient (the embedding's included, which only the block's input gradient reaches) and a few Adam
 * steps match the SameDiff runtime in double precision.
 */
class EncoderBlockPassTest {
    private static final int D_MODEL = 16;
    private static final int STEPS = 24;

    private static final DataSplits REVIEWS = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32,
            new SplitSpec(0.15, 0.2), "none", List.of(), null, STEPS, null, null), 7, DataLocations.fromEnvironment());

    private static MultiLayerNetwork encoder(DataType type) {
        return encoder(type, false);
    }

    private static MultiLayerNetwork encoder(DataType type, boolean causal) {
        return encoder(type, causal, false);
    }

    private static MultiLayerNetwork encoder(DataType type, boolean causal, boolean preNorm) {
        return encoder(type, causal, preNorm, FeedForwardActivation.RELU);
    }

    /** A pre-LN block is followed by the final sequence layer norm, as in the GPT decoder. */
    private static MultiLayerNetwork encoder(DataType type, boolean causal, boolean preNorm, FeedForwardActivation activation) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(11).dataType(type)
                .updater(new Adam(3e-3)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(REVIEWS.info().input().vocabulary()).nOut(D_MODEL).inputLength(STEPS).build())
                .layer(new LearnedPositionalEmbedding(STEPS))
                .layer(new TransformerEncoderBlock(D_MODEL, 4, 32, activation, causal).preNorm(preNorm));
        if (preNorm) {
            layers.layer(new SequenceLayerNorm());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(layers
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1, STEPS)).overrideNinUponBuild(false).build());
        net.init();
        return net;
    }

    /** {@code net} with the CPU training layers substituted, as the workbench trains it. */
    private static MultiLayerNetwork onHost(MultiLayerNetwork net) {
        return (MultiLayerNetwork) CpuTraining.forTraining(new SequentialNetwork(net)).model();
    }

    /** A float network on the host runtime and a double one on SameDiff, with the same parameters. */
    private static MultiLayerNetwork[] pair(boolean causal, boolean preNorm, FeedForwardActivation activation) {
        MultiLayerNetwork host = onHost(encoder(DataType.FLOAT, causal, preNorm, activation));
        MultiLayerNetwork sameDiff = encoder(DataType.DOUBLE, causal, preNorm, activation);
        sameDiff.setParams(host.params().castTo(DataType.DOUBLE));
        return new MultiLayerNetwork[]{host, sameDiff};
    }

    private static DataSet batch() {
        DataSet batch = TestWorkbench.firstRows(REVIEWS.train(), 16);
        INDArray ids = batch.getFeatures();
        // Pre-padded sentences: id 0 marks padding; pad the first rows further so that masking matters.
        INDArray mask = ids.reshape(ids.size(0), STEPS).neq(0).castTo(DataType.FLOAT);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)).assign(0);
        assertTrue(mask.sumNumber().doubleValue() < mask.length(), "some padding");
        return new DataSet(ids, batch.getLabels(), mask, null);
    }

    @Test
    void floatNetworkRunsOnTheHostRuntime() {
        assertInstanceOf(HostRowsLayer.class, onHost(encoder(DataType.FLOAT)).getLayer(2));
        MultiLayerNetwork preNorm = onHost(encoder(DataType.FLOAT, true, true));
        assertInstanceOf(HostRowsLayer.class, preNorm.getLayer(3), "the final layer norm");
        assertInstanceOf(HostSequenceLayerNorm.class, preNorm.getLayerWiseConfigurations().getConf(3).getLayer());
    }

    @Test
    void sameLossAndGradientsAsTheSameDiffGraph() {
        sameLossAndGradients(false, false, FeedForwardActivation.RELU);
    }

    @Test
    void causalBlockHasTheSameLossAndGradientsAsTheSameDiffGraph() {
        sameLossAndGradients(true, false, FeedForwardActivation.RELU);
    }

    @Test
    void preNormCausalGeluBlockHasTheSameLossAndGradientsAsTheSameDiffGraph() {
        sameLossAndGradients(true, true, FeedForwardActivation.GELU);
    }

    private static void sameLossAndGradients(boolean causal, boolean preNorm, FeedForwardActivation activation) {
        MultiLayerNetwork[] nets = pair(causal, preNorm, activation);
        DataSet batch = batch();
        for (MultiLayerNetwork net : nets) {
            net.setInput(net == nets[0] ? batch.getFeatures() : batch.getFeatures().castTo(DataType.DOUBLE));
            net.setLabels(net == nets[0] ? batch.getLabels() : batch.getLabels().castTo(DataType.DOUBLE));
            net.setLayerMaskArrays(net == nets[0] ? batch.getFeaturesMaskArray() : batch.getFeaturesMaskArray().castTo(DataType.DOUBLE), null);
            net.computeGradientAndScore();
        }
        assertEquals(nets[1].score(), nets[0].score(), 1e-5 * nets[1].score());
        assertSameGradients(nets[1].gradient(), nets[0].gradient(), 2e-4);
        INDArray features = batch.getFeatures();
        INDArray mask = batch.getFeaturesMaskArray();
        assertClose(nets[1].output(features.castTo(DataType.DOUBLE), false, mask.castTo(DataType.DOUBLE), null),
                nets[0].output(features, false, mask, null), 1e-5, "masked inference");
    }

    @Test
    void staysWithTheSameDiffGraphOverTraining() {
        staysWithTheSameDiffGraph(false, false, FeedForwardActivation.RELU);
    }

    @Test
    void causalBlockStaysWithTheSameDiffGraphOverTraining() {
        staysWithTheSameDiffGraph(true, false, FeedForwardActivation.RELU);
    }

    @Test
    void preNormCausalGeluBlockStaysWithTheSameDiffGraphOverTraining() {
        staysWithTheSameDiffGraph(true, true, FeedForwardActivation.GELU);
    }

    @Test
    void causalBlockOnTheHostIgnoresLaterTokensToTheBit() {
        MultiLayerNetwork host = onHost(encoder(DataType.FLOAT, true));
        INDArray ids = TestWorkbench.firstRows(REVIEWS.train(), 4).getFeatures();
        // Outputs of the block (layer 2) at every step, before and after the last half of each sentence changes.
        INDArray before = host.feedForwardToLayer(2, ids, false).get(3).dup();
        INDArray changed = ids.dup();
        for (int b = 0; b < 4; b++) {
            for (int t = STEPS / 2; t < STEPS; t++) {
                changed.putScalar(b, 0, t, (changed.getDouble(b, 0, t) + 7 * t + 1) % REVIEWS.info().input().vocabulary());
            }
        }
        INDArray after = host.feedForwardToLayer(2, changed, false).get(3);
        assertEquals(before.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, STEPS / 2)),
                after.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, STEPS / 2)));
        assertTrue(!before.equals(after), "later steps changed");
    }

    private static void staysWithTheSameDiffGraph(boolean causal, boolean preNorm, FeedForwardActivation activation) {
        MultiLayerNetwork[] nets = pair(causal, preNorm, activation);
        DataSet batch = batch();
        DataSet doubleBatch = new DataSet(batch.getFeatures().castTo(DataType.DOUBLE), batch.getLabels().castTo(DataType.DOUBLE),
                batch.getFeaturesMaskArray().castTo(DataType.DOUBLE), null);
        double initial = nets[0].score(batch);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(batch);
            nets[1].fit(doubleBatch);
        }
        assertClose(nets[1].params(), nets[0].params(), 1e-3, "parameters after 5 Adam steps");
        assertTrue(nets[0].score(batch) < initial, "loss " + initial + " -> " + nets[0].score(batch));
    }
}
