"""Anomaly detection: stop at the first NaN or Inf, naming the op and the user's line.

`detect_anomaly()` flips one class attribute, `AnomalyMode.enabled`. The engine reads it once
per op: `new_tensor` / `new_value` call `check_forward` on each new node, and
`iterate_backward` calls `check_backward` on the gradients each vjp returns. When the mode is
off, that one attribute read is the whole cost; no creation sites are captured.

While the mode is on, every node made by an op remembers where the user's code created it
(the first frame outside the autograd_lite package), in a table keyed by node id whose entries
go away with their nodes.

The switch and the checks are part of the engine (the ops and the backward loop call them);
`autograd_lite.debug` hands `detect_anomaly` on to users. Nodes are read through their
`_data`, `label`, `id` and `parents` slots only.
"""

from __future__ import annotations

import functools
import linecache
import math
import os
import sys
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

#: Source files inside this folder are library code, skipped when looking for the user's line.
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class AnomalyMode:
    """The one switch the engine reads per op (a class attribute, cheap to read)."""

    enabled = False


class CreationSite:
    """Where user code created a node: file, line number and the source line's text."""

    __slots__ = ("code", "filename", "lineno")

    def __init__(self, filename: str, lineno: int, code: str) -> None:
        self.filename = filename
        self.lineno = lineno
        self.code = code

    def __str__(self) -> str:
        where = f"{self.filename}:{self.lineno}"
        return f"{where}\n    {self.code}" if self.code else where


#: node id -> (creation site, weak reference that drops the entry when the node dies)
_sites: dict[int, tuple[CreationSite, weakref.ref]] = {}


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()`."""
    return AnomalyMode.enabled


class detect_anomaly:
    """Context manager (and decorator): a NaN or Inf made in forward or backward raises.

    >>> with detect_anomaly():
    ...     y = x.log()            # FloatingPointError: op 'log' produced nan ... at file:line
    ...     y.sum().backward()     # also checks every gradient each vjp returns

    The error is a `FloatingPointError` naming the op and the file and line of the user's
    code that created the node. Outside the block nothing is checked and NumPy only warns, as
    usual. `detect_anomaly(False)` turns the checks off inside an enclosing block.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = bool(enabled)
        self.previous = False

    def __enter__(self) -> None:
        self.previous = AnomalyMode.enabled
        AnomalyMode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        AnomalyMode.enabled = self.previous

    def __call__(self, func: F) -> F:
        enabled = self.enabled

        @functools.wraps(func)
        def with_anomaly_detection(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(enabled):
                return func(*args, **kwargs)

        return with_anomaly_detection  # type: ignore[return-value]


def user_site() -> CreationSite | None:
    """The innermost calling frame whose file lies outside the autograd_lite package."""
    frame: Any = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(PACKAGE_DIR):
            lineno = frame.f_lineno
            code = linecache.getline(filename, lineno).strip()
            return CreationSite(filename, lineno, code)
        frame = frame.f_back
    return None


def forget_site(node_id: int, _ref: weakref.ref) -> None:
    """Weak-reference callback: the node is gone, so is its entry."""
    _sites.pop(node_id, None)


def creation_site(node: Any) -> CreationSite | None:
    """Where `node` was created, if it was created while anomaly mode was on."""
    entry = _sites.get(node.id)
    return None if entry is None else entry[0]


def op_name(op: Any) -> str:
    """The registry name of `op` (its class name when it has none)."""
    return getattr(op, "name", "") or type(op).__name__


def first_bad(values: Any) -> str:
    """"nan", "inf" or "-inf": the first non-finite entry of `values` (a float or an array)."""
    array = np.asarray(values, dtype=np.float64).ravel()
    bad = array[~np.isfinite(array)]
    return str(bad[0]) if bad.size else ""


def all_finite(values: Any) -> bool:
    """True when `values` (float, ndarray or a node holding one) has no NaN and no Inf."""
    values = getattr(values, "_data", values)  # a gradient that is a graph node (create_graph)
    if isinstance(values, float):
        return math.isfinite(values)
    array = np.asarray(values)
    if array.dtype.kind not in "fc":
        return True
    return bool(np.isfinite(array).all())


def describe_node(node: Any) -> str:
    """`'x', shape (3,)`; `shape (3,)` without a label; `'a'` or `a Value` for a Value."""
    shape = getattr(node._data, "shape", None)
    parts = [repr(node.label)] if node.label else []
    if shape is not None:
        parts.append(f"shape {tuple(shape)}")
    return ", ".join(parts) or "a Value"


def site_text(node: Any) -> str:
    """The sentence of an error message that says where `node` was created."""
    site = creation_site(node)
    if site is None:
        return ("It was created outside detect_anomaly(), so its line is unknown: build the "
                "graph inside the block to see it.")
    return f"It was created at {site}"


def check_forward(node: Any, op: Any) -> None:
    """Called by the engine for each node an op makes while the mode is on.

    `node`: the output just built (a Value or a Tensor of any shape); `op`: the op instance
    that made it. Remembers the user's line that created `node`, then raises
    `FloatingPointError` naming the op and that line if the output holds a NaN or an Inf.
    """
    site = user_site()
    if site is not None:
        _sites[node.id] = (site, weakref.ref(node, functools.partial(forget_site, node.id)))
    if not all_finite(node._data):
        raise FloatingPointError(
            f"detect_anomaly: op '{op_name(op)}' produced {first_bad(node._data)} in forward "
            f"(its output: {describe_node(node)}). {site_text(node)}"
        )


def check_backward(node: Any, op: Any, input_grads: tuple) -> None:
    """Raise `FloatingPointError` if `op.vjp` sent a NaN or an Inf to a parent of `node`.

    `input_grads` is aligned with `node.parents` (each of the parent's shape, or None).
    """
    for i, (parent, grad) in enumerate(zip(node.parents, input_grads)):
        if grad is None or all_finite(grad):
            continue
        data = getattr(grad, "_data", grad)
        raise FloatingPointError(
            f"detect_anomaly: op '{op_name(op)}' produced {first_bad(data)} in backward (in "
            f"the gradient its vjp sent to input {i}: {describe_node(parent)}). "
            f"{site_text(node)}"
        )
