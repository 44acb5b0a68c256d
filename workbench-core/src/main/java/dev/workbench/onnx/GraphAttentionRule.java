package dev.workbench.onnx;

import dev.workbench.models.gnn.GraphAttention;
import dev.workbench.models.gnn.GraphAttentionParams;
import dev.workbench.onnx.OnnxGraph.Attribute;

/**
 * A graph attention layer, head by head as the runtime computes it: projection {@code P = X W} viewed as
 * {@code [nodes, heads, width]}; per entry the score {@code LeakyReLU(aSelf·P_target + aNeighbour·P_source)}; a
 * softmax over each target's entries, shifted by that target's maximum score as the runtime shifts it; the
 * attention-weighted sum of the sources' projections; heads concatenated or averaged; bias; activation.
 */
final class GraphAttentionRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        GraphAttention conf = (GraphAttention) layer.layer();
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        MessagePassingOnnx.Neighbourhood graph = MessagePassingOnnx.of(layer);
        long heads = conf.getHeads();
        long width = conf.headWidth();
        String projected = g.node("Reshape", hint + "_heads", new String[]{
                DenseRule.matmul(g, hint, layer.input(), layer.param(GraphAttentionParams.WEIGHTS), null),
                g.int64Constant(hint + "_heads_shape", 0, heads, width)});
        String selfScore = headDot(layer, hint + "_self_score", projected, GraphAttentionParams.SELF_ATTENTION, heads, width);
        String neighbourScore = headDot(layer, hint + "_neighbour_score", projected, GraphAttentionParams.NEIGHBOUR_ATTENTION,
                heads, width);
        String scores = g.node("LeakyRelu", hint + "_scores", new String[]{g.node("Add", hint + "_raw_scores", new String[]{
                MessagePassingOnnx.gather(g, hint + "_target_scores", selfScore, graph.targets()),
                MessagePassingOnnx.gather(g, hint + "_source_scores", neighbourScore, graph.sources())})},
                Attribute.real("alpha", conf.getNegativeSlope()));                                    // [entries, heads]
        String max = MessagePassingOnnx.maxPerTarget(layer, hint + "_max_score", graph, scores);
        String exp = g.node("Exp", hint + "_exp", new String[]{g.node("Sub", hint + "_shifted", new String[]{scores,
                MessagePassingOnnx.gather(g, hint + "_target_max", max, graph.targets())})});
        String total = MessagePassingOnnx.sumPerTarget(g, hint + "_exp_sum", graph, exp);
        String attention = g.node("Div", hint + "_attention", new String[]{exp,
                MessagePassingOnnx.gather(g, hint + "_target_sum", total, graph.targets())});
        String messages = g.node("Mul", hint + "_messages", new String[]{
                MessagePassingOnnx.gather(g, hint + "_neighbours", projected, graph.sources()),
                MessagePassingOnnx.unsqueeze(g, hint + "_attention_column", attention, 2)});          // [entries, heads, width]
        String aggregated = MessagePassingOnnx.sumPerTarget(g, hint + "_aggregated", graph, messages);
        String combined = conf.isConcat()
                ? g.node("Reshape", hint + "_concat", new String[]{aggregated, g.int64Constant(hint + "_concat_shape", 0, heads * width)})
                : g.node("Mul", hint + "_average", new String[]{
                        g.node("ReduceSum", hint + "_head_sum", new String[]{aggregated, g.int64Constant(hint + "_head_axis", 1)},
                                Attribute.integer("keepdims", 0)),
                        g.constant(hint + "_one_per_head", new float[]{1f / heads})});
        String biased = DenseRule.plusBias(g, hint, combined, layer.param(GraphAttentionParams.BIAS));
        return ActivationOps.emit(layer, conf.getActivationFn(), biased);
    }

    /** {@code Σ_f P[node, head, f] · a[head, f]}: {@code [nodes, heads]}. */
    private static String headDot(LayerExport layer, String hint, String projected, String param, long heads, long width) {
        OnnxGraph g = layer.graph();
        String product = g.node("Mul", hint + "_terms", new String[]{projected,
                g.constant(hint + "_a", layer.param(param).reshape(heads, width))});
        return g.node("ReduceSum", hint, new String[]{product, g.int64Constant(hint + "_axis", 2)},
                Attribute.integer("keepdims", 0));
    }
}
