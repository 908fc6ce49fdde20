"""Core engine timings: a 100,000-node Value chain and per-op cost on shape-(4,) Tensors.

    python benchmarks/bench_core.py [--repeats 7]

Prints medians (and the spread) beside the same measurement in PyTorch when it is installed.
Single-threaded; numbers are for comparison within one run, not absolute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from autograd_lite import Tensor, Value


def timed(fn, repeats: int) -> tuple[float, float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def value_chain(n: int) -> None:
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = (y * 0.999 + 0.001).tanh()
    y.backward()


def tensor_chain(n: int) -> None:
    x = Tensor(np.full(4, 0.5), requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = (y * 0.999).tanh()
    y.sum().backward()


def torch_value_chain(torch, n: int) -> None:
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(n):
        y = (y * 0.999 + 0.001).tanh()
    y.backward()


def torch_tensor_chain(torch, n: int) -> None:
    x = torch.full((4,), 0.5, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(n // 2):
        y = (y * 0.999).tanh()
    y.sum().backward()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None

    rows = []
    n_chain = 100_000
    ops_chain = 3 * n_chain  # mul, add, tanh per link
    med, lo, hi = timed(lambda: value_chain(n_chain), args.repeats)
    rows.append(("Value chain, 100,000 links (300,000 nodes), fwd+bwd", med, lo, hi, ops_chain))
    if torch is not None:
        med, lo, hi = timed(lambda: torch_value_chain(torch, n_chain), args.repeats)
        rows.append(("  PyTorch, same chain of 0-d tensors", med, lo, hi, ops_chain))
    n_ops = 1000
    med, lo, hi = timed(lambda: tensor_chain(n_ops), args.repeats)
    rows.append(("Tensor chain, 1,000 ops on shape (4,), fwd+bwd", med, lo, hi, n_ops))
    if torch is not None:
        med, lo, hi = timed(lambda: torch_tensor_chain(torch, n_ops), args.repeats)
        rows.append(("  PyTorch, same chain", med, lo, hi, n_ops))

    print("| workload | median | min .. max | per op |")
    print("|---|---|---|---|")
    for name, med, lo, hi, count in rows:
        print(f"| {name} | {med * 1e3:.1f} ms | {lo * 1e3:.1f} .. {hi * 1e3:.1f} ms "
              f"| {med / count * 1e6:.2f} us |")


if __name__ == "__main__":
    main()
