package dev.workbench.onnx;

import dev.workbench.models.rnn.GruLayer;
import dev.workbench.onnx.OnnxGraph.Attribute;
import java.util.List;

/**
 * The workbench's {@link GruLayer} as one ONNX GRU node: the layer is written in ONNX's
 * {@code linear_before_reset=1} form with gate blocks already in ONNX's z, r, h order, so only the per-direction
 * packing (and ONNX's bidirectional mode for a bidirectional layer) is needed.
 */
final class GruRule implements LayerRule {
    private static final int[] GATE_ORDER = {0, 1, 2};

    @Override
    public String emit(LayerExport layer) {
        GruLayer conf = (GruLayer) layer.layer();
        List<RecurrentOnnx.Direction> directions = conf.directionPrefixes().stream()
                .map(prefix -> new RecurrentOnnx.Direction(layer.param(prefix + GruLayer.INPUT_WEIGHTS),
                        layer.param(prefix + GruLayer.RECURRENT_WEIGHTS), layer.param(prefix + GruLayer.INPUT_BIAS),
                        layer.param(prefix + GruLayer.RECURRENT_BIAS)))
                .toList();
        String direction = switch (conf.getDirection()) {
            case FORWARD -> "forward";
            case BACKWARD -> "reverse";
            case BIDIRECTIONAL -> "bidirectional";
        };
        String y = RecurrentOnnx.node(layer, "GRU", directions, GATE_ORDER, conf.getNOut(), direction,
                Attribute.integer("linear_before_reset", 1));
        return RecurrentOnnx.toNcw(layer.graph(), "layer" + layer.index(), y, conf.getNOut() * directions.size());
    }
}
