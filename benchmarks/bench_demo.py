"""Time the `autograd-lite demo` command and one epoch of the scalar MLP.

    python benchmarks/bench_demo.py [--runs 5] [--scalar-runs 5]

1. The full default demo (`python -m autograd_lite demo`), run as a fresh process each time,
   wall clock including start-up, imports, training, plots and the graph. Target: < 10 s.
2. One full-batch epoch of `nn.scalar.MLP(2, [16, 16, 1])` over 100 two-moons points:
   forward over every point, the mean logistic loss, backward and an Adam step.
3. For comparison, one epoch of the Tensor `nn.MLP(2, [16, 16, 1])` over the same points.

Each line reports the median and the range of the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def time_demo(runs: int, extra: list[str]) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "autograd_lite", "demo", "--out", out, *extra],
                env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
    return times


def time_scalar_epoch(runs: int, points: int = 100) -> list[float]:
    from autograd_lite import datasets, optim
    from autograd_lite.nn import scalar
    from autograd_lite.random import manual_seed

    X, y = datasets.make_moons(points, noise=0.1, seed=0)
    rows, targets = X.tolist(), y.astype(float).tolist()
    manual_seed(0)
    model = scalar.MLP(2, [16, 16, 1])
    opt = optim.Adam(model.parameters(), lr=0.05)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        loss = scalar.binary_cross_entropy_with_logits([model(r) for r in rows], targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        del loss  # freeing the graph is part of the epoch's cost
        times.append(time.perf_counter() - start)
    return times


def time_tensor_epoch(runs: int, points: int = 100) -> list[float]:
    from autograd_lite import Tensor, datasets, nn, optim
    from autograd_lite.nn import functional as F
    from autograd_lite.random import manual_seed

    X, y = datasets.make_moons(points, noise=0.1, seed=0)
    inputs, targets = Tensor(X), y.astype(float)
    manual_seed(0)
    model = nn.MLP(2, [16, 16, 1])
    opt = optim.Adam(model.parameters(), lr=0.05)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        loss = F.binary_cross_entropy_with_logits(model(inputs).reshape(-1), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        del loss
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float], unit: str = "s") -> None:
    scale = 1000.0 if unit == "ms" else 1.0
    print(f"{name:<48} median {statistics.median(times) * scale:8.3f} {unit}   "
          f"(min {min(times) * scale:.3f}, max {max(times) * scale:.3f}, {len(times)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="demo runs (default 5)")
    parser.add_argument("--scalar-runs", type=int, default=5, help="scalar epochs (default 5)")
    parser.add_argument("--skip-demo", action="store_true", help="only the epoch timings")
    args = parser.parse_args()
    if not args.skip_demo:
        report("autograd-lite demo (default, tensor engine)", time_demo(args.runs, []))
        report("autograd-lite demo --engine scalar", time_demo(max(1, args.runs // 2),
                                                               ["--engine", "scalar"]))
    report("scalar MLP 2-16-16-1, one epoch over 100 points", time_scalar_epoch(args.scalar_runs))
    report("tensor MLP 2-16-16-1, one epoch over 100 points", time_tensor_epoch(50), unit="ms")


if __name__ == "__main__":
    main()
