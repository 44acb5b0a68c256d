package dev.workbench.models.gnn;

import dev.workbench.data.graph.SparseRows;

/** A runtime layer whose input rows are a graph's nodes: it is told the graph before it runs. */
interface GraphLayer {
    /** The graph's rows with self-loops: its entries are each node's neighbourhood (and, for GCN, the weights). */
    void attach(SparseRows adjacency);
}
