package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.graph.NodeGraph;
import dev.workbench.train.SequentialNetwork;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Graph attention: softmax over each neighbourhood, heads concatenated or averaged, true gradients. */
class GraphAttentionTest {
    // A path 0-1-2, an isolated node 3, and a self-loop on 2 that must count once.
    private static final NodeGraph GRAPH = new NodeGraph(4, new int[]{0, 1, 2}, new int[]{1, 2, 2});

    private static MultiLayerNetwork network(DataType type, GraphAttention... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(type)
                .updater(new NoOp()).list();
        for (GraphAttention layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new LossLayer.Builder(LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(3)).build());
        net.init();
        new NodeGraphNetwork(new SequentialNetwork(net), GRAPH);
        return net;
    }

    @Test
    void withZeroAttentionVectorsEachNodeAveragesItsNeighbourhood() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new GraphAttention.Builder().nIn(3).nOut(3).heads(1, true)
                .activation(Activation.IDENTITY).build());
        net.getLayer(0).setParam("W", Nd4j.eye(3).castTo(DataType.DOUBLE));
        net.getLayer(0).setParam("aSelf", Nd4j.zeros(DataType.DOUBLE, 1, 3));
        net.getLayer(0).setParam("aNeighbour", Nd4j.zeros(DataType.DOUBLE, 1, 3));
        net.getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 3));
        INDArray x = Nd4j.createFromArray(new double[][]{{3, 0, 0}, {0, 3, 0}, {0, 0, 3}, {1, 2, 3}});
        INDArray out = net.feedForwardToLayer(0, x, false).get(1);
        assertArrayEquals(new double[]{1.5, 1.5, 0}, out.getRow(0).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{1, 1, 1}, out.getRow(1).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{0, 1.5, 1.5}, out.getRow(2).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{1, 2, 3}, out.getRow(3).toDoubleVector(), 1e-12, "isolated: itself only");
    }

    @Test
    void scoresWeightTheNeighboursBySoftmaxOfLeakyReluScores() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new GraphAttention.Builder().nIn(3).nOut(1).heads(1, true)
                .activation(Activation.IDENTITY).build());
        net.getLayer(0).setParam("W", Nd4j.createFromArray(new double[][]{{1}, {0}, {0}}));
        net.getLayer(0).setParam("aSelf", Nd4j.createFromArray(new double[][]{{0}}));
        net.getLayer(0).setParam("aNeighbour", Nd4j.createFromArray(new double[][]{{1}}));
        net.getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        INDArray x = Nd4j.createFromArray(new double[][]{{2, 0, 0}, {-1, 0, 0}, {0, 0, 0}, {5, 0, 0}});
        // Node 0 attends to itself (score 2) and node 1 (LeakyReLU(-1) = -0.2): out = softmax-weighted 2 and -1.
        double a0 = Math.exp(2), a1 = Math.exp(-0.2);
        double expected = (a0 * 2 + a1 * -1) / (a0 + a1);
        assertArrayEquals(new double[]{expected}, net.feedForwardToLayer(0, x, false).get(1).getRow(0).toDoubleVector(), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferencesForConcatenatedAndAveragedHeads() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = network(DataType.DOUBLE,
                    new GraphAttention.Builder().nIn(3).nOut(4).heads(2, true).activation(Activation.ELU).build(),
                    new GraphAttention.Builder().nOut(2).heads(3, false).activation(Activation.IDENTITY).build());
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
            INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}, {0, 1}, {1, 0}});
            INDArray mask = Nd4j.createFromArray(new double[][]{{2}, {2}, {0}, {0}});
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
