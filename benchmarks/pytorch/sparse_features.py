#!/usr/bin/env python3
"""W5 and W6 in PyTorch two ways, timed in alternating slices in one process (not part of any test suite): as
compare.py writes them (dense node features, F.dropout over all 3.9 million entries, as pygcn, PyG's and DGL's
examples do) and with Kipf and Welling's sparse input (their TensorFlow code): the features as a sparse tensor,
dropout on its nonzero values, and the first product torch.sparse.mm. The workbench's first graph layer reads the
features the second way; this says how fast PyTorch is when written so. Settings as compare.py's, one thread.

usage: /usr/bin/python3 benchmarks/pytorch/sparse_features.py [ROUNDS] [SECONDS]   (default 8 rounds of 2 s)
"""
import os
import statistics
import sys
import time
from pathlib import Path

if os.environ.get("OPENBLAS_NUM_THREADS") != "1" or "OPENBLAS_CORETYPE" in os.environ:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    os.execve(sys.executable, [sys.executable, *sys.argv], dict(env, OPENBLAS_NUM_THREADS="1"))

import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402
import graph_models  # noqa: E402


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    torch.set_num_threads(1)
    print(compare.blas_line(), flush=True)
    workloads = compare.workloads()
    sparse = graph_models.sparse_input_workloads(workloads, compare.ROOT / "datasets" / "cora")
    variants = {"W5 dense features": workloads["W5"], "W5 sparse features": sparse["W5"],
                "W6 dense features": workloads["W6"], "W6 sparse features": sparse["W6"]}
    steps = {}
    for name, workload in variants.items():
        torch.manual_seed(7)
        steps[name] = workload.step()
    rates = {name: [] for name in steps}
    for r in range(1 + rounds):  # the first round warms up
        for name, step in (steps.items() if r % 2 == 0 else reversed(steps.items())):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                step()
                count += 1
            if r > 0:
                rates[name].append(count / (time.perf_counter() - start))
    for name, values in rates.items():
        print(f"{name}: {statistics.median(values):.1f} epochs/s (median of {rounds}; "
              f"{min(values):.1f} - {max(values):.1f})")


if __name__ == "__main__":
    main()
