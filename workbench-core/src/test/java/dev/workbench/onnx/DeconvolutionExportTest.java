package dev.workbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.train.ExportedModel;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's Deconvolution2D as ONNX ConvTranspose: the same maps as DL4J's own forward pass, in each padding mode. */
class DeconvolutionExportTest {
    private static final DataSplits DIGITS = DatasetRegistry.builtIn().get("digits").load(
            new DatasetSpec("digits", 32, new SplitSpec(0.1, 0.2), "min_max", List.of()), 1, DataLocations.fromEnvironment());

    @ParameterizedTest(name = "{0} kernel {1} stride {2} padding {3} dilation {4}")
    @CsvSource({
            "Truncate, 4, 2, 1, 1, 16",   // the DCGAN generator's doubling: 8x8 to 16x16
            "Truncate, 3, 1, 0, 2, 12",   // (8 - 1) * 1 + (3 - 1) * 2 + 1 = 12
            "Same, 3, 2, 0, 1, 16",       // an odd total padding (1): where DL4J puts the extra row shows
            "Same, 4, 1, 0, 1, 8",        // total 3
    })
    void transposedConvolutionMatchesDl4j(ConvolutionMode mode, int kernel, int stride, int padding, int dilation,
                                         int outputSize) {
        // Two layers, so the second reads the first's output: channel order of weights [in, out, kH, kW] matters.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new Deconvolution2D.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                        .dilation(dilation, dilation).convolutionMode(mode).nOut(3).activation(Activation.RELU).build())
                .layer(new Deconvolution2D.Builder(1, 1).nOut(2).activation(Activation.TANH).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build());
        net.init();
        // Non-zero biases, so a bias added per wrong channel shows.
        net.getLayer(0).getParam("b").assign(Nd4j.rand(DataType.FLOAT, 1, 3).subi(0.5));
        net.getLayer(1).getParam("b").assign(Nd4j.rand(DataType.FLOAT, 1, 2).subi(0.5));
        INDArray digits = TestWorkbench.firstRows(DIGITS.test(), 32).getFeatures();
        INDArray maps = net.output(digits);
        assertArrayEquals(new long[]{32, 2, outputSize, outputSize}, maps.shape());

        ExportedModel model = new ExportedModel(net, List.of(new ExportedModel.Input("input", 64, "8x8 digits")),
                List.of(digits), maps.reshape('c', 32, 2L * outputSize * outputSize),
                new ExportedModel.Output(0, 1, "maps"));
        byte[] onnx = new OnnxExporter(ExportRules.standard()).export(model,
                ModelMetadata.of("deconv", DIGITS.info(), DIGITS.normalizer()), OnnxExporter.DEFAULT_OPSET).toByteArray();
        try (OnnxRuntimeModel runtime = OnnxRuntimeModel.load(onnx)) {
            OnnxParityCheck.Report report = OnnxParityCheck.compare(model, runtime, OnnxParityCheck.RTOL, OnnxParityCheck.ATOL);
            assertTrue(report.passed(), "max abs " + report.maxAbsDiff() + ", max rel " + report.maxRelDiff());
        }
    }
}
