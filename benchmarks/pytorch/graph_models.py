"""W5 GCN and W6 GAT on Cora for the PyTorch side of the comparison (compare.py, lockstep.py), written as a PyTorch
user writes them without a graph library: message passing over the edge list with torch.sparse.mm (GCN, as
Kipf's pygcn does) and gather / index_add_ / scatter_reduce (GAT, as PyG's GATConv does it inside), never a dense
N x N adjacency. The settings are the workbench's (examples/jobs/cora-gcn.yaml, cora-gat.yaml, GcnFactory,
GatFactory): the same Cora files and preprocessing, Glorot-uniform weights and zero biases, dropout on every
layer's input (and GAT's attention), weight decay where the workbench puts its L2 (on weights, not biases; GCN's on
the first layer only, added to the gradient before Adam as DL4J's L2 is), the loss on the 140 training nodes.
"""
import math
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

warnings.filterwarnings("ignore", message="scatter_reduce", category=UserWarning)  # "in beta" in torch 1.13


def cora(folder):
    """Cora as the workbench reads it (GraphFolderSource): binary bag-of-words features row-normalised, labels, the
    training nodes as a mask, and the edges both ways with one self-loop per node, duplicates once (NodeGraph)."""
    lines = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()[1:]
    n = len(lines)
    features = np.zeros((n, 1433), np.float32)
    labels = np.zeros(n, np.int64)
    train = np.zeros(n, bool)
    for line in lines:
        node, label, split, indices = line.split(",")
        i = int(node)
        labels[i], train[i] = int(label), split == "train"
        features[i, [int(f) for f in indices.split()]] = 1
    features /= np.maximum(features.sum(1, keepdims=True), 1)
    edges = np.loadtxt(folder / "edges.csv", delimiter=",", skiprows=1, dtype=np.int64).T
    loops = np.arange(n)
    pairs = np.unique(np.stack([np.concatenate([edges[0], edges[1], loops]),
                                np.concatenate([edges[1], edges[0], loops])], 1), axis=0)
    graph = Graph(n, torch.from_numpy(pairs[:, 0].copy()), torch.from_numpy(pairs[:, 1].copy()))
    return torch.from_numpy(features), torch.from_numpy(labels), torch.from_numpy(train), graph


class Graph:
    """Entry e of a neighbourhood: node rows[e] receives from its neighbour columns[e] (itself included)."""

    def __init__(self, nodes, rows, columns):
        self.nodes, self.rows, self.columns = nodes, rows, columns

    def normalized_adjacency(self):
        """Kipf and Welling's D^-1/2 (A + I) D^-1/2 as a coalesced sparse COO tensor."""
        degree = torch.zeros(self.nodes).index_add_(0, self.rows, torch.ones(len(self.rows)))
        weights = degree[self.rows].rsqrt() * degree[self.columns].rsqrt()
        return torch.sparse_coo_tensor(torch.stack([self.rows, self.columns]), weights,
                                       (self.nodes, self.nodes)).coalesce()


def glorot(rows, columns, fan_in, fan_out):
    """DL4J's XAVIER_UNIFORM: U(-s, s) with s = sqrt(6 / (fan_in + fan_out))."""
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return nn.Parameter(torch.empty(rows, columns).uniform_(-bound, bound))


class GraphConvolution(nn.Module):
    """H' = Â (H W) + b."""

    def __init__(self, adjacency, n_in, n_out):
        super().__init__()
        self.adjacency = adjacency
        self.weight = glorot(n_in, n_out, n_in, n_out)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return self.propagate(x @ self.weight)

    def propagate(self, projected):
        return torch.sparse.mm(self.adjacency, projected) + self.bias


class Gcn(nn.Module):
    """W5: dropout 0.5 -> graph convolution 1433 -> 16, ReLU -> dropout 0.5 -> graph convolution 16 -> 7."""

    def __init__(self, graph, features=1433, classes=7, hidden=16, dropout=0.5, first_layer_decay=5e-4):
        super().__init__()
        adjacency = graph.normalized_adjacency()
        self.first = GraphConvolution(adjacency, features, hidden)
        self.second = GraphConvolution(adjacency, hidden, classes)
        self.dropout, self.first_layer_decay = dropout, first_layer_decay

    def forward(self, x):
        x = F.relu(self.first(F.dropout(x, self.dropout, self.training)))
        return self.second(F.dropout(x, self.dropout, self.training))

    def parameter_groups(self):
        return [{"params": [self.first.weight], "weight_decay": self.first_layer_decay},
                {"params": [self.first.bias, *self.second.parameters()], "weight_decay": 0.0}]


class GraphAttention(nn.Module):
    """Per head: α_ij = softmax over i's neighbourhood of LeakyReLU(a_selfᵀ W h_i + a_neighbourᵀ W h_j), out_i =
    Σ_j α_ij W h_j (α dropped out in training); heads concatenated or averaged, then the bias."""

    def __init__(self, graph, n_in, heads, width, concat, attention_dropout):
        super().__init__()
        self.graph, self.heads, self.width, self.concat = graph, heads, width, concat
        self.attention_dropout = attention_dropout
        self.weight = glorot(n_in, heads * width, n_in, heads * width)
        self.att_self = glorot(heads, width, width, 1)
        self.att_neighbour = glorot(heads, width, width, 1)
        self.bias = nn.Parameter(torch.zeros(heads * width if concat else width))
        self.row_index = graph.rows.unsqueeze(1).expand(-1, heads)

    def forward(self, x):
        return self.attend(x @ self.weight)

    def attend(self, projected):
        n, rows, columns = self.graph.nodes, self.graph.rows, self.graph.columns
        h = projected.view(n, self.heads, self.width)
        scores = F.leaky_relu((h * self.att_self).sum(-1)[rows] + (h * self.att_neighbour).sum(-1)[columns], 0.2)
        # Softmax over each neighbourhood; the maximum is a constant for the gradient, as in PyG's softmax.
        top = torch.zeros(n, self.heads).scatter_reduce_(0, self.row_index, scores.detach(), "amax",
                                                         include_self=False)
        exp = (scores - top[rows]).exp()
        total = torch.zeros(n, self.heads).index_add_(0, rows, exp)
        alpha = F.dropout(exp / total[rows], self.attention_dropout, self.training)
        out = torch.zeros(n, self.heads, self.width).index_add_(0, rows, alpha.unsqueeze(-1) * h[columns])
        out = out.reshape(n, self.heads * self.width) if self.concat else out.mean(1)
        return out + self.bias


class Gat(nn.Module):
    """W6: dropout 0.6 -> attention 8 heads x 8, concatenated, ELU -> dropout 0.6 -> attention to 7 classes, one
    averaged head; attention dropout 0.6 in both."""

    def __init__(self, graph, features=1433, classes=7, heads=8, width=8, output_heads=1, dropout=0.6, decay=5e-4):
        super().__init__()
        self.first = GraphAttention(graph, features, heads, width, True, dropout)
        self.second = GraphAttention(graph, heads * width, output_heads, classes, False, dropout)
        self.dropout, self.decay = dropout, decay

    def forward(self, x):
        x = F.elu(self.first(F.dropout(x, self.dropout, self.training)))
        return self.second(F.dropout(x, self.dropout, self.training))

    def parameter_groups(self):
        weights = [p for layer in (self.first, self.second) for p in (layer.weight, layer.att_self, layer.att_neighbour)]
        return [{"params": weights, "weight_decay": self.decay},
                {"params": [self.first.bias, self.second.bias], "weight_decay": 0.0}]


class SparseInput:
    """The first layer's input as Kipf and Welling feed it (their TensorFlow code): the features as a sparse tensor
    built once, dropout on its nonzero values. PyTorch's fastest form of W5 and W6 on one thread (the dense idiom
    spends most of an epoch drawing dropout masks for 3.9 million entries, 98.7% of them zeros)."""

    def __init__(self, features):
        self.features = features.to_sparse().coalesce()

    def dropped(self, p, training):
        return torch.sparse_coo_tensor(self.features.indices(), F.dropout(self.features.values(), p, training),
                                       self.features.shape)


def sparse_input_gcn(graph, sparse):
    """W5 with the first product torch.sparse.mm over the dropped-out sparse features."""
    class SparseGcn(Gcn):
        def forward(self, _):
            x = self.first.propagate(torch.sparse.mm(sparse.dropped(self.dropout, self.training), self.first.weight))
            return self.second(F.dropout(F.relu(x), self.dropout, self.training))
    return SparseGcn(graph)


def sparse_input_gat(graph, sparse):
    """W6 with the first product torch.sparse.mm over the dropped-out sparse features."""
    class SparseGat(Gat):
        def forward(self, _):
            x = self.first.attend(torch.sparse.mm(sparse.dropped(self.dropout, self.training), self.first.weight))
            return self.second(F.dropout(F.elu(x), self.dropout, self.training))
    return SparseGat(graph)


def sparse_input_workloads(workloads, folder):
    """compare.workloads()' W5 and W6 with sparse input features (same data, init, dropout, optimiser)."""
    features, _, _, graph = cora(folder)
    sparse = SparseInput(features)
    return {"W5": workloads["W5"]._replace(build=lambda: sparse_input_gcn(graph, sparse)),
            "W6": workloads["W6"]._replace(build=lambda: sparse_input_gat(graph, sparse))}
