"""The math vjp rules are written with: functions that run on ndarrays and on Tensors alike.

With `create_graph=False` the engine hands a rule plain arrays and these are plain NumPy
calls. With `create_graph=True` it hands Tensors, these record graph nodes, and the gradient
can be differentiated again. Operators (`+ - * / ** @`) and the methods `.sum .reshape
.transpose .swapaxes` and indexing already work on both, so only these few are needed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.node import Node


def on_graph(a: Any) -> bool:
    """True for a graph node (a Tensor or Value: `create_graph` hands rules those), False for
    an array or number."""
    return isinstance(a, Node)


def data_of(a: Any) -> Any:
    """The array (or float) inside a graph node, or `a` itself: what a rule tests values on
    (a mask, a sign) whether it was handed arrays or, under `create_graph`, nodes."""
    return a._data if on_graph(a) else a


def exp(a: Any) -> Any:
    """e ** a, elementwise."""
    return a.exp() if on_graph(a) else np.exp(a)


def log(a: Any) -> Any:
    """Natural logarithm, elementwise."""
    return a.log() if on_graph(a) else np.log(a)


def sin(a: Any) -> Any:
    """Sine, elementwise."""
    return a.sin() if on_graph(a) else np.sin(a)


def cos(a: Any) -> Any:
    """Cosine, elementwise."""
    return a.cos() if on_graph(a) else np.cos(a)


#: 0-d zeros by dtype, for `zero_like`.
ZEROS: dict[np.dtype, np.ndarray] = {}


def zero_like(x: np.ndarray) -> np.ndarray:
    """A 0-d zero of `x`'s dtype: NumPy compares an array against it about twice as fast as
    against the Python number 0, which it must convert on every call."""
    zero = ZEROS.get(x.dtype)
    if zero is None:
        zero = ZEROS[x.dtype] = np.zeros((), dtype=x.dtype)
    return zero


def broadcast_to(a: Any, shape: tuple[int, ...]) -> Any:
    """`a` repeated along broadcast axes to `shape` (a new array for ndarrays: `np.full` costs
    a third of `np.broadcast_to` on the small arrays of a training step)."""
    return a.broadcast_to(shape) if on_graph(a) else np.full(shape, a)


def matrix_transpose(a: Any) -> Any:
    """Swap the last two axes (a stack of matrices transposed)."""
    return a.swapaxes(-1, -2)


def is_basic_index(index: Any) -> bool:
    """True for indices made only of ints, slices, None and Ellipsis (each element hit once)."""
    items = index if isinstance(index, tuple) else (index,)
    for item in items:
        if not (item is None or item is Ellipsis or isinstance(item, (int, np.integer, slice))):
            return False
    return True


def scatter_add(values: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of `shape` with `values` added at `index` (repeated indices add up)."""
    if on_graph(values):
        return values._scatter_add(index, shape)
    out = np.zeros(shape, dtype=values.dtype)
    if is_basic_index(index) or (isinstance(index, np.ndarray) and index.dtype == bool):
        out[index] = values
    else:
        np.add.at(out, index, values)
    return out


def sum_terms(*terms: Any) -> Any:
    """The sum of the terms that are not None, or None when all are (for jvp rules, where an
    input without a tangent contributes nothing)."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total
