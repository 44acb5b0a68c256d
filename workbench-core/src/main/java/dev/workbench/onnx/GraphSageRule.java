package dev.workbench.onnx;

import dev.workbench.models.gnn.GraphSage;
import dev.workbench.models.gnn.GraphSageParams;

/**
 * A GraphSAGE mean layer: {@code act(X Wself + mean_{j ∈ N(i), j ≠ i}(X Wneighbour)_j + b)}, projecting before
 * averaging (the same sum, fewer columns to gather); an isolated node's mean is 0, as in training.
 */
final class GraphSageRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        MessagePassingOnnx.Neighbourhood graph = MessagePassingOnnx.of(layer);
        String self = DenseRule.matmul(g, hint + "_self", layer.input(), layer.param(GraphSageParams.SELF_WEIGHTS), null);
        String projected = DenseRule.matmul(g, hint + "_neighbour", layer.input(),
                layer.param(GraphSageParams.NEIGHBOUR_WEIGHTS), null);
        String others = MessagePassingOnnx.notSelfLoops(g, graph);
        String sum = MessagePassingOnnx.weightedSum(g, hint + "_neighbour_sum", graph, projected, others);
        String mean = g.node("Div", hint + "_neighbour_mean", new String[]{sum,
                MessagePassingOnnx.unsqueeze(g, hint + "_neighbour_count", neighbourCounts(g, graph, others), 1)});
        String z = DenseRule.plusBias(g, hint, g.node("Add", hint + "_combined", new String[]{self, mean}),
                layer.param(GraphSageParams.BIAS));
        return ActivationOps.emit(layer, ((GraphSage) layer.layer()).getActivationFn(), z);
    }

    /** Each node's neighbours besides itself, at least 1 so that an isolated node divides 0 by 1. */
    private static String neighbourCounts(OnnxGraph g, MessagePassingOnnx.Neighbourhood graph, String others) {
        return g.shared("sage_neighbour_counts", () -> g.node("Max", "sage_neighbour_count", new String[]{
                MessagePassingOnnx.sumPerTarget(g, "sage_neighbours", graph, others), g.constant("sage_at_least", new float[]{1f})}));
    }
}
