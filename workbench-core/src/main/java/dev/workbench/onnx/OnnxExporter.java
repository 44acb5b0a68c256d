package dev.workbench.onnx;

import dev.workbench.data.InputShape;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * DL4J network to ONNX: walks the layers in order, lets each layer's rule write its nodes, and records
 * the model metadata. Input {@code input} is {@code [batch, features]} (images flattened C,H,W as the
 * workbench feeds them); output {@code output} is {@code [batch, classes]} (probabilities) or targets.
 */
public final class OnnxExporter {
    public static final int DEFAULT_OPSET = 17;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private final ExportRules rules;

    public OnnxExporter(ExportRules rules) {
        this.rules = rules;
    }

    public Onnx.ModelProto export(MultiLayerNetwork net, InputShape shape, ModelMetadata metadata, int opset) {
        if (opset < 13 || opset > 21) {
            throw new IllegalArgumentException("--opset: supported 13..21, got " + opset);
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        InputType inputType = shape.isImage()
                ? InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels())
                : InputType.feedForward(shape.features());
        List<InputType> outputTypes = conf.getLayerActivationTypes(inputType);
        OnnxGraph graph = new OnnxGraph(metadata.job().isEmpty() ? "workbench" : metadata.job());
        graph.input(INPUT, shape.features());
        String tensor = INPUT;
        InputType type = inputType;
        for (int i = 0; i < net.getnLayers(); i++) {
            InputPreProcessor preprocessor = conf.getInputPreProcess(i);
            if (preprocessor != null) {
                tensor = rules.forPreprocessor(i, preprocessor).emit(graph, i, preprocessor, tensor);
                type = preprocessor.getOutputType(type);
            }
            var layerConf = conf.getConf(i).getLayer();
            tensor = rules.forLayer(i, layerConf).emit(new LayerExport(graph, i, layerConf, net.getLayer(i).paramTable(), tensor, type));
            type = outputTypes.get(i);
        }
        if (tensor.equals(INPUT)) {
            tensor = graph.node("Identity", OUTPUT, new String[]{INPUT});
        } else {
            graph.renameLastOutput(tensor, OUTPUT);
        }
        graph.output(OUTPUT, type.arrayElementsPerExample());
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(opset <= 18 ? 8 : opset <= 20 ? 9 : 10)
                .setProducerName("workbench")
                .setProducerVersion("0.1.0")
                .setDocString("input: float [batch, " + shape.features() + "] preprocessed as metadata workbench.preprocess says; "
                        + "output: float [batch, " + type.arrayElementsPerExample() + "] "
                        + (metadata.task() == dev.workbench.data.Task.CLASSIFICATION ? "class probabilities in workbench.labels order" : "targets"))
                .setGraph(graph.build());
        model.addOpsetImportBuilder().setDomain("").setVersion(opset);
        for (Map.Entry<String, String> prop : metadata.toProperties().entrySet()) {
            model.addMetadataPropsBuilder().setKey(prop.getKey()).setValue(prop.getValue());
        }
        return model.build();
    }
}
