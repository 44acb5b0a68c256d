#!/usr/bin/env python3
"""Workbench (DL4J) and PyTorch training steps timed in alternating slices on the same machine (not part of any
test suite). Throughput on a shared VM drifts by tens of percent between minutes, so runs made minutes apart
(benchmarks/run vs compare.py) compare the machine's moods as much as the frameworks; here each round times a
slice of one, then of the other (the order alternates), and the per-round ratio is reported.

Both run one thread: PyTorch with torch.set_num_threads(1) on ND4J's own OpenBLAS (preload it as for compare.py),
the workbench's StepServer with OMP_NUM_THREADS=1 and the flags of benchmarks/run.

usage: LD_PRELOAD=<ND4J's libopenblas.so.0> /usr/bin/python3 benchmarks/pytorch/lockstep.py [W1,W2,W3,W4] [ROUNDS] [SECONDS]
       (default all four, 12 rounds after 3 warm-up rounds, 2 s slices) -> writes benchmarks/SIDE_BY_SIDE.md
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402  (the workload definitions and data)

ROOT = compare.ROOT
WARM_UP_ROUNDS = 3


def torch_step(name):
    images, labels = compare.mnist_train()
    builders = {"W1": (compare.w1, images[:128], labels[:128]), "W2": (compare.w2, images[:64], labels[:64]),
                "W3": (compare.CharLstm, *compare.shakespeare_windows()),
                "W4": (compare.SentenceEncoder, *compare.review_sentences())}
    build, x, y = builders[name]
    torch.manual_seed(7)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step, x.shape[0]


def torch_slice(step, batch, seconds):
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps * batch / (time.perf_counter() - start)


class Workbench:
    """The StepServer in a JVM started as benchmarks/run starts JMH's forks."""

    def __init__(self):
        classpath = "benchmarks/target/classes:" + (ROOT / "benchmarks/target/classpath.txt").read_text().strip()
        env = dict(os.environ, OMP_NUM_THREADS="1")
        env.pop("LD_PRELOAD", None)  # ND4J loads its own OpenBLAS
        self.process = subprocess.Popen(
            ["java", f"@{ROOT}/workbench-core/jvm.options", f"-Dworkbench.root={ROOT}",
             "-cp", classpath, "dev.workbench.bench.StepServer"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.expect("ready")

    def expect(self, prefix):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("StepServer exited (build it first: mvn -pl benchmarks -am package)")
            if line.startswith(prefix):
                return line.split()

    def slice(self, name, batch, seconds):
        self.process.stdin.write(f"{name} {seconds}\n")
        self.process.stdin.flush()
        words = self.expect("steps ")
        return int(words[1]) * batch / float(words[3])

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    names = (sys.argv[1] if len(sys.argv) > 1 else "W1,W2,W3,W4").split(",")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    torch.set_num_threads(1)
    compare.set_blas_threads(1)
    workbench = Workbench()
    rows = ["| workload | workbench samples/s (median) | PyTorch samples/s (median) | ratio of medians "
            "| per-round ratio: median (min – max) |", "|---|---|---|---|---|"]
    for name in names:
        step, batch = torch_step(name)
        ours, theirs = [], []
        for r in range(WARM_UP_ROUNDS + rounds):
            if r % 2 == 0:
                a = workbench.slice(name, batch, seconds)
                b = torch_slice(step, batch, seconds)
            else:
                b = torch_slice(step, batch, seconds)
                a = workbench.slice(name, batch, seconds)
            if r >= WARM_UP_ROUNDS:
                ours.append(a)
                theirs.append(b)
        ratios = sorted(a / b for a, b in zip(ours, theirs))
        rows.append(f"| {name} | {statistics.median(ours):.0f} | {statistics.median(theirs):.0f} "
                    f"| {statistics.median(ours) / statistics.median(theirs):.2f} "
                    f"| {statistics.median(ratios):.2f} ({ratios[0]:.2f} – {ratios[-1]:.2f}) |")
        print(rows[-1], flush=True)
    workbench.close()
    text = (f"# Workbench vs PyTorch, alternating slices (training step)\n\n"
            f"benchmarks/pytorch/lockstep.py: {rounds} rounds of a {seconds:g} s slice each (order alternating) after "
            f"{WARM_UP_ROUNDS} warm-up rounds, one thread each; PyTorch {torch.__version__}, BLAS: {compare.blas()}. "
            f"Ratio above 1: the workbench is faster.\n\n" + "\n".join(rows) + "\n")
    (ROOT / "benchmarks" / "SIDE_BY_SIDE.md").write_text(text)


if __name__ == "__main__":
    main()
