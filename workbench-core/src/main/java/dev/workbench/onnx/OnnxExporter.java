package dev.workbench.onnx;

import dev.workbench.data.InputShape;
import dev.workbench.train.ExportedModel;
import dev.workbench.models.transformer.TiedTokenEmbedding;
import dev.workbench.train.PaddingMaskedNetwork;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J network to ONNX: walks the layers (or graph vertices, topologically), lets each one's rule write its nodes, and records
 * the model metadata. Input {@code input} is {@code [batch, features]} (images flattened C,H,W as the
 * workbench feeds them) or, for sequences, {@code [batch, channels, time]} (token ids as floats, channels 1) with
 * a dynamic time dimension; output {@code output} is {@code [batch, classes]} (probabilities) or targets, or
 * {@code [batch, classes, time]} for a per-step output such as a language model's. A graph network's rows are the
 * nodes of one graph, whose edges are a second input, {@link #EDGE_INDEX}. The opset asked for is the lowest written:
 * a rule that needs a newer one raises it (graph layers' scatter reductions: 16, graph attention's maximum: 18).
 */
public final class OnnxExporter {
    public static final int DEFAULT_OPSET = 17;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** A graph model's second input: int64 {@code [2, edges]}, the source then the target node of each edge. */
    public static final String EDGE_INDEX = "edge_index";
    /** How a graph model reads {@link #EDGE_INDEX}, for its doc string and metadata. */
    static final String EDGE_INDEX_MEANING = "int64 [2, edges]: row 0 the source, row 1 the target node of each edge "
            + "(edges.csv's columns), node ids 0..N-1 being the rows of input; each edge counts both ways, duplicates "
            + "once, and every node gets one self-loop, as the workbench trains on its graphs";

    private final ExportRules rules;

    public OnnxExporter(ExportRules rules) {
        this.rules = rules;
    }

    public Onnx.ModelProto export(MultiLayerNetwork net, InputShape shape, ModelMetadata metadata, int opset) {
        return export(net, shape, metadata, opset, false);
    }

    /**
     * As {@link #export(MultiLayerNetwork, InputShape, ModelMetadata, int)}; with {@code maskPadding}, for a network
     * trained with the padding mask of its token ids ({@link PaddingMaskedNetwork}): the graph computes the same mask
     * from {@code input} (id {@value PaddingMaskedNetwork#PAD_ID} is padding), so it takes the same one input and its
     * attention and pooling skip padding as DL4J's do.
     */
    public Onnx.ModelProto export(MultiLayerNetwork net, InputShape shape, ModelMetadata metadata, int opset,
                                  boolean maskPadding) {
        checkOpset(opset);
        OnnxGraph graph = new OnnxGraph(graphName(metadata));
        graph.input(INPUT, inputDims(shape));
        if (maskPadding) {
            if (!shape.isTokens()) {
                throw new IllegalArgumentException("a padding mask needs token ids as input, got " + shape);
            }
            graph.sequenceMask(paddingMask(graph));
        }
        Layers out = layers(graph, net, INPUT, inputType(shape));
        return finish(graph, out.tensor(), outputDims(out.type()), describe(shape, out.type(), graph, metadata), metadata,
                opset);
    }

    /** float {@code [batch, time]}: 1 where {@link #INPUT}'s id is a token, 0 where it is padding. */
    private static String paddingMask(OnnxGraph graph) {
        String ids = graph.node("Squeeze", "padding_ids", new String[]{INPUT, graph.int64Constant("padding_channel_axis", 1)});
        String pad = graph.node("Equal", "padding_is_pad", new String[]{ids,
                graph.constant("padding_id", new float[]{PaddingMaskedNetwork.PAD_ID})});
        String real = graph.node("Not", "padding_is_token", new String[]{pad});
        return graph.node("Cast", "padding_mask", new String[]{real},
                OnnxGraph.Attribute.integer("to", Onnx.TensorProto.DataType.FLOAT_VALUE));
    }

    /**
     * A network a family exports in its own terms ({@link ExportedModel}): its named inputs, concatenated along
     * features in their order, feed the first layer; the last layer's output is flattened per row and mapped by
     * {@code (x + shift) * scale}.
     */
    public Onnx.ModelProto export(ExportedModel exported, ModelMetadata metadata, int opset) {
        checkOpset(opset);
        OnnxGraph graph = new OnnxGraph(graphName(metadata));
        StringBuilder doc = new StringBuilder();
        for (ExportedModel.Input input : exported.inputs()) {
            graph.input(input.name(), input.width());
            doc.append(input.name()).append(": float [batch, ").append(input.width()).append("] ")
                    .append(input.meaning()).append("; ");
        }
        String[] names = exported.inputs().stream().map(ExportedModel.Input::name).toArray(String[]::new);
        String tensor = names.length == 1 ? names[0] : graph.node("Concat", "inputs", names, OnnxGraph.Attribute.integer("axis", 1));
        Layers out = layers(graph, exported.model(), tensor, InputType.feedForward(exported.inputWidth()));
        tensor = out.tensor();
        if (out.type() instanceof InputType.InputTypeConvolutional) {
            // DL4J flattens NCHW maps in C order, as ONNX Flatten does.
            tensor = graph.node("Flatten", "flatten", new String[]{tensor}, OnnxGraph.Attribute.integer("axis", 1));
        }
        ExportedModel.Output output = exported.output();
        if (output.shift() != 0) {
            tensor = graph.node("Add", "shift", new String[]{tensor, graph.constant("shift", new float[]{(float) output.shift()})});
        }
        if (output.scale() != 1) {
            tensor = graph.node("Mul", "scale", new String[]{tensor, graph.constant("scale", new float[]{(float) output.scale()})});
        }
        long width = out.type().arrayElementsPerExample();
        doc.append(OUTPUT).append(": float [batch, ").append(width).append("] ").append(output.meaning());
        return finish(graph, tensor, new long[]{width}, doc.toString(), metadata, opset);
    }

    /** The tensor a network's last layer writes and its DL4J type. */
    private record Layers(String tensor, InputType type) {
    }

    /** Every layer of {@code net}, in order, fed {@code tensor} of DL4J type {@code type}. */
    private Layers layers(OnnxGraph graph, MultiLayerNetwork net, String tensor, InputType type) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<InputType> outputTypes = conf.getLayerActivationTypes(type);
        int head = net.getnLayers() - 1;
        if (conf.getConfs().stream().anyMatch(c -> c.getLayer() instanceof TiedTokenEmbedding)
                && net.getLayer(head).getParam("W") != null) {
            // Declared before the layers: the tied embedding, which comes first, reads the head's weights.
            graph.shared(TiedEmbeddingRule.HEAD_WEIGHTS, () -> graph.constant("layer" + head + "_W", net.getLayer(head).getParam("W")));
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            tensor = layer(graph, i, conf.getInputPreProcess(i), conf.getConf(i).getLayer(), net.getLayer(i).paramTable(), tensor, type,
                    i == net.getnLayers() - 1);
            type = outputType(conf.getConf(i).getLayer(), type, outputTypes.get(i));
        }
        return new Layers(tensor, type);
    }

    private static String graphName(ModelMetadata metadata) {
        return metadata.job().isEmpty() ? "workbench" : metadata.job();
    }

    /**
     * A ComputationGraph with one input, vertex by vertex in topological order. Only the first output is
     * exported, with the vertices it depends on: further outputs are training-only loss terms.
     */
    public Onnx.ModelProto export(ComputationGraph net, InputShape shape, ModelMetadata metadata, int opset) {
        checkOpset(opset);
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("export supports graphs with one input, got " + conf.getNetworkInputs());
        }
        java.util.Set<String> needed = ancestors(conf, conf.getNetworkOutputs().get(0));
        InputType inputType = inputType(shape);
        Map<String, InputType> types = new HashMap<>(conf.getLayerActivationTypes(inputType));
        types.put(conf.getNetworkInputs().get(0), inputType);
        Map<String, String> tensors = new HashMap<>(Map.of(conf.getNetworkInputs().get(0), INPUT));
        OnnxGraph graph = new OnnxGraph(graphName(metadata));
        graph.input(INPUT, inputDims(shape));
        for (int index : net.topologicalSortOrder()) {
            String name = net.getVertices()[index].getVertexName();
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex == null || !needed.contains(name)) {
                continue;  // the network input, or a vertex only a training loss uses
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            String[] inputTensors = inputs.stream().map(tensors::get).toArray(String[]::new);
            String tensor;
            if (vertex instanceof LayerVertex layerVertex) {
                tensor = layer(graph, index, layerVertex.getPreProcessor(), layerVertex.getLayerConf().getLayer(),
                        net.getLayer(name).paramTable(), inputTensors[0], types.get(inputs.get(0)),
                        name.equals(conf.getNetworkOutputs().get(0)));
            } else if (vertex instanceof PreprocessorVertex preprocessorVertex) {
                InputPreProcessor preprocessor = preprocessorVertex.getPreProcessor();
                tensor = rules.forPreprocessor(index, preprocessor).emit(graph, index, preprocessor, inputTensors[0]);
            } else {
                tensor = rules.forVertex(index, vertex).emit(graph, index, vertex, inputTensors);
            }
            tensors.put(name, tensor);
            if (vertex instanceof LayerVertex layerVertex) {
                types.put(name, outputType(layerVertex.getLayerConf().getLayer(), types.get(inputs.get(0)), types.get(name)));
            }
        }
        String output = conf.getNetworkOutputs().get(0);
        return finish(graph, tensors.get(output), outputDims(types.get(output)),
                describe(shape, types.get(output), graph, metadata), metadata, opset);
    }

    private static java.util.Set<String> ancestors(ComputationGraphConfiguration conf, String vertex) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    private String layer(OnnxGraph graph, int index, InputPreProcessor preprocessor, Layer layer, Map<String, INDArray> params,
                         String tensor, InputType type, boolean last) {
        // DL4J puts an RNN-to-dense pre-processor after a pooled sequence too; on [batch, C] it passes through.
        boolean passesThrough = preprocessor instanceof RnnToFeedForwardPreProcessor && type instanceof InputType.InputTypeFeedForward;
        if (preprocessor != null && !passesThrough) {
            tensor = rules.forPreprocessor(index, preprocessor).emit(graph, index, preprocessor, tensor);
            type = preprocessor.getOutputType(type);
        }
        return rules.forLayer(index, layer).emit(new LayerExport(graph, index, layer, params, tensor, type, last));
    }

    /**
     * The type a layer really outputs: DL4J M2.1's GlobalPoolingLayer reports a sequence for its pooled [batch, C], and
     * a LossLayer (an activation, element by element) a width of 0 instead of its input's.
     */
    private static InputType outputType(Layer layer, InputType input, InputType reported) {
        if (layer instanceof LossLayer) {
            return input;
        }
        if (layer instanceof GlobalPoolingLayer pooling && pooling.isCollapseDimensions()
                && reported instanceof InputType.InputTypeRecurrent recurrent) {
            return InputType.feedForward(recurrent.getSize());
        }
        return reported;
    }

    private static void checkOpset(int opset) {
        if (opset < 13 || opset > 21) {
            throw new IllegalArgumentException("--opset: supported 13..21, got " + opset);
        }
    }

    private static InputType inputType(InputShape shape) {
        if (shape.isSequence()) {
            return InputType.recurrent(shape.channels(), shape.length());
        }
        return shape.isImage()
                ? InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels())
                : InputType.feedForward(shape.features());
    }

    /** Per-example dimensions of the graph input: features, or channels by a dynamic time dimension. */
    private static long[] inputDims(InputShape shape) {
        return shape.isSequence() ? new long[]{shape.channels(), OnnxGraph.DYNAMIC} : new long[]{shape.features()};
    }

    /** Per-example dimensions of the graph output, from the last layer's DL4J type. */
    private static long[] outputDims(InputType type) {
        return type instanceof InputType.InputTypeRecurrent recurrent
                ? new long[]{recurrent.getSize(), OnnxGraph.DYNAMIC} : new long[]{type.arrayElementsPerExample()};
    }

    private static String describe(long[] dims) {
        StringBuilder text = new StringBuilder("float [batch");
        for (long d : dims) {
            text.append(", ").append(d == OnnxGraph.DYNAMIC ? OnnxGraph.TIME : Long.toString(d));
        }
        return text.append("]").toString();
    }

    /** The doc string of a model fed the dataset's inputs. */
    private static String describe(InputShape shape, InputType output, OnnxGraph graph, ModelMetadata metadata) {
        return "input: " + describe(inputDims(shape)) + " preprocessed as metadata workbench.preprocess says"
                + (graph.hasInput(EDGE_INDEX) ? ", one row per node of the graph; " + EDGE_INDEX + ": " + EDGE_INDEX_MEANING : "")
                + (graph.sequenceMask().isPresent() ? ", token id " + PaddingMaskedNetwork.PAD_ID
                        + " is padding (neither attended to nor averaged over)" : "")
                + "; output: " + describe(outputDims(output)) + " "
                + (metadata.task().isCategorical() ? "class probabilities in workbench.labels order" : "targets");
    }

    private static Onnx.ModelProto finish(OnnxGraph graph, String tensor, long[] outputDims, String doc,
                                          ModelMetadata metadata, int opset) {
        if (graph.hasInput(tensor)) {
            graph.node("Identity", OUTPUT, new String[]{tensor});
        } else {
            graph.renameLastOutput(tensor, OUTPUT);
        }
        graph.output(OUTPUT, outputDims);
        int written = Math.max(opset, graph.requiredOpset());
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(written <= 18 ? 8 : written <= 20 ? 9 : 10)
                .setProducerName("workbench")
                .setProducerVersion("0.1.0")
                .setDocString(doc)
                .setGraph(graph.build());
        model.addOpsetImportBuilder().setDomain("").setVersion(written);
        for (Map.Entry<String, String> prop : metadata.toProperties().entrySet()) {
            model.addMetadataPropsBuilder().setKey(prop.getKey()).setValue(prop.getValue());
        }
        if (graph.hasInput(EDGE_INDEX)) {
            model.addMetadataPropsBuilder().setKey("workbench." + EDGE_INDEX).setValue(EDGE_INDEX_MEANING);
        }
        return model.build();
    }
}
