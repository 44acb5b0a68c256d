package dev.workbench.onnx;

import dev.workbench.models.gnn.GraphConvolution;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

/**
 * A graph convolution: {@code act(Â X W + b)} with Kipf and Welling's {@code Â = D^-1/2 (A + I) D^-1/2}, the degrees
 * counted over the model's neighbourhoods (so the edge input is normalised as the workbench normalises its graph).
 */
final class GraphConvolutionRule implements LayerRule {
    @Override
    public String emit(LayerExport layer) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        MessagePassingOnnx.Neighbourhood graph = MessagePassingOnnx.of(layer);
        String projected = DenseRule.matmul(g, hint, layer.input(), layer.param(DefaultParamInitializer.WEIGHT_KEY), null);
        String aggregated = MessagePassingOnnx.weightedSum(g, hint + "_aggregated", graph, projected, entryWeights(g, graph));
        String biased = DenseRule.plusBias(g, hint, aggregated, layer.param(DefaultParamInitializer.BIAS_KEY));
        return ActivationOps.emit(layer, ((GraphConvolution) layer.layer()).getActivationFn(), biased);
    }

    /** {@code Â}'s entries: {@code 1 / sqrt(deg(target) deg(source))}, once for every layer. */
    private static String entryWeights(OnnxGraph g, MessagePassingOnnx.Neighbourhood graph) {
        return g.shared("gcn_entry_weights", () -> {
            String ones = g.node("Expand", "gcn_ones", new String[]{g.constant("gcn_one", new float[]{1f}),
                    g.node("Shape", "gcn_entries", new String[]{graph.targets()})});
            String degree = MessagePassingOnnx.sumPerTarget(g, "gcn_degree", graph, ones);
            String inverseRoot = g.node("Reciprocal", "gcn_inverse_root_degree", new String[]{
                    g.node("Sqrt", "gcn_root_degree", new String[]{degree})});
            return g.node("Mul", "gcn_entry_weights", new String[]{
                    MessagePassingOnnx.gather(g, "gcn_target_scale", inverseRoot, graph.targets()),
                    MessagePassingOnnx.gather(g, "gcn_source_scale", inverseRoot, graph.sources())});
        });
    }
}
