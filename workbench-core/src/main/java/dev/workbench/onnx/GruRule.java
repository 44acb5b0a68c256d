package dev.workbench.onnx;

import dev.workbench.models.rnn.Gru;
import dev.workbench.onnx.OnnxGraph.Attribute;
import java.util.List;

/**
 * The workbench's {@link Gru} as one ONNX GRU node: the layer is written in ONNX's
 * {@code linear_before_reset=1} form with gate blocks already in ONNX's z, r, h order, so only the per-direction
 * packing (and ONNX's bidirectional mode for a bidirectional layer) is needed.
 */
final class GruRule implements LayerRule {
    private static final int[] GATE_ORDER = {0, 1, 2};

    @Override
    public String emit(LayerExport layer) {
        Gru conf = (Gru) layer.layer();
        List<RecurrentOnnx.Direction> directions = conf.directionPrefixes().stream()
                .map(prefix -> new RecurrentOnnx.Direction(layer.param(prefix + Gru.INPUT_WEIGHTS),
                        layer.param(prefix + Gru.RECURRENT_WEIGHTS), layer.param(prefix + Gru.INPUT_BIAS),
                        layer.param(prefix + Gru.RECURRENT_BIAS)))
                .toList();
        String y = RecurrentOnnx.node(layer, "GRU", directions, GATE_ORDER, conf.getNOut(),
                RecurrentOnnx.directionName(conf.getDirection()),
                Attribute.integer("linear_before_reset", 1));
        return RecurrentOnnx.toNcw(layer.graph(), "layer" + layer.index(), y, conf.getNOut() * directions.size());
    }
}
