package dev.workbench.onnx;

import dev.workbench.TestWorkbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Every architecture and every layer rule exports to a model that ONNX Runtime runs like DL4J. */
class OnnxExportTest {
    private static DataSplits load(String name, String normalization) {
        return DatasetRegistry.builtIn().get(name).load(new DatasetSpec(name, 32, new SplitSpec(0.1, 0.2), normalization, List.of()),
                1, DataLocations.fromEnvironment());
    }

    /** Builds and trains a registry architecture briefly, so batch-norm statistics and weights are not at init. */
    private static Network trained(String family, String architecture, DataSplits data, Map<String, Object> hp) {
        ModelFactory factory = ModelRegistry.builtIn().get(family, architecture);
        Network network = factory.build(new ModelContext(data.info(), Hyperparameters.resolve(factory.hyperparameters(), hp),
                new BaseConfiguration(2, new TrainingSpec(3, null, null, null, null, null), 10)));
        DataSet batch = TestWorkbench.firstRows(data.train(), 128);
        for (int i = 0; i < 10; i++) {
            network.fit(batch);
        }
        return network;
    }


    private static OnnxParityCheck.Report exportAndCompare(Network network, DataSplits data, int opset) {
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        ModelMetadata metadata = ModelMetadata.of("test", data.info(), data.normalizer());
        byte[] model = new OnnxExporter(ExportRules.standard()).export(net, data.info().input(), metadata, opset).toByteArray();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            return OnnxParityCheck.compare(network, onnx, TestWorkbench.firstRows(data.test(), 64).getFeatures());
        }
    }

    private static void assertParity(OnnxParityCheck.Report report) {
        assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        assertTrue(report.samples() > 0);
    }

    static List<String> activations() {
        return CommonHyperparameters.ACTIVATIONS;
    }

    @ParameterizedTest
    @MethodSource("activations")
    void mlpWithEachActivationMatches(String activation) {
        DataSplits wine = load("wine", "standardize");
        assertParity(exportAndCompare(trained("dense", "mlp", wine, Map.of("hidden", List.of(16, 8), "activation", activation)), wine,
                OnnxExporter.DEFAULT_OPSET));
    }

    @Test
    void mlpWithBatchNormAndDropoutMatches() {
        DataSplits cancer = load("breast_cancer", "min_max");
        assertParity(exportAndCompare(trained("dense", "mlp", cancer, Map.of("batch_norm", true, "dropout", 0.3)), cancer, 13));
    }

    @Test
    void batchNormWithSmallRunningDeviationsMatches() {
        // A trained ResNet's running deviations reach 0.1 and below, where how eps enters the denominator shows:
        // at std 0.02 and eps 1e-5, counting eps once too often or too few moves outputs by about 1%. A linear
        // head keeps that visible (a softmax would saturate on inputs scaled up this much).
        DataSplits cancer = load("breast_cancer", "min_max");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new BatchNormalization.Builder().nIn(30).nOut(30).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(2).build())
                .setInputType(InputType.feedForward(30)).build());
        net.init();
        BatchNormalization conf = (BatchNormalization) net.getLayer(0).conf().getLayer();
        assertTrue(conf.isUseLogStd(), "DL4J's default: running deviations stored as log10(std)");
        net.getLayer(0).getParam("mean").assign(cancer.test().getFeatures().mean(0));
        net.getLayer(0).getParam("log10stdev").assign(org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 30).muli(0.5).subi(1.9));  // std 0.004 to 0.013
        assertParity(exportAndCompare(new SequentialNetwork(net), cancer, OnnxExporter.DEFAULT_OPSET));
    }

    @Test
    void lenetOnMnistMatchesAtTheLowestAndHighestOpset() {
        DataSplits mnist = load("mnist-10k", "scale");
        Network lenet = trained("cnn", "lenet5", mnist, Map.of("dense", 64));
        assertParity(exportAndCompare(lenet, mnist, 13));
        assertParity(exportAndCompare(lenet, mnist, 21));
    }

    @Test
    void lenetWithSamePaddingMatchesOnSmallDigits() {
        DataSplits digits = load("digits", "scale");
        assertParity(exportAndCompare(trained("cnn", "lenet5", digits,
                Map.of("padding", "same", "kernel_size", 4, "dense", 32)), digits, OnnxExporter.DEFAULT_OPSET));
    }

    @Test
    void averagePoolingBatchNormActivationAndDropoutLayersMatch() {
        DataSplits digits = load("digits", "scale");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-2))
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.ELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(3, 3).stride(1, 1).build())
                .layer(new DropoutLayer.Builder(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build());
        net.init();
        for (int i = 0; i < 10; i++) {
            net.fit(TestWorkbench.firstRows(digits.train(), 128));
        }
        assertParity(exportAndCompare(new SequentialNetwork(net), digits, OnnxExporter.DEFAULT_OPSET));
    }

    @Test
    void layerWithoutARuleIsNamedWithItsIndex() {
        DataSplits digits = load("digits", "scale");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new LocalResponseNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(10).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build());
        net.init();
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class,
                () -> exportAndCompare(new SequentialNetwork(net), digits, OnnxExporter.DEFAULT_OPSET));
        assertEquals("layer 1 (LocalResponseNormalization): no ONNX export rule for this layer type", e.getMessage());
    }

    @Test
    void batchDimensionIsDynamic() {
        DataSplits iris = load("iris", "standardize");
        Network mlp = trained("dense", "mlp", iris, Map.of());
        byte[] model = new OnnxExporter(ExportRules.standard()).export((MultiLayerNetwork) mlp.model(), iris.info().input(),
                ModelMetadata.of("iris", iris.info(), iris.normalizer()), OnnxExporter.DEFAULT_OPSET).toByteArray();
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model)) {
            assertArrayEquals(new long[]{1, 3}, onnx.run(TestWorkbench.firstRows(iris.test(), 1).getFeatures()).shape());
            assertArrayEquals(new long[]{7, 3}, onnx.run(TestWorkbench.firstRows(iris.test(), 7).getFeatures()).shape());
            ModelMetadata metadata = onnx.metadata();
            assertEquals(List.of("setosa", "versicolor", "virginica"), metadata.labels());
            assertEquals(4, metadata.input().features());
        }
    }

    @Test
    void storedPreprocessingReproducesEachNormaliser() {
        for (String normalization : List.of("standardize", "min_max", "none")) {
            DataSplits raw = load("wine", "none");
            DataSplits normalised = load("wine", normalization);
            ModelMetadata metadata = ModelMetadata.of("wine", normalised.info(), normalised.normalizer());
            INDArray viaMetadata = metadata.preprocess(raw.test().getFeatures());
            double maxDiff = viaMetadata.sub(normalised.test().getFeatures()).amaxNumber().doubleValue();
            assertTrue(maxDiff < 1e-5, normalization + ": " + maxDiff);
        }
    }
}
