package dev.workbench.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
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

    public INDArray run(INDArray input) {
        INDArray x = input.castTo(DataType.FLOAT).dup('c');
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data().asFloat()), x.shape());
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            long[] shape = out.getInfo().getShape();
            FloatBuffer buffer = out.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return Nd4j.create(values, shape, 'c');
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed on input " + java.util.Arrays.toString(input.shape()) + ": " + e.getMessage(), e);
        }
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
