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
    void dropoutOnCoraFeaturesKeepsZerosAndKeepsEachNonzeroWithItsProbabilityScaled() {
        INDArray features = CORA.train().getFeatures();
        INDArray dropped = Nd4j.createUninitialized(DataType.FLOAT, features.shape());
        double keep = 0.4;
        NodeFeaturesLayer.dropNonzero(features, dropped, keep, new SplittableRandom(5));
        float[] in = features.data().asFloat();
        float[] out = dropped.data().asFloat();
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
        assertEquals(49_216, nonzero, "Cora's word occurrences");
        // Binomial(49,216, 0.4): standard deviation 109; five of them either side.
        assertEquals(keep * nonzero, kept, 545, "kept " + kept + " of " + nonzero);
        INDArray repeat = Nd4j.createUninitialized(DataType.FLOAT, features.shape());
        NodeFeaturesLayer.dropNonzero(features, repeat, keep, new SplittableRandom(5));
        assertArrayEquals(out, repeat.data().asFloat(), "the same seed drops the same entries");
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
