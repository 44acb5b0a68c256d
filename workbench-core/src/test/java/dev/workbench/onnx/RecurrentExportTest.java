package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import dev.workbench.models.rnn.Gru;
import dev.workbench.models.rnn.RecurrentSameDiffLayer.Direction;
import dev.workbench.models.rnn.LastStep;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Recurrent networks (embeddings, LSTM, GRU, both directions, last step, pooling, per-step output) export and match ONNX Runtime. */
class RecurrentExportTest {
    private static final int VOCABULARY = 11;
    private static final int STEPS = 7;
    private static final int SAMPLES = 16;

    private static MultiLayerNetwork network(InputShape input, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42).weightInit(WeightInit.XAVIER).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        // Keep the embedding's nIn (the vocabulary), as the rnn family does.
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.recurrent(input.channels(), input.length()))
                .overrideNinUponBuild(false).build());
        net.init();
        return net;
    }

    private static EmbeddingSequenceLayer embedding(boolean bias) {
        return new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(8).hasBias(bias).inputLength(STEPS).build();
    }

    private static LSTM lstm(int units) {
        return new LSTM.Builder().nOut(units).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build();
    }

    private static RnnOutputLayer languageModelHead() {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(VOCABULARY).build();
    }

    private static OutputLayer classifierHead() {
        return new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build();
    }

    /** Random token ids (as floats) or standard-normal numbers, seeded. */
    private static INDArray inputs(InputShape input) {
        Nd4j.getRandom().setSeed(7);
        if (input.isTokens()) {
            java.util.Random random = new java.util.Random(7);
            INDArray ids = Nd4j.create(DataType.FLOAT, SAMPLES, 1, input.length());
            for (int i = 0; i < ids.length(); i++) {
                ids.putScalar(i, random.nextInt(VOCABULARY));
            }
            return ids;
        }
        return Nd4j.randn(DataType.FLOAT, SAMPLES, input.channels(), input.length());
    }

    private static ModelMetadata metadata(InputShape input, Task task, int outputs) {
        float[] scale = new float[input.features()];
        java.util.Arrays.fill(scale, 1f);
        List<String> labels = IntStream.range(0, outputs).mapToObj(Integer::toString).toList();
        return new ModelMetadata("recurrent", "test", task, labels, input, 0, scale, new float[input.features()]);
    }

    private static byte[] export(MultiLayerNetwork net, InputShape input, ModelMetadata metadata) {
        return new OnnxExporter(ExportRules.standard()).export(net, input, metadata, OnnxExporter.DEFAULT_OPSET).toByteArray();
    }

    private static OnnxParityCheck.Report exportAndCompare(MultiLayerNetwork net, InputShape input, Task task, int outputs) {
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(export(net, input, metadata(input, task, outputs)))) {
            return OnnxParityCheck.compare(new SequentialNetwork(net), onnx, inputs(input));
        }
    }

    private static void assertParity(OnnxParityCheck.Report report, long... outputShape) {
        assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertTrue(report.maxAbsDiff() < 1e-5, "max abs " + report.maxAbsDiff());
        assertArrayEquals(outputShape, report.outputShape());
    }

    @Test
    void languageModelWithEmbeddingLstmAndPerStepSoftmaxMatches() {
        InputShape tokens = InputShape.tokens(STEPS, VOCABULARY);
        MultiLayerNetwork net = network(tokens, embedding(true), lstm(12), lstm(10), languageModelHead());
        assertParity(exportAndCompare(net, tokens, Task.LANGUAGE_MODEL, VOCABULARY), SAMPLES, VOCABULARY, STEPS);
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void classifierWithBidirectionalLstmAndMaxPoolingMatches(Bidirectional.Mode mode) {
        InputShape tokens = InputShape.tokens(STEPS, VOCABULARY);
        MultiLayerNetwork net = network(tokens, embedding(false), new Bidirectional(mode, lstm(6)),
                new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), classifierHead());
        assertParity(exportAndCompare(net, tokens, Task.CLASSIFICATION, 3), SAMPLES, 3);
    }

    @Test
    void classifierWithMeanPoolingOverTimeMatches() {
        InputShape tokens = InputShape.tokens(STEPS, VOCABULARY);
        MultiLayerNetwork net = network(tokens, embedding(true), new Gru(6, Direction.BIDIRECTIONAL),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), classifierHead());
        assertParity(exportAndCompare(net, tokens, Task.CLASSIFICATION, 3), SAMPLES, 3);
    }

    @Test
    void forecasterWithGruAndLastStepMatches() {
        InputShape numbers = InputShape.sequence(3, STEPS);
        MultiLayerNetwork net = network(numbers, new Gru(9, Direction.FORWARD), new LastStep(),
                new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        assertParity(exportAndCompare(net, numbers, Task.REGRESSION, 1), SAMPLES, 1);
    }

    @Test
    void forecasterWithLastTimeStepOfABidirectionalLstmMatches() {
        InputShape numbers = InputShape.sequence(1, STEPS);
        MultiLayerNetwork net = network(numbers, new LastTimeStep(new Bidirectional(lstm(5))),
                new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        assertParity(exportAndCompare(net, numbers, Task.REGRESSION, 1), SAMPLES, 1);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void languageModelWithEachGruDirectionMatches(Direction direction) {
        InputShape tokens = InputShape.tokens(STEPS, VOCABULARY);
        MultiLayerNetwork net = network(tokens, embedding(true), new Gru(10, direction), languageModelHead());
        assertParity(exportAndCompare(net, tokens, Task.LANGUAGE_MODEL, VOCABULARY), SAMPLES, VOCABULARY, STEPS);
    }

    @Test
    void timeDimensionIsDynamic() {
        InputShape tokens = InputShape.tokens(STEPS, VOCABULARY);
        MultiLayerNetwork net = network(tokens, embedding(true), lstm(6), languageModelHead());
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(export(net, tokens, metadata(tokens, Task.LANGUAGE_MODEL, VOCABULARY)))) {
            INDArray shorter = Nd4j.zeros(DataType.FLOAT, 2, 1, 3);
            assertArrayEquals(new long[]{2, VOCABULARY, 3}, onnx.run(shorter).shape());
            assertTrue(onnx.run(shorter).sub(net.output(shorter)).amaxNumber().doubleValue() < 1e-5);
        }
    }

    @Test
    void unsupportedSettingsAreNamedWithTheLayer() {
        InputShape numbers = InputShape.sequence(2, STEPS);
        MultiLayerNetwork hardSigmoid = network(numbers, new LSTM.Builder().nOut(4).gateActivationFunction(Activation.HARDSIGMOID).build(),
                new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        UnsupportedLayerException gate = assertThrows(UnsupportedLayerException.class,
                () -> export(hardSigmoid, numbers, metadata(numbers, Task.REGRESSION, 1)));
        assertTrue(gate.getMessage().startsWith("layer 0 (LSTM): no ONNX rule for recurrent activation"), gate.getMessage());

        MultiLayerNetwork simple = network(numbers, new Bidirectional(new SimpleRnn.Builder().nOut(4).build()),
                new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        UnsupportedLayerException wrapped = assertThrows(UnsupportedLayerException.class,
                () -> export(simple, numbers, metadata(numbers, Task.REGRESSION, 1)));
        assertEquals("layer 0 (Bidirectional): no ONNX rule for a Bidirectional wrapper around SimpleRnn", wrapped.getMessage());

        MultiLayerNetwork pnorm = network(numbers, lstm(4), new GlobalPoolingLayer.Builder(PoolingType.PNORM).build(),
                new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        UnsupportedLayerException pooling = assertThrows(UnsupportedLayerException.class,
                () -> export(pnorm, numbers, metadata(numbers, Task.REGRESSION, 1)));
        assertEquals("layer 1 (GlobalPoolingLayer): no ONNX rule for PNORM global pooling", pooling.getMessage());
    }

    @Test
    void sequenceAndTokenShapesRoundTripThroughTheMetadata() {
        for (InputShape shape : List.of(InputShape.sequence(3, STEPS), InputShape.tokens(STEPS, VOCABULARY),
                InputShape.image(1, 8, 8), InputShape.tabular(4))) {
            ModelMetadata metadata = metadata(shape, Task.CLASSIFICATION, 2);
            assertEquals(shape, ModelMetadata.fromProperties(metadata.toProperties()).input());
        }
        // A model written before input_kind existed still reads.
        java.util.Map<String, String> old = new java.util.HashMap<>(metadata(InputShape.image(1, 8, 8), Task.CLASSIFICATION, 2).toProperties());
        old.remove("workbench.input_kind");
        assertEquals(InputShape.image(1, 8, 8), ModelMetadata.fromProperties(old).input());
    }

    @Test
    void storedPreprocessingReproducesAPerChannelTimeSeriesNormaliser() {
        InputShape numbers = InputShape.sequence(2, STEPS);
        Nd4j.getRandom().setSeed(3);
        INDArray raw = Nd4j.randn(DataType.FLOAT, 32, 2, STEPS).muli(Nd4j.createFromArray(5f, 0.1f).reshape(1, 2, 1))
                .addi(Nd4j.createFromArray(100f, -3f).reshape(1, 2, 1));
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(new DataSet(raw, Nd4j.zeros(DataType.FLOAT, 32, 1)));
        dev.workbench.data.DatasetInfo info = new dev.workbench.data.DatasetInfo("series", "", 32, Task.REGRESSION, numbers,
                List.of("y"), List.of(), false, 0, "", "", "");
        ModelMetadata metadata = ModelMetadata.of("series", info, normalizer);
        INDArray expected = raw.dup();
        normalizer.transform(expected);
        INDArray viaMetadata = metadata.preprocess(raw);
        assertArrayEquals(raw.shape(), viaMetadata.shape());
        assertTrue(viaMetadata.sub(expected).amaxNumber().doubleValue() < 1e-4);
    }
}
