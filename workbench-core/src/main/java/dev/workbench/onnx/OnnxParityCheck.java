package dev.workbench.onnx;

import dev.workbench.data.graph.NodeGraph;
import dev.workbench.train.ExportedModel;
import dev.workbench.train.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the same inputs through DL4J and ONNX Runtime and compares element-wise, as numpy.allclose does:
 * an element passes when {@code |dl4j - ort| <= atol + rtol * |dl4j|}.
 */
public final class OnnxParityCheck {
    /** Tolerances for fp32: relative 1e-4, absolute 1e-5 (for values near zero, e.g. small probabilities). */
    public static final double RTOL = 1e-4;
    public static final double ATOL = 1e-5;

    private OnnxParityCheck() {
    }

    /** The outcome, written to the run folder as onnx-parity.json. */
    public record Report(int samples, long[] outputShape, double maxAbsDiff, double maxRelDiff, double rtol, double atol,
                         boolean passed) {
    }

    public static Report compare(Network network, OnnxRuntimeModel onnx, INDArray inputs) {
        return compare(network, onnx, inputs, RTOL, ATOL);
    }

    /**
     * With explicit tolerances: deep networks with batch normalisation amplify fp32 rounding (a small running
     * standard deviation scales every difference up), so a user may accept a documented looser bound.
     */
    public static Report compare(Network network, OnnxRuntimeModel onnx, INDArray inputs, double rtol, double atol) {
        return compare(network.output(inputs), onnx.run(inputs), rtol, atol);
    }

    /**
     * A graph network on its whole graph: {@code nodes} holds every node's features; each node's output is compared
     * (samples = nodes).
     */
    public static Report compare(Network network, OnnxRuntimeModel onnx, INDArray nodes, NodeGraph graph, double rtol,
                                 double atol) {
        return compare(network.output(nodes), onnx.run(nodes, graph), rtol, atol);
    }

    /** A model a family exports in its own terms (a GAN's generator): its parity inputs, fed by name. */
    public static Report compare(ExportedModel model, OnnxRuntimeModel onnx, double rtol, double atol) {
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        for (int i = 0; i < model.inputs().size(); i++) {
            inputs.put(model.inputs().get(i).name(), model.parityInputs().get(i));
        }
        return compare(model.expected(), onnx.run(inputs), rtol, atol);
    }

    /** DL4J's {@code expected} output against ONNX Runtime's {@code actual}, one row per sample. */
    public static Report compare(INDArray expected, INDArray actual, double rtol, double atol) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalStateException("ONNX output shape " + java.util.Arrays.toString(actual.shape())
                    + " differs from DL4J's " + java.util.Arrays.toString(expected.shape()));
        }
        float[] e = expected.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        double maxAbs = 0;
        double maxRel = 0;
        boolean passed = true;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(e[i] - a[i]);
            maxAbs = Math.max(maxAbs, diff);
            maxRel = Math.max(maxRel, diff / Math.max(Math.abs(e[i]), 1e-12));
            passed &= diff <= atol + rtol * Math.abs(e[i]) && Float.isFinite(a[i]);
        }
        return new Report((int) expected.size(0), expected.shape(), maxAbs, maxRel, rtol, atol, passed);
    }
}
