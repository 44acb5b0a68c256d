#!/usr/bin/env python3
"""PyTorch side of the training-throughput comparison (not part of any test suite).

Same definitions as benchmarks' Workload: W1 MLP 784-512-256-10 ReLU, softmax cross-entropy, Adam 1e-3,
batch 128; W2 LeNet conv5x5 20 - maxpool 2 - conv5x5 50 - maxpool 2 - dense 500 - 10, batch 64; the same real
MNIST digits from datasets/mnist-10k, scaled to [0, 1]; W3 char LSTM one-hot 65, hidden 256, sequence 100,
batch 32 on Tiny Shakespeare; W4 one post-LN transformer encoder block (nn.TransformerEncoderLayer: d_model 128,
4 heads, feed-forward 512, ReLU, dropout off as in the workbench's W4) over 64 word ids of the real review sentences,
embedded to 128 plus learned positions, mean over time, 2-class head, batch 32; W5 GCN and W6 GAT on Cora
(graph_models.py), where a step is one full-batch training epoch, counted in epochs instead of samples; W7 the
DCGAN of the mnist-dcgan job (dcgan_models), a step one discriminator and one generator update on 64 real digits
and 64 generated; W8 a GPT-style character decoder (the workbench's transformer/gpt as the shakespeare-char-gpt-small
job: token embedding 65 -> 128 plus learned positions, 4 causal pre-LN nn.TransformerEncoderLayer blocks with GELU
and dropout off, a final layer norm, a 65-way head at every position) on 32 windows of 64 characters. Each step is
written as a PyTorch user writes it (training_step), so the comparison is with PyTorch at its best, not with a port
of the workbench.

Settings: PyTorch is Debian's python3-torch (apt-get install python3-torch; run with /usr/bin/python3) on Debian's
libblas.so.3, which is OpenBLAS where libopenblas0-pthread is installed (torch's BLAS_INFO=generic names only the
interface it was built against). Each thread count runs in its own process with OPENBLAS_NUM_THREADS and
torch.set_num_threads both set to it, and OpenBLAS's own choice of kernels (pytorch_environment says why); the
table records the BLAS file, its build and the thread settings each process ran with. The workbench's side
(benchmarks/run, lockstep.py) runs with OMP_NUM_THREADS=1 and the flags of workbench-core/jvm.options.

usage: /usr/bin/python3 benchmarks/pytorch/compare.py [THREADS,...] [WORKLOAD,...] [--output FILE]
       (default 1,2 and W1-W8) -> writes benchmarks/PYTORCH.md
"""
import argparse
import ctypes
import gzip
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, NamedTuple, Optional

import numpy as np
import torch
from torch import nn

import dcgan_models
import graph_models

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8")


def mnist_train():
    folder = ROOT / "datasets" / "mnist-10k"
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
    return nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))


class CharLstm(nn.Module):
    """W3: one-hot 65 -> LSTM 256 -> linear 65 at every step; logits [batch, time, vocabulary]."""

    def __init__(self, vocabulary=65, hidden=256):
        super().__init__()
        self.lstm = nn.LSTM(vocabulary, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocabulary)

    def forward(self, x):
        return self.out(self.lstm(x)[0])


def shakespeare_windows(n=32, length=100):
    """The first n windows of Tiny Shakespeare as the workbench cuts them: character ids [n, length] (65 characters)
    and next-character targets."""
    text = (ROOT / "datasets" / "tinyshakespeare" / "input.txt").read_text(encoding="utf-8")
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text[: n * length + 1]])
    inputs = torch.stack([ids[i * length:(i + 1) * length] for i in range(n)])
    targets = torch.stack([ids[i * length + 1:(i + 1) * length + 1] for i in range(n)])
    return inputs, targets


class CharDecoder(nn.Module):
    """W8, as a PyTorch user writes a small GPT with torch's own blocks: nn.Embedding for characters and positions,
    nn.TransformerEncoderLayer (batch_first, norm_first: pre-LN, GELU, dropout 0 as in the workbench's timed step)
    under a causal mask, a final nn.LayerNorm, a linear head; logits [batch, time, vocabulary]. The workbench's GELU
    is ND4J's approximation, torch's the exact erf form: the same cost class, element-wise."""

    def __init__(self, vocabulary=65, length=64, d_model=128, layers=4):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, d_model)
        self.positions = nn.Embedding(length, d_model)
        block = nn.TransformerEncoderLayer(d_model=d_model, nhead=4, dim_feedforward=512, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
        self.out = nn.Linear(d_model, vocabulary)
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(length))
        self.register_buffer("steps", torch.arange(length))

    def forward(self, ids):
        h = self.embedding(ids) + self.positions(self.steps[: ids.shape[1]])
        return self.out(self.blocks(h, mask=self.causal))


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
    folder = ROOT / "datasets" / "sentiment-sentences"
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


class Workload(NamedTuple):
    """A model builder and the real data of one training step; a graph workload's step is one epoch over all
    nodes, with the loss on the training nodes (`nodes`, a mask) and its own learning rate; `train` makes a step
    other than a classifier's (training_step), such as a GAN's."""
    build: Callable[[], nn.Module]
    x: torch.Tensor
    y: torch.Tensor
    examples: int  # counted per step, in `unit`
    unit: str = "samples"
    lr: float = 1e-3
    nodes: Optional[torch.Tensor] = None
    train: Optional[Callable] = None

    def step(self):
        return (self.train or training_step)(self.build(), self.x, self.y, self.lr, self.nodes)


def workloads():
    """Name -> Workload: one real batch each, shaped as PyTorch's own examples feed them (LeNet takes
    [batch, 1, 28, 28] images), and Cora for the graph workloads."""
    images, labels = mnist_train()
    text, next_characters = shakespeare_windows()
    contexts, next_in_context = shakespeare_windows(32, 64)
    sentences, sentiments = review_sentences()
    features, classes, train, graph = graph_models.cora(ROOT / "datasets" / "cora")
    return {"W1": Workload(w1, images[:128], labels[:128], 128),
            "W2": Workload(w2, images[:64].reshape(-1, 1, 28, 28), labels[:64], 64),
            "W3": Workload(CharLstm, nn.functional.one_hot(text, 65).float(), next_characters, 32),
            "W4": Workload(SentenceEncoder, sentences, sentiments, 32),
            "W5": Workload(lambda: graph_models.Gcn(graph), features, classes, 1, "epochs", 0.01, train),
            "W6": Workload(lambda: graph_models.Gat(graph), features, classes, 1, "epochs", 0.005, train),
            # Real digits in [-1, 1], the generator's tanh range, as the workbench's discriminator sees them.
            "W7": Workload(dcgan_models.pair, images[:64].reshape(-1, 1, 28, 28) * 2 - 1, labels[:64], 64, lr=2e-4,
                           train=dcgan_models.training_step),
            "W8": Workload(CharDecoder, contexts, next_in_context, 32)}


def cross_entropy(logits, targets):
    """Mean softmax cross-entropy over every prediction: logits [batch, classes], or [batch, time, vocabulary]
    against targets [batch, time] for W3 and W8, flattened as nanoGPT does (a view, no copy)."""
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def training_step(model, x, y, lr=1e-3, nodes=None):
    """One Adam step on the batch, as a function to call repeatedly. A graph model sees every node and is scored on
    the training nodes (`nodes`), and gives its weight decay as Adam parameter groups."""
    groups = model.parameter_groups() if hasattr(model, "parameter_groups") else model.parameters()
    optimizer = torch.optim.Adam(groups, lr=lr)

    def step():
        optimizer.zero_grad(set_to_none=True)
        out = model(x)
        loss = cross_entropy(out, y) if nodes is None else nn.functional.cross_entropy(out[nodes], y[nodes])
        loss.backward()
        optimizer.step()

    return step


def samples_per_second(step, batch, seconds=2.0, iterations=5, warmup=20):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(iterations):
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            steps += 1
        rates.append(steps * batch / (time.perf_counter() - start))
    return statistics.median(rates), (max(rates) - min(rates)) / 2


def pytorch_environment(threads):
    """The environment a PyTorch measurement runs in; OpenBLAS reads both variables once, when torch loads it.
    OPENBLAS_NUM_THREADS: torch.set_num_threads does not reach OpenBLAS's own threads, which otherwise take every
    core. OPENBLAS_CORETYPE is dropped so that OpenBLAS picks its kernels for the CPU it finds: a machine may force a
    core type for an older OpenBLAS that misreads its CPU (ND4J's 0.3.19 takes an AVX-512 AMD EPYC for a Barcelona),
    which would hold Debian's newer one to slower kernels."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    env.pop("OPENBLAS_CORETYPE", None)
    return env


def loaded_blas():
    """The BLAS files mapped into this process (once torch is imported), symlinks resolved."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and re.match(r"lib(open)?blas", Path(fields[5].strip()).name):
                paths.add(os.path.realpath(fields[5].strip()))
    return sorted(paths)


def blas_line():
    """Which BLAS PyTorch runs on and with how many threads. torch's BLAS_INFO=generic names only the interface it
    was built against; the library is whatever libblas.so.3 resolves to at run time."""
    paths = loaded_blas()
    build = "no OpenBLAS symbols"
    for path in paths:
        library = ctypes.CDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)  # already loaded: the same copy
        if hasattr(library, "openblas_get_config"):
            library.openblas_get_config.restype = ctypes.c_char_p
            build = (f"{library.openblas_get_config().decode()}, "
                     f"openblas_get_num_threads() {library.openblas_get_num_threads()}")
            break
    return (f"BLAS {' + '.join(paths) or 'none mapped'} ({build}); "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
            f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
            f"torch.get_num_threads() {torch.get_num_threads()}")


def rate(value):
    """Whole numbers, except below 100 (a graph workload's epochs/s), where a decimal still carries information."""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def measure(threads, names):
    """Runs in a child whose OPENBLAS_NUM_THREADS the parent set; prints rows as they come, returns them."""
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(threads):
        sys.exit(f"compare.py: OPENBLAS_NUM_THREADS must be {threads} in a {threads}-thread measurement, got "
                 f"{os.environ.get('OPENBLAS_NUM_THREADS')}")
    torch.set_num_threads(threads)
    blas = blas_line()
    print(blas, file=sys.stderr, flush=True)
    rows = []
    for name, workload in workloads().items():
        if name in names:
            torch.manual_seed(7)
            median, spread = samples_per_second(workload.step(), workload.examples)
            rows.append(f"| {name} | {len(workload.x)} | {threads} | {rate(median)} {workload.unit} | "
                        f"{rate(spread)} |")
            print(rows[-1], file=sys.stderr, flush=True)
    return {"blas": blas, "rows": rows}


def main():
    parser = argparse.ArgumentParser(description="PyTorch training-step throughput for W1-W8.")
    parser.add_argument("threads", nargs="?", default="1,2", help="thread counts, comma-separated (default 1,2)")
    parser.add_argument("workloads", nargs="?", default=",".join(WORKLOADS), help="workloads, comma-separated")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "PYTORCH.md", help="markdown to write")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # child: one thread count
    args = parser.parse_args()
    names = args.workloads.split(",")
    if unknown := [n for n in names if n not in WORKLOADS]:
        parser.error(f"workloads: no {', '.join(unknown)} (known: {', '.join(WORKLOADS)})")
    if args.measure:
        print(json.dumps(measure(int(args.threads), names)))
        return
    rows = ["| workload | batch | threads | per second (median) | ± (half range) |", "|---|---|---|---|---|"]
    settings = []
    for threads in (int(t) for t in args.threads.split(",")):
        child = subprocess.run([sys.executable, __file__, str(threads), args.workloads, "--measure"],
                               env=pytorch_environment(threads),
                               stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(child.stdout)
        settings.append(f"- {threads} thread{'s' if threads > 1 else ''}: {result['blas']}")
        rows += result["rows"]
    text = (f"# PyTorch reference (training step)\n\nPyTorch {torch.__version__} (Debian python3-torch), "
            f"5 x 2 s after 20 warm-up steps, the same real batches as benchmarks/run (MNIST; Tiny Shakespeare "
            f"one-hot for W3 and as ids for W8; review sentences for W4; Cora, one full-batch epoch a step, for W5 and W6); one process "
            f"per thread count.\n\n"
            + "\n".join(settings) + "\n\n" + "\n".join(rows) + "\n")
    args.output.write_text(text)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
