package dev.workbench.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's Bidirectional wrapper around an LSTM as one ONNX LSTM in bidirectional mode; the two directions'
 * outputs combined as DL4J's mode says (CONCAT: forward then backward features; ADD, MUL, AVERAGE: element-wise).
 * DL4J aligns the backward output with the input's time steps, as ONNX's reverse direction does.
 */
final class BidirectionalRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        Bidirectional conf = (Bidirectional) layer.layer();
        if (!(conf.getFwd() instanceof LSTM lstm) || !LstmRule.LAYERS.contains(conf.getFwd().getClass())) {
            throw layer.unsupported("no ONNX rule for a Bidirectional wrapper around " + conf.getFwd().getClass().getSimpleName());
        }
        String y = LstmRule.emit(layer, lstm, List.of(direction(layer, BidirectionalParamInitializer.FORWARD_PREFIX),
                direction(layer, BidirectionalParamInitializer.BACKWARD_PREFIX)), "bidirectional");
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        long hidden = lstm.getNOut();
        if (conf.getMode() == Bidirectional.Mode.CONCAT) {
            return RecurrentOnnx.toNcw(g, hint, y, 2 * hidden);
        }
        String forward = RecurrentOnnx.direction(g, hint, y, 0);
        String backward = RecurrentOnnx.direction(g, hint, y, 1);
        String combined = switch (conf.getMode()) {
            case ADD -> g.node("Add", hint + "_add", new String[]{forward, backward});
            case MUL -> g.node("Mul", hint + "_mul", new String[]{forward, backward});
            case AVERAGE -> g.node("Mul", hint + "_average", new String[]{g.node("Add", hint + "_sum", new String[]{forward, backward}),
                    g.constant(hint + "_half", new float[]{0.5f})});
            default -> throw layer.unsupported("no ONNX rule for Bidirectional mode " + conf.getMode());
        };
        return RecurrentOnnx.toNcw(g, hint, combined, hidden);
    }

    /** One direction's parameters, DL4J's "f"/"b" prefix removed. */
    private static Map<String, INDArray> direction(LayerExport layer, String prefix) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        layer.params().forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                params.put(name.substring(prefix.length()), value);
            }
        });
        return params;
    }
}
