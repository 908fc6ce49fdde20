"""Run time of each ported source (tests/porting/ports/) beside its original, in one process.

    python benchmarks/bench_ports.py              # every source, best of --repeats runs
    python benchmarks/bench_ports.py --only micrograd

Prints a Markdown table: the source, the work timed, the original library's time, the port's
time on autograd_lite and their ratio. Each port runs as written (the lines in its `CHANGES`
aside). Originals run in float64 where they would use float32, as in the tests, so both sides
do the same arithmetic. Also checks that the micrograd demo's port reproduces the loss the
notebook printed at its last step.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.porting.ports import (  # noqa: E402 - after the path is set
    hips_neural_net,
    hips_tanh,
    jax_cookbook,
    micrograd_demo,
    micrograd_engine,
    pytorch_polynomial_autograd,
    pytorch_polynomial_custom_function,
    pytorch_polynomial_nn,
)


def best_time(fn: Callable[[], Any], repeats: int) -> float:
    """The shortest of `repeats` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def sources() -> list[tuple[str, str, Callable[[], Any], Callable[[], Any], int]]:
    """(name, work, original, port, repeats) for every ported source."""
    poly_init = pytorch_polynomial_autograd.initial()
    nn_init = pytorch_polynomial_nn.initial()
    return [
        ("micrograd test_engine.py", "test_sanity_check + test_more_ops",
         micrograd_engine.original, micrograd_engine.port, 200),
        ("micrograd demo.ipynb", "5 of the 100 training steps",
         lambda: micrograd_demo.original(steps=5), lambda: micrograd_demo.port(steps=5), 1),
        ("PyTorch polynomial_autograd.py", "2000 steps",
         lambda: pytorch_polynomial_autograd.original(poly_init),
         lambda: pytorch_polynomial_autograd.port(poly_init), 3),
        ("PyTorch polynomial_custom_function.py", "2000 steps",
         pytorch_polynomial_custom_function.original, pytorch_polynomial_custom_function.port,
         3),
        ("PyTorch polynomial_optim.py + polynomial_module.py", "2000 steps each",
         lambda: pytorch_polynomial_nn.original(nn_init),
         lambda: pytorch_polynomial_nn.port(nn_init), 3),
        ("HIPS examples/neural_net.py", "5 epochs of 8 batches",
         hips_neural_net.original, hips_neural_net.port, 3),
        ("HIPS examples/tanh.py", "tanh and 4 derivatives on 700 points",
         hips_tanh.original, hips_tanh.port, 20),
        ("JAX cookbook: nested lists, tuples, dicts", "three gradients",
         lambda: jax_cookbook.run_pytrees(jax_cookbook.hips_lib()),
         lambda: jax_cookbook.run_pytrees(jax_cookbook.our_lib()), 50),
        ("JAX cookbook: Hessian-vector products", "3 hvps + the dense 30x40 Hessian",
         lambda: jax_cookbook.run_hvp(jax_cookbook.hips_lib()),
         lambda: jax_cookbook.run_hvp(jax_cookbook.our_lib()), 5),
    ]


def format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def check_micrograd_demo() -> str:
    history = micrograd_demo.port(steps=100)
    printed = micrograd_demo.PRINTED[99]
    ours = history[99][0]
    verdict = "the same" if abs(ours - printed) <= 1e-14 else "DIFFERENT"
    return (f"micrograd demo, step 99: loss {ours!r} (the notebook printed {printed!r}: "
            f"{verdict}), accuracy {history[99][1]:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=float, default=1.0,
                        help="scale every source's number of repeats by this factor")
    parser.add_argument("--only", default="", help="run the sources whose name contains this")
    args = parser.parse_args()
    print("| source | work | original | autograd_lite | ratio |")
    print("|---|---|---|---|---|")
    for name, work, original, port, repeats in sources():
        if args.only.lower() not in name.lower():
            continue
        repeats = max(1, round(repeats * args.repeats))
        theirs = best_time(original, repeats)
        ours = best_time(port, repeats)
        print(f"| {name} | {work} | {format_seconds(theirs)} | {format_seconds(ours)} | "
              f"{ours / theirs:.2f} |")
    if args.only.lower() in "micrograd demo.ipynb":
        print()
        print(check_micrograd_demo())


if __name__ == "__main__":
    main()
