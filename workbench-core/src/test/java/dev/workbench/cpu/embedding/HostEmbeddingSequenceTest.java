package dev.workbench.cpu.embedding;

import static dev.workbench.ArrayAssertions.assertClose;
import static dev.workbench.ArrayAssertions.assertSameGradients;
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
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.DefaultRandom;
import org.nd4j.linalg.api.rng.distribution.impl.NormalDistribution;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The host embedding is DL4J's sequence embedding: on 16 real, padded review sentences (repeated words, padding
 * masked) it gives DL4J's gradients, weights them by the mask as DL4J does, and stays equal over Adam steps; with an
 * activation it is DL4J's own path.
 */
class HostEmbeddingSequenceTest {
    private static final int STEPS = 20;
    private static final DataSplits REVIEWS = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 16,
            new SplitSpec(0.15, 0.2), "none", List.of(), null, STEPS, null, null), 5, DataLocations.fromEnvironment());

    private static MultiLayerNetwork network(Activation activation, UnaryOperator<EmbeddingSequenceLayer> embedding) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(embedding.apply(new EmbeddingSequenceLayer.Builder().nIn(REVIEWS.info().input().vocabulary()).nOut(12)
                        .inputLength(STEPS).activation(activation).build()))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1, STEPS)).overrideNinUponBuild(false).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork[] pair(Activation activation) {
        MultiLayerNetwork dl4j = network(activation, l -> l);
        MultiLayerNetwork host = network(activation, HostEmbeddingSequence::of);
        host.setParams(dl4j.params().dup());
        return new MultiLayerNetwork[]{dl4j, host};
    }

    private static DataSet sentences() {
        DataSet batch = TestWorkbench.firstRows(REVIEWS.train(), 16);
        INDArray ids = batch.getFeatures();
        INDArray mask = ids.reshape(ids.size(0), STEPS).neq(0).castTo(DataType.FLOAT);
        assertTrue(mask.sumNumber().doubleValue() < mask.length(), "some padding");
        return new DataSet(ids, batch.getLabels(), mask, null);
    }

    /** The gradient of the loss on the masked sentences. */
    private static Gradient gradient(MultiLayerNetwork net) {
        DataSet batch = sentences();
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArray(), null);
        net.computeGradientAndScore();
        return net.gradient();
    }

    @Test
    void sameGradientsAsDl4jAndSavedAsItself() {
        MultiLayerNetwork[] nets = pair(Activation.IDENTITY);
        assertInstanceOf(HostEmbeddingSequenceLayer.class, nets[1].getLayer(0));
        assertSameGradients(gradient(nets[0]), gradient(nets[1]), 1e-5);

        assertInstanceOf(HostEmbeddingSequence.class, TestWorkbench.savedAndRestored(nets[1]).getConf(0).getLayer());
    }

    @Test
    void staysEqualToDl4jOverTraining() {
        MultiLayerNetwork[] nets = pair(Activation.IDENTITY);
        DataSet batch = sentences();
        double initial = nets[1].score(batch);
        for (int step = 0; step < 5; step++) {
            nets[0].fit(batch);
            nets[1].fit(batch);
        }
        assertClose(nets[0].params(), nets[1].params(), 1e-5, "parameters after 5 Adam steps");
        assertTrue(nets[1].score(batch) < initial, "loss " + initial + " -> " + nets[1].score(batch));
    }

    @Test
    void masksWeightTheGradientAsDl4jDoes() {
        // Called on the layer itself: in a network the pooling after it already zeroes the masked steps' gradient.
        MultiLayerNetwork[] nets = pair(Activation.IDENTITY);
        DataSet batch = sentences();
        INDArray epsilon = Nd4j.rand(new NormalDistribution(new DefaultRandom(17), 0, 1), 16, 12, STEPS).castTo(DataType.FLOAT);
        INDArray[] weightGradients = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            nets[i].initGradientsView();
            org.deeplearning4j.nn.api.Layer embedding = nets[i].getLayer(0);
            embedding.setInput(batch.getFeatures(), LayerWorkspaceMgr.noWorkspaces());
            embedding.setMaskArray(batch.getFeaturesMaskArray());
            embedding.activate(true, LayerWorkspaceMgr.noWorkspaces());
            weightGradients[i] = embedding.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces())
                    .getFirst().getGradientFor("W").dup();
        }
        assertClose(weightGradients[0], weightGradients[1], 1e-6, "masked weight gradient");
    }

    @Test
    void withAnActivationItIsDl4jsPath() {
        MultiLayerNetwork[] nets = pair(Activation.TANH);
        assertSameGradients(gradient(nets[0]), gradient(nets[1]), 1e-6);
    }
}
