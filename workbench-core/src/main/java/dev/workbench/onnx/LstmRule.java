package dev.workbench.onnx;

import dev.workbench.models.rnn.Lstm;
import dev.workbench.onnx.OnnxGraph.Attribute;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM (no peepholes) as one ONNX LSTM node. DL4J keeps W [nIn, 4H], RW [H, 4H] and b [1, 4H] with the
 * gate blocks in the order (cell input, forget, output, input gate) — see LSTMHelpers — where ONNX wants
 * (input, output, forget, cell). DL4J's one bias (forget-gate block initialised to forgetGateBiasInit) goes on
 * ONNX's input side; the gate activation and the layer activation (cell input and cell output) map to ONNX's
 * three activations. The workbench's {@link Lstm} has the same parameters, one set per direction it reads.
 */
final class LstmRule implements LayerRule {
    /** The layer classes this rule exports, exactly (a subclass could change what the layer computes). */
    static final Set<Class<? extends LSTM>> LAYERS = Set.of(LSTM.class);

    /** For ONNX's i, o, f, c blocks in turn, DL4J's block index. */
    private static final int[] GATE_ORDER = {3, 2, 1, 0};

    @Override
    public String emit(LayerExport layer) {
        LSTM conf = (LSTM) layer.layer();
        String y = emit(layer, conf, List.of(layer.params()), "forward");
        return RecurrentOnnx.toNcw(layer.graph(), "layer" + layer.index(), y, conf.getNOut());
    }

    /**
     * The ONNX LSTM over each direction's parameters (forward first; ONNX {@code direction} names them);
     * returns ONNX's Y {@code [time, dirs, batch, H]}.
     */
    static String emit(LayerExport layer, LSTM conf, List<Map<String, INDArray>> directions, String direction) {
        if (conf.getRnnDataFormat() != RNNFormat.NCW) {
            throw layer.unsupported("no ONNX rule for " + conf.getRnnDataFormat() + " sequences (export expects NCW)");
        }
        return emit(layer, directions, direction, RecurrentOnnx.activation(layer, conf.getGateActivationFn()),
                RecurrentOnnx.activation(layer, conf.getActivationFn()), conf.getNOut());
    }

    /**
     * The workbench's {@link Lstm} (DL4J's parameters and gate order, sigmoid gates, tanh cell) likewise; where the
     * graph masks padding, its real steps are read as {@link RecurrentOnnx.Compaction} says.
     */
    static String emitWorkbenchLstm(LayerExport layer) {
        Lstm conf = (Lstm) layer.layer();
        List<Map<String, INDArray>> directions = conf.directionPrefixes().stream()
                .map(prefix -> Map.of(Lstm.INPUT_WEIGHTS, layer.param(prefix + Lstm.INPUT_WEIGHTS),
                        Lstm.RECURRENT_WEIGHTS, layer.param(prefix + Lstm.RECURRENT_WEIGHTS), Lstm.BIAS, layer.param(prefix + Lstm.BIAS)))
                .toList();
        String y = emit(layer, directions, RecurrentOnnx.directionName(conf.getDirection()), "Sigmoid", "Tanh", conf.getNOut());
        return RecurrentOnnx.toNcw(layer.graph(), "layer" + layer.index(), y, conf.getNOut() * directions.size());
    }

    private static String emit(LayerExport layer, List<Map<String, INDArray>> directions, String direction, String gate,
                               String act, long hidden) {
        List<RecurrentOnnx.Direction> packed = directions.stream()
                .map(p -> new RecurrentOnnx.Direction(required(layer, p, "W"), required(layer, p, "RW"), required(layer, p, "b"), null))
                .toList();
        // ONNX lists (gate, cell input, cell output) activations once per direction.
        String[] activations = new String[3 * packed.size()];
        for (int d = 0; d < packed.size(); d++) {
            activations[3 * d] = gate;
            activations[3 * d + 1] = act;
            activations[3 * d + 2] = act;
        }
        return RecurrentOnnx.node(layer, "LSTM", packed, GATE_ORDER, hidden, direction,
                Attribute.strings("activations", activations));
    }

    private static INDArray required(LayerExport layer, Map<String, INDArray> params, String name) {
        INDArray value = params.get(name);
        if (value == null) {
            throw layer.unsupported("LSTM parameter '" + name + "' missing (have " + params.keySet() + ")");
        }
        return value;
    }
}
