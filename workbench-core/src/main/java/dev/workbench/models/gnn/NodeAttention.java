package dev.workbench.models.gnn;

/**
 * What one node of a trained graph attention network attends to in one layer: its neighbourhood (itself included)
 * and, per head, the weight on each neighbour (each head's weights sum to 1).
 *
 * @param weights {@code weights[head][k]} is the weight on {@code neighbours[k]}
 */
public record NodeAttention(int node, int layer, int[] neighbours, double[][] weights) {
}
