package dev.workbench.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Builds an ONNX graph with the schema classes that ship in nd4j-api: float tensors, nodes with
 * attributes, and names made unique per graph so rules never collide.
 */
public final class OnnxGraph {
    /** Symbolic name of the dynamic batch dimension. */
    public static final String BATCH = "batch";
    /** Symbolic name of a sequence's time dimension, written where a dimension is given as {@link #DYNAMIC}. */
    public static final String TIME = "time";
    /** A dimension value that declares the dynamic {@link #TIME} dimension. */
    public static final long DYNAMIC = -1;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, Integer> used = new HashMap<>();
    private final Map<String, Object> shared = new HashMap<>();
    private int requiredOpset;
    private String requiredBy = "";
    private String sequenceMask;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh tensor name starting with {@code hint}. */
    public String name(String hint) {
        int n = used.merge(hint, 1, Integer::sum);
        return n == 1 ? hint : hint + "_" + n;
    }

    /** Declares a float graph input whose first dimension is the dynamic batch ({@link #DYNAMIC} dims: time). */
    public void input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
    }

    /**
     * Declares an int64 graph input with its own dimensions, each a {@code Long} value or a {@code String}
     * symbolic name (no batch dimension is added).
     */
    public void int64Input(String name, Object... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String symbol ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(symbol)
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue((Long) d));
        }
        graph.addInput(Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.INT64_VALUE).setShape(shape)))
                .build());
    }

    public boolean hasInput(String name) {
        return graph.getInputList().stream().anyMatch(input -> input.getName().equals(name));
    }

    /**
     * What several rules read, emitted by the first that asks ({@code emit}) and handed to the rest under
     * {@code key}: a graph's neighbourhood is built once however many graph layers use it.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, java.util.function.Supplier<T> emit) {
        Object value = shared.get(key);
        if (value == null) {
            value = emit.get();
            shared.put(key, value);
        }
        return (T) value;
    }

    /**
     * Declares {@code tensor}, float {@code [batch, time]} (1 a token, 0 padding), as the mask every sequence layer
     * after it reads, as DL4J's layers read a features mask: attention keeps padding out of its keys, average pooling
     * out of its mean.
     */
    public void sequenceMask(String tensor) {
        sequenceMask = tensor;
    }

    /** The tensor {@link #sequenceMask(String)} declared, empty when the graph masks nothing. */
    public java.util.Optional<String> sequenceMask() {
        return java.util.Optional.ofNullable(sequenceMask);
    }

    /** Records that a node needs at least {@code opset} ({@code why} names it); the model is written at that one or newer. */
    public void requireOpset(int opset, String why) {
        if (opset > requiredOpset) {
            requiredOpset = opset;
            requiredBy = why;
        }
    }

    /** The newest opset a node asked for ({@link #requireOpset}), 0 when none did. */
    public int requiredOpset() {
        return requiredOpset;
    }

    /** What asked for {@link #requiredOpset()}. */
    public String requiredBy() {
        return requiredBy;
    }

    public void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    /** Adds {@code values} as a float initializer (a constant) and returns its name. */
    public String constant(String hint, INDArray values) {
        return constant(hint, values.castTo(DataType.FLOAT).dup('c').data().asFloat(), values.shape());
    }

    public String constant(String hint, float[] values, long... dims) {
        String name = name(hint);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.flip();
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** An int64 initializer, e.g. a Reshape target shape. */
    public String int64Constant(String hint, long... values) {
        String name = name(hint);
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** An int64 scalar initializer (rank 0), e.g. a Range bound or a Gather index that drops its axis. */
    public String int64Scalar(String hint, long value) {
        String name = name(hint);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addInt64Data(value));
        return name;
    }

    /** Adds a node with one output named from {@code hint}; returns that output's name. */
    public String node(String opType, String hint, String[] inputs, Attribute... attributes) {
        String output = name(hint);
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType(opType).setName(output + "_" + opType)
                .addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (Attribute attribute : attributes) {
            node.addAttribute(attribute.proto());
        }
        graph.addNode(node);
        return output;
    }

    /** Renames the last node's output so the graph ends in a stable, documented name. */
    public void renameLastOutput(String from, String to) {
        for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
            Onnx.NodeProto node = graph.getNode(i);
            if (node.getOutputList().contains(from)) {
                graph.setNode(i, node.toBuilder().setOutput(node.getOutputList().indexOf(from), to));
                return;
            }
        }
        throw new IllegalStateException("no node produces " + from);
    }

    public Onnx.GraphProto build() {
        return graph.build();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(d == DYNAMIC ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(TIME)
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /** A node attribute. */
    public record Attribute(Onnx.AttributeProto proto) {
        public static Attribute ints(String name, long... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return new Attribute(a.build());
        }

        public static Attribute integer(String name, long value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build());
        }

        public static Attribute string(String name, String value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build());
        }

        public static Attribute strings(String name, String... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRINGS);
            for (String v : values) {
                a.addStrings(ByteString.copyFromUtf8(v));
            }
            return new Attribute(a.build());
        }

        public static Attribute real(String name, double value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF((float) value).build());
        }
    }
}
