"""How long `draw_graph` takes to build the DOT source of a 10,000-node graph (no `dot` needed).

    python benchmarks/bench_draw.py

Builds a Value graph and a Tensor graph of exactly 10,000 nodes each (a long chain with a
leaf and a constant feeding every step, so the walk is deep and wide), then times
`draw_graph(root, max_nodes=None).source` (every node drawn) and the default
`draw_graph(root).source` (repeats collapsed, at most 120 nodes), best of five runs each.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd_lite import Tensor, Value, draw_graph
from autograd_lite.viz.graph import ancestors

NODES = 10_000


def value_chain(nodes: int) -> Value:
    """`y = y * w_i + 0.5`, repeated: each step adds a leaf w_i, a constant and two ops."""
    y = Value(1.0, label="x")
    count = 1
    i = 0
    while count + 4 <= nodes:
        y = y * Value(1.0001, label=f"w{i}") + 0.5
        count += 4
        i += 1
    while count < nodes:
        y = y.tanh()
        count += 1
    return y


def tensor_chain(nodes: int) -> Tensor:
    """The same chain on 3x3 tensors (each box shows its values and gradient)."""
    y = Tensor(np.eye(3), requires_grad=True, label="x")
    count = 1
    i = 0
    while count + 4 <= nodes:
        w = Tensor(np.full((3, 3), 0.1), requires_grad=True, label=f"w{i}")
        y = y @ w + 0.5
        count += 4
        i += 1
    while count < nodes:
        y = y.tanh()
        count += 1
    return y


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall time of `runs` calls of `work`, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def draw_source(root: Value | Tensor, max_nodes: int | None) -> str:
    """The DOT source of `root`'s drawing."""
    return draw_graph(root, max_nodes=max_nodes).source


def main() -> None:
    sys.setrecursionlimit(1000)  # the walk must not need more
    for name, root in (("Value", value_chain(NODES)), ("Tensor", tensor_chain(NODES))):
        count = len(ancestors(root))
        every = best_of(5, functools.partial(draw_source, root, None))
        limited = best_of(5, functools.partial(draw_source, root, 120))
        print(f"{name:>6} graph, {count} nodes: all drawn {every * 1000:7.1f} ms, "
              f"default max_nodes {limited * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
