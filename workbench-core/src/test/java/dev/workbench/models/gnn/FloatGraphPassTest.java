package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The graph layers' float fast path (vector kernels, sparse features, Java dropout) against the plain double
 * definition that the gradient checks prove: on Cora, the same parameters give the same loss and every gradient.
 */
class FloatGraphPassTest {
    private static final DataSplits CORA = DatasetRegistry.builtIn().get("cora")
            .load(new DatasetSpec("cora", 2708, null, "none", List.of()), 1, DataLocations.fromEnvironment());

    private static MultiLayerNetwork network(DataType type, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(11).dataType(type)
                .updater(new NoOp()).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new LossLayer.Builder(LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(1433)).build());
        net.init();
        new NodeGraphNetwork(new SequentialNetwork(net), CORA.graph());
        return net;
    }

    /** Loss and gradient of {@code net} on Cora's training nodes, in training mode. */
    private static INDArray gradient(MultiLayerNetwork net, DataType type, double[] score) {
        DataSet train = CORA.train();
        Nd4j.getRandom().setSeed(5);  // the same dropout decisions for both precisions
        net.setInput(train.getFeatures().castTo(type));
        net.setLabels(train.getLabels().castTo(type));
        net.setLayerMaskArrays(null, train.getLabelsMaskArray().castTo(type));
        net.computeGradientAndScore();
        score[0] = net.score();
        return net.getGradientsViewArray().castTo(DataType.DOUBLE).dup();
    }

    private static void assertSameLossAndGradients(Layer[] floatLayers, Layer[] doubleLayers) {
        MultiLayerNetwork floats = network(DataType.FLOAT, floatLayers);
        MultiLayerNetwork doubles = network(DataType.DOUBLE, doubleLayers);
        doubles.setParams(floats.params().castTo(DataType.DOUBLE));
        double[] floatScore = new double[1];
        double[] doubleScore = new double[1];
        INDArray floatGradient = gradient(floats, DataType.FLOAT, floatScore);
        INDArray doubleGradient = gradient(doubles, DataType.DOUBLE, doubleScore);
        assertEquals(doubleScore[0], floatScore[0], 1e-5 * doubleScore[0], "loss");
        double scale = doubleGradient.amaxNumber().doubleValue();
        double difference = floatGradient.sub(doubleGradient).amaxNumber().doubleValue();
        assertTrue(scale > 1e-6, "a gradient to compare");
        assertTrue(difference < 1e-4 * scale, "largest gradient difference " + difference + " of " + scale);
    }

    private static Layer[] gat(double attentionDropout) {
        return new Layer[]{new GraphAttention.Builder().nOut(64).heads(8, true).attentionDropout(attentionDropout)
                .activation(Activation.ELU).build(),
                new GraphAttention.Builder().nOut(7).heads(2, false).attentionDropout(attentionDropout)
                        .activation(Activation.IDENTITY).build()};
    }

    @Test
    void gcnInFloatGivesTheDoubleLossAndGradients() {
        assertSameLossAndGradients(
                new Layer[]{new GraphConvolution.Builder().nOut(16).activation(Activation.RELU).build(),
                        new GraphConvolution.Builder().nOut(7).activation(Activation.IDENTITY).build()},
                new Layer[]{new GraphConvolution.Builder().nOut(16).activation(Activation.RELU).build(),
                        new GraphConvolution.Builder().nOut(7).activation(Activation.IDENTITY).build()});
    }

    @Test
    void gatInFloatGivesTheDoubleLossAndGradients() {
        assertSameLossAndGradients(
                new Layer[]{new GraphAttention.Builder().nOut(64).heads(8, true).activation(Activation.ELU).build(),
                        new GraphAttention.Builder().nOut(7).heads(2, false).activation(Activation.IDENTITY).build()},
                new Layer[]{new GraphAttention.Builder().nOut(64).heads(8, true).activation(Activation.ELU).build(),
                        new GraphAttention.Builder().nOut(7).heads(2, false).activation(Activation.IDENTITY).build()});
    }

    @Test
    void gatAttentionDropoutInFloatGivesTheDoubleLossAndGradientsUnderTheSameDraws() {
        assertSameLossAndGradients(gat(0.6), gat(0.6));
        double[] score = new double[1];
        INDArray dropped = gradient(network(DataType.FLOAT, gat(0.6)), DataType.FLOAT, score);
        INDArray plain = gradient(network(DataType.FLOAT, gat(0)), DataType.FLOAT, score);
        // Same initial parameters (same seed and shapes): only the dropped coefficients can move the gradient.
        double moved = dropped.sub(plain).amaxNumber().doubleValue();
        assertTrue(moved > 0.1 * plain.amaxNumber().doubleValue(), "attention dropout moved the gradient by " + moved);
    }

    @Test
    void keepDrawsKeepEachEntryWithItsProbabilityAndRepeatWithTheSeed() {
        int count = 100_001;
        float[] scales = new float[count];
        new KeepDraws(0.4).draw(count, new SplittableRandom(9)).scales(scales, count, 2.5f);
        int kept = 0;
        for (float s : scales) {
            assertTrue(s == 0f || s == 2.5f, "a scale of 1/keep or 0, got " + s);
            kept += s > 0 ? 1 : 0;
        }
        // Binomial(100,001, 0.4): standard deviation 155; five of them either side.
        assertEquals(0.4 * count, kept, 775);
        KeepDraws again = new KeepDraws(0.4).draw(count, new SplittableRandom(9));
        for (int i = 0; i < count; i++) {
            assertEquals(scales[i] > 0 ? 1 : 0, again.kept(i), "decision " + i);
        }
    }

    @Test
    void denseDropoutMultipliesTheInputAndItsGradientByOneMask() {
        MultiLayerNetwork net = network(DataType.FLOAT,
                new GraphConvolution.Builder().nOut(16).activation(Activation.RELU).build(),
                new GraphConvolution.Builder().nOut(7).activation(Activation.IDENTITY).dropOut(0.5).build());
        net.initGradientsView();
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(4);
        INDArray hidden = net.getLayer(0).activate(CORA.train().getFeatures(), true, workspaces).dup();
        GraphConvolutionLayer second = (GraphConvolutionLayer) net.getLayer(1);
        INDArray scores = second.activate(hidden, true, workspaces);
        INDArray ones = Nd4j.onesLike(scores);
        INDArray dHidden = second.backpropGradient(ones, workspaces).getSecond();
        // Without the mask: the same layer's input gradient is ones · Âᵀ... · Wᵀ for every entry; with it, the
        // entries dropped are zero and the kept ones twice as large.
        INDArray w = second.getParam("W");
        INDArray unmasked = new FloatProducts().propagate(CORA.graph().normalizedAdjacency(), ones, true)
                .mmul(w.transpose());
        float[] masked = dHidden.dup().data().asFloat();
        float[] plain = unmasked.data().asFloat();
        int kept = 0;
        for (int i = 0; i < masked.length; i++) {
            if (masked[i] != 0f) {
                kept++;
                assertEquals(2 * plain[i], masked[i], 1e-5f * Math.abs(plain[i]) + 1e-6f, "entry " + i);
            }
        }
        assertEquals(0.5 * masked.length, kept, 5 * Math.sqrt(0.25 * masked.length), "kept " + kept);
        assertArrayEquals(new long[]{2708, 16}, dHidden.shape());
    }
}
