#!/usr/bin/env python3
"""Workbench (DL4J) and PyTorch training steps timed in alternating slices on the same machine (not part of any
test suite). Throughput on a shared VM drifts by tens of percent between minutes, so runs made minutes apart
(benchmarks/run vs compare.py) compare the machine's moods as much as the frameworks; here each round times one
slice of each side, in an order that rotates through every permutation so that none always goes first, and the
per-round ratios are reported. With --baseline DIR a second workbench build joins the rotation: DIR is another
checkout of the project (a git worktree of an older commit, built there with mvn -pl benchmarks -am package), for
a before/after comparison of two builds against the same PyTorch in one session.

Settings, one thread each. PyTorch: compare.py's models and training step on Debian's OpenBLAS with
OPENBLAS_NUM_THREADS=1 and OpenBLAS's own choice of kernels (compare.pytorch_environment), and
torch.set_num_threads(1); W5 and W6 with sparse input features (graph_models.SparseInput), PyTorch's fastest
form of them. Each workbench build: its StepServer in a JVM started as benchmarks/run starts JMH's
forks, with OMP_NUM_THREADS=1 and the flags of that build's workbench-core/jvm.options, in the environment this
script was started with as that build's workbench-core/native-env.sh sets it (OpenBLAS's core type, printed).

usage: /usr/bin/python3 benchmarks/pytorch/lockstep.py [W1,...,W8] [ROUNDS] [SECONDS] [--baseline DIR]
       [--output FILE]  (default all eight, 12 rounds after 3 warm-up rounds, 2 s slices; with a baseline, a
       multiple of 6 rounds gives every order equally) -> writes benchmarks/SIDE_BY_SIDE.md
"""
import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# OpenBLAS reads these when torch loads it, so the script re-executes itself with PyTorch's settings (those of
# compare.pytorch_environment(1), which says why; None: unset) before torch is imported, and keeps the values it
# was started with for the workbench's JVMs.
PYTORCH_OPENBLAS = {"OPENBLAS_NUM_THREADS": "1", "OPENBLAS_CORETYPE": None}
STARTED_WITH = "LOCKSTEP_STARTED_WITH"


def reexecute_for_pytorch():
    if all(os.environ.get(name) == value for name, value in PYTORCH_OPENBLAS.items()):
        return
    env = {name: value for name, value in os.environ.items() if name not in PYTORCH_OPENBLAS}
    env.update({name: value for name, value in PYTORCH_OPENBLAS.items() if value is not None})
    env[STARTED_WITH] = json.dumps({name: os.environ.get(name) for name in PYTORCH_OPENBLAS})
    os.execve(sys.executable, sys.orig_argv, env)


def started_environment():
    """The environment as this script was started, before reexecute_for_pytorch."""
    env = dict(os.environ)
    for name, value in json.loads(env.pop(STARTED_WITH, "{}")).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


if __name__ == "__main__":
    reexecute_for_pytorch()

import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402  (the workload definitions, data and training step)
import graph_models  # noqa: E402

ROOT = compare.ROOT
WARM_UP_ROUNDS = 3


def torch_slice(step, batch, seconds):
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps * batch / (time.perf_counter() - start)


class Workbench:
    """The StepServer of the build in a checkout root, in a JVM started as benchmarks/run starts JMH's forks."""

    def __init__(self, root):
        self.root = root
        for needed in ("benchmarks/target/classes", "benchmarks/target/classpath.txt", "workbench-core/jvm.options"):
            if not (root / needed).exists():
                sys.exit(f"lockstep.py: {root}: no {needed} (build it there: mvn -pl benchmarks -am package)")
        classpath = "benchmarks/target/classes:" + (root / "benchmarks/target/classpath.txt").read_text().strip()
        # Through bash, for the native libraries' environment that ./workbench sets (its native-env.sh, where the
        # build has one); the JVM prints OPENBLAS_CORETYPE's value first, for the results' header.
        env_file = root / "workbench-core/native-env.sh"
        source = f'source "{env_file}"; ' if env_file.exists() else ""
        self.process = subprocess.Popen(
            ["bash", "-c", source + 'echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"; exec java "$@"', "java",
             f"@{root}/workbench-core/jvm.options", f"-Dworkbench.root={root}",
             "-cp", classpath, "dev.workbench.bench.StepServer"],
            cwd=root, env=dict(started_environment(), OMP_NUM_THREADS="1"),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.native = self.process.stdout.readline().strip()
        self.expect("ready")

    def commit(self):
        described = subprocess.run(["git", "-C", str(self.root), "describe", "--always", "--dirty"],
                                   capture_output=True, text=True)
        return described.stdout.strip() or "no git commit"

    def expect(self, prefix):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the StepServer of {self.root} exited")
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
    parser = argparse.ArgumentParser(description="Workbench and PyTorch training steps in alternating slices.")
    parser.add_argument("workloads", nargs="?", default=",".join(compare.WORKLOADS), help="comma-separated")
    parser.add_argument("rounds", nargs="?", type=int, default=12, help="measured rounds (default 12)")
    parser.add_argument("seconds", nargs="?", type=float, default=2.0, help="slice length (default 2 s)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout of the project with benchmarks built, timed in the same rounds")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "SIDE_BY_SIDE.md",
                        help="markdown to write (default benchmarks/SIDE_BY_SIDE.md)")
    args = parser.parse_args()
    names = args.workloads.split(",")
    if unknown := [n for n in names if n not in compare.WORKLOADS]:
        parser.error(f"workloads: no {', '.join(unknown)} (known: {', '.join(compare.WORKLOADS)})")
    torch.set_num_threads(1)
    blas = compare.blas_line()
    print(blas, flush=True)
    builds = {"workbench": Workbench(ROOT)}
    if args.baseline:
        builds["baseline"] = Workbench(args.baseline.resolve())
    sides = [*builds, "PyTorch"]
    pairs = [("workbench", "PyTorch")]
    if args.baseline:
        pairs += [("baseline", "PyTorch"), ("workbench", "baseline")]
    orders = list(itertools.permutations(sides))
    columns = ["workload", *(f"{side} per second (median)" for side in sides)]
    for a, b in pairs:
        columns += [f"{a}/{b}: ratio of medians", f"{a}/{b}: per-round ratio, median (min – max)"]
    rows = ["| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
    data = compare.workloads()
    # W5, W6: PyTorch at its best, with sparse input features (graph_models.SparseInput; sparse_features.py times it
    # against the dense idiom of compare.py, 20-30 times slower on one thread).
    data.update(graph_models.sparse_input_workloads(data, ROOT / "datasets" / "cora"))
    try:
        for name in names:
            workload = data[name]
            batch = workload.examples
            torch.manual_seed(7)
            step = workload.step()
            timers = {label: (lambda w=workbench: w.slice(name, batch, args.seconds))
                      for label, workbench in builds.items()}
            timers["PyTorch"] = lambda: torch_slice(step, batch, args.seconds)
            rates = {side: [] for side in sides}
            for r in range(WARM_UP_ROUNDS + args.rounds):
                measured = {side: timers[side]() for side in orders[r % len(orders)]}
                if r >= WARM_UP_ROUNDS:
                    for side, rate in measured.items():
                        rates[side].append(rate)
            medians = {side: statistics.median(rates[side]) for side in sides}
            cells = [name] + [f"{compare.rate(medians[side])} {workload.unit}" for side in sides]
            for a, b in pairs:
                ratios = sorted(ra / rb for ra, rb in zip(rates[a], rates[b]))
                cells += [f"{medians[a] / medians[b]:.2f}",
                          f"{statistics.median(ratios):.2f} ({ratios[0]:.2f} – {ratios[-1]:.2f})"]
            rows.append("| " + " | ".join(cells) + " |")
            print(rows[-1], flush=True)
    finally:
        for workbench in builds.values():
            workbench.close()
    checkouts = "; ".join(f"{label} {w.root} at {w.commit()} ({w.native})" for label, w in builds.items())
    text = (f"# Workbench vs PyTorch, alternating slices (training step)\n\n"
            f"benchmarks/pytorch/lockstep.py: {args.rounds} rounds of a {args.seconds:g} s slice each after "
            f"{WARM_UP_ROUNDS} warm-up rounds, the order rotating through all {len(orders)} permutations, one thread "
            f"each. "
            f"{checkouts}: OMP_NUM_THREADS=1 and workbench-core/jvm.options. PyTorch {torch.__version__}: {blas}. "
            f"W1-W4: samples/s of one real batch a step; W5 (GCN) and W6 (GAT): epochs/s, one full-batch training "
            f"epoch on Cora a step (dropout on, the loss on the 140 training nodes, Adam); PyTorch's W5 and W6 with sparse "
            f"input features (torch.sparse.mm, dropout on the nonzeros: graph_models.SparseInput); W7 (DCGAN): real "
            f"samples/s, one discriminator and one generator update on 64 real digits a step; W8 (GPT decoder): "
            f"windows of 64 characters/s. "
            f"Ratio above 1: the first named is faster.\n\n" + "\n".join(rows) + "\n")
    args.output.write_text(text)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
