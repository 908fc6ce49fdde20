"""What the function transforms cost: sweep counts for `jacobian`, time for `hessian`.

    python benchmarks/bench_transforms.py [--repeats 7]

Counts are taken by instrumenting the library for the run: calls of `f` (forward passes that
record a graph), reverse sweeps (one backward pass each, a vector-Jacobian product), forward
sweeps (one forward-mode pass each, a Jacobian-vector product), and the per-op `vjp` / `jvp`
rule calls inside them. Times are medians of `--repeats` runs, single-threaded, beside PyTorch's
`torch.autograd.functional.hessian` when torch is installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import autograd_lite as ag
from autograd_lite import TENSOR_OPS, Tensor, transforms

RNG = np.random.default_rng(0)
W_WIDE = RNG.standard_normal((3, 100)) / 10     # 100 inputs -> 3 outputs
W_TALL = RNG.standard_normal((100, 3))          # 3 inputs -> 100 outputs
W_HIDDEN = RNG.standard_normal((50, 100)) / 10  # the 100-parameter function for hessian


def wide(x: Tensor) -> Tensor:
    """R^100 -> R^3."""
    return (Tensor(W_WIDE) @ x).tanh() + (x ** 2).mean()


def tall(x: Tensor) -> Tensor:
    """R^3 -> R^100."""
    return (Tensor(W_TALL) @ x).sin() * x.sum()


def loss(x: Tensor) -> Tensor:
    """R^100 -> R: a one-hidden-layer network's squared activations plus a quartic term."""
    return ((Tensor(W_HIDDEN) @ x).tanh() ** 2).sum() + (x ** 4).sum() * 0.01


class Instrumented:
    """Counts sweeps, calls of `f` and op rule calls while active (a context manager)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.originals: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)
        counts = self.counts

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[key] += 1
            return original(*args, **kwargs)

        self.originals.append((owner, name, original))
        setattr(owner, name, counted)

    def __enter__(self) -> Instrumented:
        self.wrap(transforms, "reverse_sweep", "reverse sweeps")
        self.wrap(transforms, "forward_sweep", "forward sweeps")
        for cls in set(TENSOR_OPS.values()):
            self.wrap(cls, "vjp", "op vjp calls")
            self.wrap(cls, "jvp", "op jvp calls")
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self.originals):
            setattr(owner, name, original)

    def counting(self, f: Callable) -> Callable:
        counts = self.counts

        def counted_f(*args: Any) -> Any:
            counts["calls of f"] += 1
            return f(*args)

        return counted_f


def count_jacobian(f: Callable, n_in: int, mode: str) -> tuple[tuple[int, ...], Counter]:
    x = RNG.standard_normal(n_in)
    with Instrumented() as probe:
        jac = ag.jacobian(probe.counting(f), mode=mode)(x)
    return jac.shape, probe.counts


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats

    print("jacobian: sweeps per call (auto picks the cheaper mode)")
    keys = ["calls of f", "reverse sweeps", "forward sweeps", "op vjp calls", "op jvp calls"]
    print(f"  {'function':<14}{'mode':<6}{'shape':<12}" + "".join(f"{k:>16}" for k in keys))
    for label, f, n_in in [("100 -> 3", wide, 100), ("3 -> 100", tall, 3)]:
        for mode in ("auto", "rev", "fwd"):
            shape, counts = count_jacobian(f, n_in, mode)
            print(f"  {label:<14}{mode:<6}{shape!s:<12}"
                  + "".join(f"{counts[k]:>16}" for k in keys))

    x = RNG.standard_normal(100)
    h = ag.hessian(loss)(x)  # mode "auto": forward over reverse
    asymmetry = float(np.max(np.abs(h - h.T)))
    print(f"\nhessian of a 100-parameter function (shape {h.shape}, max |H - H^T| "
          f"= {asymmetry:.1e}):")
    for mode, name in [("rev", "reverse over reverse"), ("fwd", "forward over reverse")]:
        median, best = timed(partial(ag.hessian(loss, mode=mode), x), repeats)
        print(f"  autograd_lite {name:<22} median {median * 1e3:8.1f} ms  (best "
              f"{best * 1e3:.1f} ms)")
    for mode in ("rev", "fwd"):
        with Instrumented() as probe:
            ag.hessian(loss, mode=mode)(x)
        print(f"  sweeps ({mode}): {probe.counts['reverse sweeps']} reverse, "
              f"{probe.counts['forward sweeps']} forward (one reverse sweep for the gradient, "
              "then one sweep per row or column)")
    try:
        import torch
    except ImportError:
        print("  torch: not installed")
        return
    torch.set_num_threads(1)
    w = torch.as_tensor(W_HIDDEN)
    xt = torch.as_tensor(x)

    def torch_loss(v: Any) -> Any:
        return (torch.tanh(w @ v) ** 2).sum() + (v ** 4).sum() * 0.01

    median, best = timed(lambda: torch.autograd.functional.hessian(torch_loss, xt), repeats)
    expected = torch.autograd.functional.hessian(torch_loss, xt).numpy()
    print(f"  torch.autograd.functional.hessian{'':<5} median {median * 1e3:8.1f} ms  (best "
          f"{best * 1e3:.1f} ms); max |difference| {np.max(np.abs(h - expected)):.1e}")


if __name__ == "__main__":
    main()
