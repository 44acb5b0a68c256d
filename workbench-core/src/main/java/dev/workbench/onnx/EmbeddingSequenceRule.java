package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;

/**
 * Token ids to embeddings: the ids arrive as floats {@code [batch, 1, time]}; Cast to int64, drop the channel,
 * Gather rows of W [vocabulary, E], add the bias if the layer has one, apply its activation and put the
 * features first: {@code [batch, E, time]}.
 */
final class EmbeddingSequenceRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        EmbeddingSequenceLayer conf = (EmbeddingSequenceLayer) layer.layer();
        if (conf.getOutputFormat() != RNNFormat.NCW) {
            throw layer.unsupported("no ONNX rule for " + conf.getOutputFormat() + " output (export writes NCW)");
        }
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        String ids = g.node("Cast", hint + "_ids", new String[]{layer.input()},
                Attribute.integer("to", onnx.Onnx.TensorProto.DataType.INT64_VALUE));
        String flat = g.node("Squeeze", hint + "_ids_flat", new String[]{ids, g.int64Constant(hint + "_channel_axis", 1)});
        String rows = g.node("Gather", hint + "_gather", new String[]{g.constant(hint + "_W", layer.param("W")), flat},
                Attribute.integer("axis", 0));
        if (conf.hasBias()) {
            rows = g.node("Add", hint + "_bias", new String[]{rows, g.constant(hint + "_b", layer.param("b").reshape(-1))});
        }
        String activated = ActivationOps.emit(layer, conf.getActivationFn(), rows);
        return g.node("Transpose", hint + "_ncw", new String[]{activated}, Attribute.ints("perm", 0, 2, 1));
    }
}
