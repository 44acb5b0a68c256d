package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The graph convolution computes Â X W + b over its graph, and its gradients are the true ones. */
class GraphConvolutionTest {
    // A path 0-1-2 and an isolated node 3.
    private static final NodeGraph PATH = new NodeGraph(4, new int[]{0, 1}, new int[]{1, 2});

    private static MultiLayerNetwork layer(DataType type, Activation activation, int nIn, int nOut) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new NoOp()).list()
                .layer(new GraphConvolution.Builder().nIn(nIn).nOut(nOut).activation(activation).build())
                .layer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(nIn)).build());
        net.init();
        return net;
    }

    @Test
    void outputIsTheNormalisedAdjacencyTimesFeaturesTimesWeightsPlusBias() {
        MultiLayerNetwork net = layer(DataType.DOUBLE, Activation.IDENTITY, 2, 1);
        net.getLayer(0).setParam("W", Nd4j.createFromArray(new double[][]{{1}, {2}}));
        net.getLayer(0).setParam("b", Nd4j.createFromArray(new double[][]{{0.5}}));
        new NodeGraphNetwork(new SequentialNetwork(net), PATH);
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}, {1, 1}, {2, 0}});
        // X W = [1, 2, 3, 2]; degrees with self-loops 2, 3, 2, 1:
        // node 0: 1/2 * 1 + 1/sqrt(6) * 2; node 1: 1/sqrt(6) * 1 + 1/3 * 2 + 1/sqrt(6) * 3;
        // node 2: 1/sqrt(6) * 2 + 1/2 * 3; node 3: 2.
        double r6 = Math.sqrt(6);
        double[] expected = {0.5 + 2 / r6 + 0.5, 1 / r6 + 2.0 / 3 + 3 / r6 + 0.5, 2 / r6 + 1.5 + 0.5, 2 + 0.5};
        INDArray out = net.feedForwardToLayer(0, x, false).get(1);
        assertArrayEquals(expected, out.reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void renumberingTheNodesOnlyReordersTheOutputs() {
        MultiLayerNetwork net = layer(DataType.FLOAT, Activation.RELU, 3, 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3);
        new NodeGraphNetwork(new SequentialNetwork(net), PATH);
        INDArray out = net.output(x, false);
        int[] order = {2, 0, 3, 1}; // new node i is old node order[i]
        int[] newIndex = new int[4];
        for (int i = 0; i < 4; i++) {
            newIndex[order[i]] = i;
        }
        NodeGraph renumbered = new NodeGraph(4, new int[]{newIndex[0], newIndex[1]}, new int[]{newIndex[1], newIndex[2]});
        MultiLayerNetwork same = net.clone();
        new NodeGraphNetwork(new SequentialNetwork(same), renumbered);
        INDArray permuted = same.output(Nd4j.pullRows(x, 1, order), false);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(out.getRow(order[i]).toFloatVector(), permuted.getRow(i).toFloatVector(), 1e-6f);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithDropoutOff() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                    .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                    .layer(new GraphConvolution.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                    .layer(new GraphConvolution.Builder().nOut(2).activation(Activation.IDENTITY).build())
                    .layer(new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(3)).build());
            net.init();
            new NodeGraphNetwork(new SequentialNetwork(net), PATH);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3);
            INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}, {0, 1}, {1, 0}});
            INDArray mask = Nd4j.createFromArray(new double[][]{{2}, {0}, {2}, {0}});
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void anInputThatIsNotTheWholeGraphIsRefusedByShape() {
        MultiLayerNetwork net = layer(DataType.FLOAT, Activation.RELU, 3, 2);
        new NodeGraphNetwork(new SequentialNetwork(net), PATH);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 3, 3)));
        assertTrue(e.getMessage().contains("is not [4 nodes, features] of the attached graph"), e.getMessage());
        assertEquals(0, net.getLayer(0).getIndex());
    }
}
