#!/usr/bin/env python3
"""PyTorch side of the W1/W2 training-throughput comparison (not part of any test suite).

Same definitions as benchmarks' Workload: W1 MLP 784-512-256-10 ReLU, softmax cross-entropy, Adam 1e-3,
batch 128; W2 LeNet conv5x5 20 - maxpool 2 - conv5x5 50 - maxpool 2 - dense 500 - 10, batch 64; the same real
MNIST digits from datasets/mnist, scaled to [0, 1]; the same thread count as ND4J (2).
Needs Debian's python3-torch (apt-get install python3-torch); run with /usr/bin/python3.

usage: /usr/bin/python3 benchmarks/pytorch/compare.py [THREADS]  -> writes benchmarks/PYTORCH.md
"""
import gzip
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


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(7)
    images, labels = mnist_train()
    rows = ["| workload | batch | samples/s (median) | ± (half range) |", "|---|---|---|---|"]
    for name, build, batch in (("W1", w1, 128), ("W2", w2, 64)):
        median, spread = samples_per_second(build(), images[:batch], labels[:batch])
        rows.append(f"| {name} | {batch} | {median:.0f} | {spread:.0f} |")
        print(rows[-1], flush=True)
    text = (f"# PyTorch reference (training step)\n\nPyTorch {torch.__version__} (Debian python3-torch), "
            f"{threads} threads, 5 x 2 s after 20 warm-up steps, same MNIST batches as benchmarks/run.\n\n"
            + "\n".join(rows) + "\n")
    (ROOT / "benchmarks" / "PYTORCH.md").write_text(text)


if __name__ == "__main__":
    main()
