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

/** GraphSAGE's mean aggregator: the node's own projection plus the projected mean of its neighbours. */
class GraphSageTest {
    // A path 0-1-2 with a listed self-loop on 1 (not a neighbour of itself) and an isolated node 3.
    private static final NodeGraph GRAPH = new NodeGraph(4, new int[]{0, 1, 1}, new int[]{1, 2, 1});

    private static MultiLayerNetwork network(GraphSage... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list();
        for (GraphSage layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new LossLayer.Builder(LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(2)).build());
        net.init();
        new NodeGraphNetwork(new SequentialNetwork(net), GRAPH);
        return net;
    }

    @Test
    void outputIsOwnProjectionPlusTheMeanOfTheNeighbours() {
        MultiLayerNetwork net = network(new GraphSage.Builder().nIn(2).nOut(1).activation(Activation.IDENTITY).build());
        net.getLayer(0).setParam("Wself", Nd4j.createFromArray(new double[][]{{1}, {0}}));
        net.getLayer(0).setParam("Wneighbour", Nd4j.createFromArray(new double[][]{{0}, {1}}));
        net.getLayer(0).setParam("b", Nd4j.createFromArray(new double[][]{{0.5}}));
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 10}, {2, 20}, {3, 30}, {4, 40}});
        // node 0: 1 + mean(20) ; node 1: 2 + mean(10, 30); node 2: 3 + mean(20); isolated node 3: 4 + 0.
        assertArrayEquals(new double[]{21.5, 22.5, 23.5, 4.5},
                net.feedForwardToLayer(0, x, false).get(1).reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = network(new GraphSage.Builder().nIn(2).nOut(3).activation(Activation.TANH).build(),
                    new GraphSage.Builder().nOut(2).activation(Activation.IDENTITY).build());
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2).subi(0.5);
            INDArray labels = Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}, {0, 1}, {1, 0}});
            INDArray mask = Nd4j.createFromArray(new double[][]{{2}, {0}, {2}, {0}});
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
