package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the recurrent rules share: DL4J's {@code [batch, features, time]} against ONNX RNN ops'
 * {@code [time, batch, features]} and {@code [time, directions, batch, hidden]}, and DL4J's per-direction
 * {@code [in, gates * hidden]} weights packed as ONNX's {@code [directions, gates * hidden, in]} in ONNX's gate
 * order.
 */
final class RecurrentOnnx {
    private RecurrentOnnx() {
    }

    /** One direction's DL4J parameters: input weights [nIn, G*H], recurrent weights [H, G*H], bias [1, G*H] or null. */
    record Direction(INDArray input, INDArray recurrent, INDArray inputBias, INDArray recurrentBias) {
    }

    /**
     * An ONNX LSTM or GRU node over a DL4J NCW activation; returns its output Y, {@code [time, dirs, batch, H]}.
     *
     * @param gateOrder for each ONNX gate block in turn, the index of the DL4J block that holds it
     */
    static String node(LayerExport layer, String op, List<Direction> directions, int[] gateOrder, long hidden,
                       String direction, Attribute... attributes) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String x = g.node("Transpose", hint + "_time_major", new String[]{layer.input()}, Attribute.ints("perm", 2, 0, 1));
        INDArray[] w = new INDArray[directions.size()];
        INDArray[] r = new INDArray[directions.size()];
        INDArray[] b = new INDArray[directions.size()];
        for (int d = 0; d < directions.size(); d++) {
            Direction dir = directions.get(d);
            w[d] = gates(dir.input(), gateOrder, hidden);
            r[d] = gates(dir.recurrent(), gateOrder, hidden);
            // ONNX adds two biases (input and recurrent side); DL4J's LSTM has one, which goes on the input side.
            INDArray wb = gates(dir.inputBias().reshape(1, -1), gateOrder, hidden).reshape(-1);
            INDArray rb = dir.recurrentBias() == null ? Nd4j.zeros(wb.dataType(), wb.length())
                    : gates(dir.recurrentBias().reshape(1, -1), gateOrder, hidden).reshape(-1);
            b[d] = Nd4j.concat(0, wb, rb);
        }
        Attribute[] all = java.util.Arrays.copyOf(attributes, attributes.length + 2);
        all[attributes.length] = Attribute.integer("hidden_size", hidden);
        all[attributes.length + 1] = Attribute.string("direction", direction);
        return g.node(op, hint + "_" + op.toLowerCase(), new String[]{x, g.constant(hint + "_W", Nd4j.stack(0, w)),
                g.constant(hint + "_R", Nd4j.stack(0, r)), g.constant(hint + "_B", Nd4j.stack(0, b))}, all);
    }

    /** DL4J's [rows, G*H] with gate blocks reordered to ONNX's order, transposed to ONNX's [G*H, rows]. */
    private static INDArray gates(INDArray dl4j, int[] gateOrder, long hidden) {
        INDArray[] blocks = new INDArray[gateOrder.length];
        for (int k = 0; k < gateOrder.length; k++) {
            blocks[k] = dl4j.get(NDArrayIndex.all(), NDArrayIndex.interval(gateOrder[k] * hidden, (gateOrder[k] + 1) * hidden));
        }
        return Nd4j.concat(1, blocks).transpose().dup('c');
    }

    /** ONNX's Y {@code [time, dirs, batch, H]} as DL4J's {@code [batch, dirs * H, time]}: directions concatenated, forward first. */
    static String toNcw(OnnxGraph g, String hint, String y, long width) {
        String batchFirst = g.node("Transpose", hint + "_batch_first", new String[]{y}, Attribute.ints("perm", 2, 1, 3, 0));
        return g.node("Reshape", hint + "_ncw", new String[]{batchFirst, g.int64Constant(hint + "_ncw_shape", 0, width, -1)});
    }

    /** One direction of ONNX's Y ({@code 0} forward, {@code 1} reverse), keeping the direction axis. */
    static String direction(OnnxGraph g, String hint, String y, int index) {
        return g.node("Slice", hint + "_dir" + index, new String[]{y, g.int64Constant(hint + "_dir_start", index),
                g.int64Constant(hint + "_dir_end", index + 1), g.int64Constant(hint + "_dir_axis", 1)});
    }

    /** The last time step of {@code [batch, features, time]}, as {@code [batch, features]}. */
    static String lastStep(OnnxGraph g, String hint, String ncw) {
        String last = g.node("Slice", hint + "_last", new String[]{ncw, g.int64Constant(hint + "_last_start", -1),
                g.int64Constant(hint + "_last_end", Long.MAX_VALUE), g.int64Constant(hint + "_last_axis", 2)});
        return g.node("Squeeze", hint + "_last_step", new String[]{last, g.int64Constant(hint + "_last_squeeze", 2)});
    }

    /** The ONNX name of a DL4J activation usable inside an ONNX RNN op; an error naming the layer otherwise. */
    static String activation(LayerExport layer, org.nd4j.linalg.activations.IActivation fn) {
        if (fn instanceof org.nd4j.linalg.activations.impl.ActivationSigmoid) {
            return "Sigmoid";
        }
        if (fn instanceof org.nd4j.linalg.activations.impl.ActivationTanH) {
            return "Tanh";
        }
        if (fn instanceof org.nd4j.linalg.activations.impl.ActivationReLU relu
                && relu.getMax() == null && relu.getThreshold() == null && relu.getNegativeSlope() == null) {
            return "Relu";
        }
        if (fn instanceof org.nd4j.linalg.activations.impl.ActivationSoftSign) {
            return "Softsign";
        }
        throw layer.unsupported("no ONNX rule for recurrent activation " + fn);
    }
}
