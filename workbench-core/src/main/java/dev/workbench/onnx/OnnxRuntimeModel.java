package dev.workbench.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.workbench.data.graph.NodeGraph;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A model loaded into ONNX Runtime: runs preprocessed {@code [n, features]} inputs, exposes its metadata. */
public final class OnnxRuntimeModel implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private OnnxRuntimeModel(OrtSession session) {
        this.session = session;
    }

    public static OnnxRuntimeModel load(Path file) {
        try {
            return new OnnxRuntimeModel(OrtEnvironment.getEnvironment().createSession(file.toString(), new OrtSession.SessionOptions()));
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    public static OnnxRuntimeModel load(byte[] model) {
        try {
            return new OnnxRuntimeModel(OrtEnvironment.getEnvironment().createSession(model, new OrtSession.SessionOptions()));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Runs rows through a model that takes rows only. */
    public INDArray run(INDArray input) {
        if (takesGraph()) {
            throw new IllegalArgumentException("this model classifies the nodes of a graph: it takes the node features "
                    + "and the graph's edges (" + OnnxExporter.EDGE_INDEX + "), not rows alone; feed both to ONNX Runtime "
                    + "(workbench predict and serve take rows)");
        }
        try (OnnxTensor tensor = floats(input)) {
            return run(Map.of(OnnxExporter.INPUT, tensor), input);
        } catch (OrtException e) {
            throw failed(input, e);
        }
    }

    /** Runs a model whose inputs are named (a generator's noise and label), each {@code [n, width]}. */
    public INDArray run(Map<String, INDArray> inputs) {
        Map<String, OnnxTensor> tensors = new java.util.LinkedHashMap<>();
        try {
            for (Map.Entry<String, INDArray> input : inputs.entrySet()) {
                tensors.put(input.getKey(), floats(input.getValue()));
            }
            return run(tensors, inputs.values().iterator().next());
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed on inputs " + inputs.keySet() + ": " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Runs a graph model: {@code nodes} holds every node's (preprocessed) features, in {@code graph}'s node order. */
    public INDArray run(INDArray nodes, NodeGraph graph) {
        if (!takesGraph()) {
            throw new IllegalArgumentException("this model takes rows, not a graph: it has no " + OnnxExporter.EDGE_INDEX + " input");
        }
        long[] edges = new long[2 * graph.edges()];
        for (int e = 0; e < graph.edges(); e++) {
            edges[e] = graph.sources()[e];
            edges[graph.edges() + e] = graph.targets()[e];
        }
        try (OnnxTensor features = floats(nodes);
             OnnxTensor edgeIndex = OnnxTensor.createTensor(env, LongBuffer.wrap(edges), new long[]{2, graph.edges()})) {
            return run(Map.of(OnnxExporter.INPUT, features, OnnxExporter.EDGE_INDEX, edgeIndex), nodes);
        } catch (OrtException e) {
            throw failed(nodes, e);
        }
    }

    /** The names of the model's inputs. */
    public Set<String> inputNames() {
        return session.getInputNames();
    }

    /** Whether the model takes a graph's edges besides its rows. */
    public boolean takesGraph() {
        return session.getInputNames().contains(OnnxExporter.EDGE_INDEX);
    }

    private OnnxTensor floats(INDArray input) throws OrtException {
        INDArray x = input.castTo(DataType.FLOAT).dup('c');
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data().asFloat()), x.shape());
    }

    private INDArray run(Map<String, OnnxTensor> inputs, INDArray input) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            long[] shape = out.getInfo().getShape();
            FloatBuffer buffer = out.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return Nd4j.create(values, shape, 'c');
        }
    }

    private static IllegalArgumentException failed(INDArray input, OrtException e) {
        return new IllegalArgumentException("ONNX Runtime failed on input " + java.util.Arrays.toString(input.shape()) + ": "
                + e.getMessage(), e);
    }

    public ModelMetadata metadata() {
        try {
            return ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            throw new IllegalArgumentException("cannot read the model's metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
