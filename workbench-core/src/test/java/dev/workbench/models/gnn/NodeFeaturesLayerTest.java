package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** A network's first graph layer reads data: no input gradient, and dropout that draws for nonzero features only. */
class NodeFeaturesLayerTest {
    private static final dev.workbench.data.DataSplits CORA = DatasetRegistry.builtIn().get("cora")
            .load(new DatasetSpec("cora", 2708, null, "none", List.of()), 1, DataLocations.fromEnvironment());

    @Test
    void coraFeaturesAsTheirNonzerosMultiplyAsTheDenseMatrix() {
        INDArray features = CORA.train().getFeatures();
        SparseFeatures sparse = SparseFeatures.of(features, 1.0, new SplittableRandom(5), 0.05);
        assertEquals(49_216, sparse.entries(), "Cora's word occurrences");
        assertEquals(features, sparse.dense());
        Nd4j.getRandom().setSeed(3);
        INDArray weights = Nd4j.rand(DataType.FLOAT, 1433, 16).subi(0.5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 2708, 16).subi(0.5);
        FloatProducts products = new FloatProducts();
        assertTrue(features.mmul(weights).equalsWithEps(products.times(sparse, weights), 1e-5));
        assertTrue(features.transpose().mmul(gradient).equalsWithEps(products.transposeTimes(sparse, gradient), 1e-5));
    }

    @Test
    void droppingOutKeepsEachNonzeroWithItsProbabilityScaledAndZerosZero() {
        INDArray features = CORA.train().getFeatures();
        double keep = 0.4;
        float[] in = features.data().asFloat();
        float[] out = SparseFeatures.of(features, keep, new SplittableRandom(5), 0.05).dense().data().asFloat();
        int nonzero = 0;
        int kept = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == 0f) {
                assertEquals(0f, out[i], "entry " + i + " was zero");
            } else {
                nonzero++;
                if (out[i] != 0f) {
                    kept++;
                    assertEquals(in[i] / keep, out[i], 1e-6 * out[i], "entry " + i + " kept");
                }
            }
        }
        // Binomial(49,216, 0.4): standard deviation 109; five of them either side.
        assertEquals(keep * nonzero, kept, 545, "kept " + kept + " of " + nonzero);
        assertArrayEquals(out, SparseFeatures.of(features, keep, new SplittableRandom(5), 0.05).dense().data().asFloat(),
                "the same seed drops the same entries");
    }

    @Test
    void denseInputIsLeftToTheGemms() {
        assertNull(SparseFeatures.of(Nd4j.rand(DataType.FLOAT, 100, 50).addi(0.1), 1.0, new SplittableRandom(5), 0.05));
    }

    @Test
    void aTrainingPassOverTheNonzerosGivesTheInferencePassOutputWithoutDropout() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new NoOp()).list()
                .layer(new GraphAttention.Builder().nOut(16).heads(2, true).activation(Activation.ELU).build())
                .layer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(1433)).build());
        net.init();
        new NodeGraphNetwork(new SequentialNetwork(net), CORA.graph());
        INDArray features = CORA.train().getFeatures();
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray training = net.getLayer(0).activate(features, true, workspaces).dup();
        INDArray inference = net.getLayer(0).activate(features, false, workspaces);
        assertTrue(inference.equalsWithEps(training, 1e-5));
    }

    @Test
    void theNonzerosKeptFromOneFeatureArrayAreNotReusedForAnother() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new NoOp()).list()
                .layer(new GraphConvolution.Builder().nOut(16).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(1433)).build());
        net.init();
        new NodeGraphNetwork(new SequentialNetwork(net), CORA.graph());
        INDArray features = CORA.train().getFeatures();
        INDArray other = features.mul(2);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray first = net.getLayer(0).activate(features, true, workspaces).dup();
        INDArray again = net.getLayer(0).activate(features, true, workspaces).dup();
        INDArray second = net.getLayer(0).activate(other, true, workspaces).dup();
        assertTrue(first.equalsWithEps(again, 1e-6), "the same array, read from its kept nonzeros");
        assertTrue(net.getLayer(0).activate(other, false, workspaces).equalsWithEps(second, 1e-5),
                "another array is read anew");
        assertTrue(second.sub(first).amaxNumber().doubleValue() > 1e-3, "the two inputs give different outputs");
    }

    @Test
    void theFirstGraphLayerReturnsNoInputGradientAndTheSecondReturnsOne() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new NoOp()).list()
                .layer(new GraphConvolution.Builder().nOut(16).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new GraphAttention.Builder().nOut(7).heads(1, false).activation(Activation.IDENTITY).dropOut(0.5)
                        .build())
                .layer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(1433)).build());
        net.init();
        net.initGradientsView();
        new NodeGraphNetwork(new SequentialNetwork(net), CORA.graph());
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray hidden = net.getLayer(0).activate(CORA.train().getFeatures(), true, workspaces);
        INDArray scores = net.getLayer(1).activate(hidden, true, workspaces);
        INDArray dHidden = net.getLayer(1).backpropGradient(Nd4j.onesLike(scores), workspaces).getSecond();
        assertNotNull(dHidden);
        assertEquals(List.of(2708L, 16L), java.util.Arrays.stream(dHidden.shape()).boxed().toList());
        assertNull(net.getLayer(0).backpropGradient(dHidden, workspaces).getSecond(), "the features are data");
        assertTrue(net.getLayer(0).getGradientsViewArray().amaxNumber().doubleValue() > 0,
                "the first layer's parameters still get their gradient");
    }
}
