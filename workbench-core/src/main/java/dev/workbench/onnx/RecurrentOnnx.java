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
     * Where the graph masks padding ({@link OnnxGraph#sequenceMask()}), ONNX's RNN ops can skip only a sequence's tail
     * ({@code sequence_lens}): each row's real steps are moved, in order, to the front, read with {@code sequence_lens}
     * their count, and moved back. The workbench's masked layers carry their state through padding, so their real
     * steps see exactly this. A padded step's output (the carried state in DL4J, 0 here) is never read: masked pooling,
     * the masked last step and the next masked layer skip it.
     *
     * @param toFront float {@code [batch, time, time]}: 1 where step t is the row's p-th real step, at {@code [b, t, p]}
     * @param back    its transpose, {@code [b, p, t]}
     * @param lengths int32 {@code [batch]}: real steps per row, at least 1 (ONNX Runtime refuses empty sequences)
     */
    record Compaction(String toFront, String back, String lengths) {
    }

    /** The graph's {@link Compaction}, built by the first recurrent layer that asks; empty where nothing is masked. */
    static java.util.Optional<Compaction> compaction(OnnxGraph g) {
        return g.sequenceMask().map(mask -> g.shared("recurrent_compaction", () -> compaction(g, mask)));
    }

    private static Compaction compaction(OnnxGraph g, String mask) {
        String hint = "padding_compaction";
        String rank = g.node("CumSum", hint + "_count", new String[]{mask, g.int64Scalar(hint + "_step_axis", 1)});
        String position = g.node("Sub", hint + "_position", new String[]{rank, g.constant(hint + "_one", new float[]{1f})});
        String steps = g.node("Gather", hint + "_steps", new String[]{g.node("Shape", hint + "_shape", new String[]{mask}),
                g.int64Scalar(hint + "_time_dim", 1)}, Attribute.integer("axis", 0));
        String slots = g.node("Cast", hint + "_slots", new String[]{g.node("Range", hint + "_range",
                new String[]{g.int64Scalar(hint + "_start", 0), steps, g.int64Scalar(hint + "_delta", 1)})},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.FLOAT_VALUE));
        String same = g.node("Equal", hint + "_same", new String[]{g.node("Unsqueeze", hint + "_position_column",
                new String[]{position, g.int64Constant(hint + "_slot_axis", 2)}), slots});
        String real = g.node("Unsqueeze", hint + "_real", new String[]{mask, g.int64Constant(hint + "_real_axis", 2)});
        String toFront = g.node("Mul", hint + "_to_front", new String[]{g.node("Cast", hint + "_same_float", new String[]{same},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.FLOAT_VALUE)), real});
        String back = g.node("Transpose", hint + "_back", new String[]{toFront}, Attribute.ints("perm", 0, 2, 1));
        String count = g.node("ReduceSum", hint + "_lengths_float", new String[]{mask, g.int64Constant(hint + "_sum_axis", 1)},
                Attribute.integer("keepdims", 0));
        String atLeastOne = g.node("Max", hint + "_lengths_min", new String[]{count, g.constant(hint + "_min_length", new float[]{1f})});
        String lengths = g.node("Cast", hint + "_lengths", new String[]{atLeastOne},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.INT32_VALUE));
        return new Compaction(toFront, back, lengths);
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
        java.util.Optional<Compaction> compaction = compaction(g);
        // A permutation matrix moves the real steps: exact in float, one 1 and zeros per sum.
        String ncw = compaction.isEmpty() ? layer.input()
                : g.node("MatMul", hint + "_real_first", new String[]{layer.input(), compaction.get().toFront()});
        String x = g.node("Transpose", hint + "_time_major", new String[]{ncw}, Attribute.ints("perm", 2, 0, 1));
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
        java.util.List<String> inputs = new java.util.ArrayList<>(List.of(x, g.constant(hint + "_W", Nd4j.stack(0, w)),
                g.constant(hint + "_R", Nd4j.stack(0, r)), g.constant(hint + "_B", Nd4j.stack(0, b))));
        compaction.ifPresent(c -> inputs.add(c.lengths()));
        return g.node(op, hint + "_" + op.toLowerCase(), inputs.toArray(new String[0]), all);
    }

    /** DL4J's [rows, G*H] with gate blocks reordered to ONNX's order, transposed to ONNX's [G*H, rows]. */
    private static INDArray gates(INDArray dl4j, int[] gateOrder, long hidden) {
        INDArray[] blocks = new INDArray[gateOrder.length];
        for (int k = 0; k < gateOrder.length; k++) {
            blocks[k] = dl4j.get(NDArrayIndex.all(), NDArrayIndex.interval(gateOrder[k] * hidden, (gateOrder[k] + 1) * hidden));
        }
        return Nd4j.concat(1, blocks).transpose().dup('c');
    }

    /**
     * ONNX's Y {@code [time, dirs, batch, H]} as DL4J's {@code [batch, dirs * H, time]}: directions concatenated, forward
     * first; where the graph masks padding, each real step moved back to its place ({@link Compaction}).
     */
    static String toNcw(OnnxGraph g, String hint, String y, long width) {
        String batchFirst = g.node("Transpose", hint + "_batch_first", new String[]{y}, Attribute.ints("perm", 2, 1, 3, 0));
        String ncw = g.node("Reshape", hint + "_ncw", new String[]{batchFirst, g.int64Constant(hint + "_ncw_shape", 0, width, -1)});
        return compaction(g).map(c -> g.node("MatMul", hint + "_in_place", new String[]{ncw, c.back()})).orElse(ncw);
    }

    /** One direction of ONNX's Y ({@code 0} forward, {@code 1} reverse), keeping the direction axis. */
    static String direction(OnnxGraph g, String hint, String y, int index) {
        return g.node("Slice", hint + "_dir" + index, new String[]{y, g.int64Constant(hint + "_dir_start", index),
                g.int64Constant(hint + "_dir_end", index + 1), g.int64Constant(hint + "_dir_axis", 1)});
    }

    /** ONNX's {@code direction} attribute for a workbench recurrent layer's direction. */
    static String directionName(dev.workbench.models.rnn.RecurrentSameDiffLayer.Direction direction) {
        return switch (direction) {
            case FORWARD -> "forward";
            case BACKWARD -> "reverse";
            case BIDIRECTIONAL -> "bidirectional";
        };
    }

    /**
     * The last time step of {@code [batch, features, time]}, as {@code [batch, features]}; where the graph masks
     * padding, each row's last real step, as the workbench's LastStep reads it.
     */
    static String lastStep(OnnxGraph g, String hint, String ncw) {
        if (g.sequenceMask().isPresent()) {
            return lastRealStep(g, hint, ncw, g.sequenceMask().get());
        }
        String last = g.node("Slice", hint + "_last", new String[]{ncw, g.int64Constant(hint + "_last_start", -1),
                g.int64Constant(hint + "_last_end", Long.MAX_VALUE), g.int64Constant(hint + "_last_axis", 2)});
        return g.node("Squeeze", hint + "_last_step", new String[]{last, g.int64Constant(hint + "_last_squeeze", 2)});
    }

    /** {@code sum_t x[:, :, t] * onehot[t]} where the one-hot picks the largest t the mask marks real. */
    private static String lastRealStep(OnnxGraph g, String hint, String ncw, String mask) {
        String steps = g.node("Gather", hint + "_steps", new String[]{g.node("Shape", hint + "_shape", new String[]{mask}),
                g.int64Scalar(hint + "_time_dim", 1)}, Attribute.integer("axis", 0));
        String numbers = g.node("Cast", hint + "_step_numbers", new String[]{g.node("Range", hint + "_range",
                new String[]{g.int64Scalar(hint + "_first", 1), g.node("Add", hint + "_end", new String[]{steps,
                        g.int64Scalar(hint + "_one", 1)}), g.int64Scalar(hint + "_delta", 1)})},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.FLOAT_VALUE));
        String last = g.node("ArgMax", hint + "_last_real", new String[]{g.node("Mul", hint + "_real_numbers",
                new String[]{mask, numbers})}, Attribute.integer("axis", 1), Attribute.integer("keepdims", 1));
        String zeroBased = g.node("Range", hint + "_slots", new String[]{g.int64Scalar(hint + "_zero", 0), steps,
                g.int64Scalar(hint + "_step", 1)});
        String pick = g.node("Cast", hint + "_pick", new String[]{g.node("Equal", hint + "_is_last", new String[]{zeroBased, last})},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.FLOAT_VALUE));
        String picked = g.node("Mul", hint + "_picked", new String[]{ncw, g.node("Unsqueeze", hint + "_pick_rows",
                new String[]{pick, g.int64Constant(hint + "_pick_axis", 1)})});
        return g.node("ReduceSum", hint + "_last_step", new String[]{picked, g.int64Constant(hint + "_sum_axis", 2)},
                Attribute.integer("keepdims", 0));
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
