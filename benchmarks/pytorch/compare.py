#!/usr/bin/env python3
"""PyTorch side of the W1/W2 training-throughput comparison (not part of any test suite).

Same definitions as benchmarks' Workload: W1 MLP 784-512-256-10 ReLU, softmax cross-entropy, Adam 1e-3,
batch 128; W2 LeNet conv5x5 20 - maxpool 2 - conv5x5 50 - maxpool 2 - dense 500 - 10, batch 64; the same real
MNIST digits from datasets/mnist, scaled to [0, 1]; W3 char LSTM one-hot 65, hidden 256, sequence 100,
batch 32 on Tiny Shakespeare; W4 one post-LN transformer encoder block (nn.TransformerEncoderLayer: d_model 128,
4 heads, feed-forward 512, ReLU, dropout off as in the workbench's W4) over 64 word ids of the real review sentences,
embedded to 128 plus learned positions, mean over time, 2-class head, batch 32; at 1 and 2 threads (ND4J runs
1 OpenMP thread on 2 cores).
Needs Debian's python3-torch (apt-get install python3-torch); run with /usr/bin/python3.

usage: /usr/bin/python3 benchmarks/pytorch/compare.py [THREADS,...] [WORKLOAD,...]  (default 1,2 and all)
       -> writes benchmarks/PYTORCH.md
"""
import ctypes
import gzip
import os
import re
import statistics
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[2]


def mnist_train():
    folder = ROOT / "datasets" / "mnist"
    with gzip.open(folder / "train-images-idx3-ubyte.gz") as f:
        _, n, rows, cols = struct.unpack(">iiii", f.read(16))
        images = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols).astype(np.float32) / 255
    with gzip.open(folder / "train-labels-idx1-ubyte.gz") as f:
        f.read(8)
        labels = np.frombuffer(f.read(), dtype=np.uint8).astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def w1():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def w2():
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))


class CharLstm(nn.Module):
    """W3: one-hot 65 -> LSTM 256 -> linear 65 at every step; logits as [batch, vocab, time] for the loss."""

    def __init__(self, vocabulary=65, hidden=256):
        super().__init__()
        self.lstm = nn.LSTM(vocabulary, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocabulary)

    def forward(self, x):
        return self.out(self.lstm(x)[0]).transpose(1, 2)


def shakespeare_windows(n=32, length=100):
    """The first n windows of Tiny Shakespeare as the workbench cuts them: one-hot inputs, next-character targets."""
    text = (ROOT.parent / "shared" / "datasets" / "tinyshakespeare" / "input.txt").read_text(encoding="utf-8")
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text[: n * length + 1]])
    inputs = torch.stack([ids[i * length:(i + 1) * length] for i in range(n)])
    targets = torch.stack([ids[i * length + 1:(i + 1) * length + 1] for i in range(n)])
    return nn.functional.one_hot(inputs, len(chars)).float(), targets


class SentenceEncoder(nn.Module):
    """W4: word ids -> embedding 128 + learned positions -> one encoder block -> mean over time -> 2 classes."""

    def __init__(self, vocabulary=1685, length=64, d_model=128):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, d_model)
        self.positions = nn.Parameter(torch.randn(length, d_model) * 0.02)
        self.block = nn.TransformerEncoderLayer(d_model=d_model, nhead=4, dim_feedforward=512, dropout=0.0,
                                                batch_first=True)
        self.out = nn.Linear(d_model, 2)

    def forward(self, ids):
        return self.out(self.block(self.embedding(ids) + self.positions).mean(dim=1))


def review_sentences(n=32, length=64, vocabulary=1685):
    """The first n labelled sentences (amazon file first), words as the workbench splits them, pre-padded with id 0
    to 64; ids rank words by frequency over all three files, capped at the W4 vocabulary (1685 words, the size of
    the workbench's training-split vocabulary), unknown words 1. The ids' values do not change a step's cost."""
    folder = ROOT.parent / "shared" / "datasets" / "sentiment-sentences"
    word = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
    sentences, labels = [], []
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"):
        for line in (folder / name).read_text(encoding="utf-8").split("\n"):  # as Java: only \n ends a line
            if line.strip():
                text, label = line.rsplit("\t", 1)
                sentences.append(word.findall(text.lower()))
                labels.append(int(label))
    counts = {}
    for words in sentences:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts, key=lambda w: -counts[w])[: vocabulary - 2]
    ids = {w: i + 2 for i, w in enumerate(ranked)}
    rows = []
    for words in sentences[:n]:
        row = [ids.get(w, 1) for w in words][-length:]
        rows.append([0] * (length - len(row)) + row)
    return torch.tensor(rows), torch.tensor(labels[:n])


def samples_per_second(model, x, y, seconds=2.0, iterations=5, warmup=20):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(iterations):
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            steps += 1
        rates.append(steps * x.shape[0] / (time.perf_counter() - start))
    return statistics.median(rates), (max(rates) - min(rates)) / 2


def blas():
    """Which sgemm PyTorch ran on: Debian's build links the reference BLAS unless an OpenBLAS is preloaded."""
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    preloaded = [p for p in os.environ.get("LD_PRELOAD", "").split(":") if p]
    built = info.group(1) if info else "unknown"
    return f"built with {built}" + (f", LD_PRELOAD {', '.join(Path(p).name for p in preloaded)}" if preloaded else "")


def set_blas_threads(threads):
    """torch.set_num_threads does not reach a preloaded OpenBLAS, which would otherwise use every core."""
    try:
        ctypes.CDLL(None).openblas_set_num_threads(threads)
    except AttributeError:
        pass  # no OpenBLAS in the process: Debian's reference BLAS is single-threaded


def main():
    thread_counts = [int(t) for t in (sys.argv[1] if len(sys.argv) > 1 else "1,2").split(",")]
    images, labels = mnist_train()
    text_x, text_y = shakespeare_windows()
    review_x, review_y = review_sentences()
    workloads = (("W1", w1, images[:128], labels[:128]), ("W2", w2, images[:64], labels[:64]),
                 ("W3", CharLstm, text_x, text_y), ("W4", SentenceEncoder, review_x, review_y))
    if len(sys.argv) > 2:
        workloads = tuple(w for w in workloads if w[0] in sys.argv[2].split(","))
    rows = ["| workload | batch | threads | samples/s (median) | ± (half range) |", "|---|---|---|---|---|"]
    for threads in thread_counts:
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, build, x, y in workloads:
            torch.manual_seed(7)
            median, spread = samples_per_second(build(), x, y)
            rows.append(f"| {name} | {x.shape[0]} | {threads} | {median:.0f} | {spread:.0f} |")
            print(rows[-1], flush=True)
    text = (f"# PyTorch reference (training step)\n\nPyTorch {torch.__version__} (Debian python3-torch), "
            f"5 x 2 s after 20 warm-up steps, the same real batches as benchmarks/run (MNIST; Tiny Shakespeare "
            f"one-hot for W3; review sentences for W4).\n\nBLAS: {blas()}\n\n" + "\n".join(rows) + "\n")
    (ROOT / "benchmarks" / "PYTORCH.md").write_text(text)


if __name__ == "__main__":
    main()
