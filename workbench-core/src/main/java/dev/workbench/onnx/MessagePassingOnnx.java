package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;

/**
 * Message passing over an edge list in ONNX ops, shared by the graph layers' rules. The graph is a second model
 * input, {@link OnnxExporter#EDGE_INDEX} (int64 {@code [2, edges]}: sources, then targets), so one file runs on any
 * graph. From it the model builds the neighbourhoods exactly as the workbench trains on them
 * ({@code NodeGraph.normalizedAdjacency}): every edge both ways, duplicates once, one self-loop per node, entries
 * sorted by target then source. Per-edge work is Gather; sums and maxima per target node are ScatterND with a
 * reduction, which opset 16 (add) and 18 (max) brought.
 */
final class MessagePassingOnnx {
    static final int SCATTER_ADD_OPSET = 16;
    static final int SCATTER_MAX_OPSET = 18;
    private static final int FLOAT = 1;

    private MessagePassingOnnx() {
    }

    /**
     * The graph's entries as int64 tensors.
     *
     * @param targets        {@code [entries]}: the node each entry aggregates into
     * @param sources        {@code [entries]}: the neighbour it reads
     * @param targetIndices  {@code [entries, 1]}: {@code targets} as ScatterND indices
     * @param nodes          {@code [1]}: the node count
     */
    record Neighbourhood(String targets, String sources, String targetIndices, String nodes) {
    }

    /** The neighbourhoods of the graph that {@code layer}'s input rows are the nodes of; declares the edge input once. */
    static Neighbourhood of(LayerExport layer) {
        OnnxGraph g = layer.graph();
        g.requireOpset(SCATTER_ADD_OPSET, "layer " + layer.index() + " (" + layer.layer().getClass().getSimpleName()
                + "): sums over neighbourhoods with ScatterND's add reduction");
        return g.shared("neighbourhood", () -> build(g, layer.input()));
    }

    private static Neighbourhood build(OnnxGraph g, String features) {
        g.int64Input(OnnxExporter.EDGE_INDEX, 2L, "edges");
        String shape = g.node("Shape", "graph_feature_shape", new String[]{features});
        String nodes = g.node("Gather", "graph_nodes", new String[]{shape, g.int64Constant("graph_node_axis", 0)});
        String n = g.node("Gather", "graph_n", new String[]{shape, g.int64Scalar("graph_node_axis_scalar", 0)});
        String from = g.node("Gather", "graph_edge_sources", new String[]{OnnxExporter.EDGE_INDEX, g.int64Scalar("graph_source_row", 0)});
        String to = g.node("Gather", "graph_edge_targets", new String[]{OnnxExporter.EDGE_INDEX, g.int64Scalar("graph_target_row", 1)});
        String self = g.node("Range", "graph_self", new String[]{g.int64Scalar("graph_zero", 0), n, g.int64Scalar("graph_one", 1)});
        // An entry is the key target * n + source: sorting and deduplicating the keys orders entries as NodeGraph does.
        String keys = g.node("Concat", "graph_keys", new String[]{key(g, to, from, n), key(g, from, to, n), key(g, self, self, n)},
                Attribute.integer("axis", 0));
        String unique = g.node("Unique", "graph_entries", new String[]{keys}, Attribute.integer("sorted", 1));
        String targets = g.node("Div", "graph_targets", new String[]{unique, n});
        String sources = g.node("Mod", "graph_sources", new String[]{unique, n});
        return new Neighbourhood(targets, sources, unsqueeze(g, "graph_target_indices", targets, 1), nodes);
    }

    private static String key(OnnxGraph g, String target, String source, String n) {
        return g.node("Add", "graph_key", new String[]{g.node("Mul", "graph_key_row", new String[]{target, n}), source});
    }

    /** Row {@code indices[e]} of {@code rows} for every entry e. */
    static String gather(OnnxGraph g, String hint, String rows, String indices) {
        return g.node("Gather", hint, new String[]{rows, indices}, Attribute.integer("axis", 0));
    }

    /**
     * {@code Σ_e weight[e] · rows[source(e)]} per target node, for {@code rows [nodes, width]} and float
     * {@code weights [entries]}: {@code [nodes, width]}.
     */
    static String weightedSum(OnnxGraph g, String hint, Neighbourhood graph, String rows, String weights) {
        String messages = g.node("Mul", hint + "_messages", new String[]{gather(g, hint + "_neighbours", rows, graph.sources()),
                unsqueeze(g, hint + "_weights", weights, 1)});
        return sumPerTarget(g, hint, graph, messages);
    }

    /** {@code values [entries, ...]} summed per target node: {@code [nodes, ...]}, 0 where a node has no entry. */
    static String sumPerTarget(OnnxGraph g, String hint, Neighbourhood graph, String values) {
        return scatter(g, hint, graph, values, "add", 0f);
    }

    /** {@code values [entries, ...]}' maximum per target node; every node has an entry (its self-loop). */
    static String maxPerTarget(LayerExport layer, String hint, Neighbourhood graph, String values) {
        layer.graph().requireOpset(SCATTER_MAX_OPSET, "layer " + layer.index() + " ("
                + layer.layer().getClass().getSimpleName() + "): takes each neighbourhood's maximum with ScatterND's max reduction");
        return scatter(layer.graph(), hint, graph, values, "max", -Float.MAX_VALUE);
    }

    /** {@code [entries]} as {@code [entries, 1]} (or another axis), to scale rows entry by entry. */
    static String unsqueeze(OnnxGraph g, String hint, String values, long axis) {
        return g.node("Unsqueeze", hint, new String[]{values, g.int64Constant(hint + "_axis", axis)});
    }

    /** 1 for an entry that joins two different nodes, 0 for a self-loop: float {@code [entries]}. */
    static String notSelfLoops(OnnxGraph g, Neighbourhood graph) {
        return g.shared("not_self_loops", () -> g.node("Cast", "graph_not_self_loop", new String[]{
                g.node("Not", "graph_not_self", new String[]{g.node("Equal", "graph_self_loop",
                        new String[]{graph.targets(), graph.sources()})})}, Attribute.integer("to", FLOAT)));
    }

    private static String scatter(OnnxGraph g, String hint, Neighbourhood graph, String values, String reduction, float start) {
        String trailing = g.node("Slice", hint + "_trailing_shape", new String[]{g.node("Shape", hint + "_values_shape",
                new String[]{values}), g.int64Constant(hint + "_from", 1), g.int64Constant(hint + "_to", Long.MAX_VALUE)});
        String shape = g.node("Concat", hint + "_shape", new String[]{graph.nodes(), trailing}, Attribute.integer("axis", 0));
        String initial = g.node("Expand", hint + "_initial", new String[]{g.constant(hint + "_start", new float[]{start}), shape});
        return g.node("ScatterND", hint, new String[]{initial, graph.targetIndices(), values},
                Attribute.string("reduction", reduction));
    }
}
