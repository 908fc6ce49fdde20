"""`create_graph`: running an op's vjp on graph nodes, so the gradient is differentiable.

Each vjp rule is written once, with operations that work on arrays and on Tensors alike
(`ops/rule_math.py`). For a first derivative the engine hands it the op's saved arrays; for a
derivative that will be differentiated again, `saved_on_graph` swaps each saved array for the
graph node it came from (the output's data for the output node, an input's data for that
input), records the rule with grad mode on, and swaps the arrays back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from .grad_mode import enable_grad
from .node import Node
from .op import Op


def lift_saved(value: Any, node: Node, parents: tuple[Node, ...]) -> Any:
    """A saved value as the graph node it came from.

    The output's data becomes the output node, an input's data becomes that input, any other
    array becomes a constant node; a tuple (the floats a scalar `linear` saves, one per input)
    is lifted item by item; everything else (axes, shapes, flags) is kept as it is.
    """
    if value is node._data:
        return node
    for parent in parents:
        if value is parent._data:
            return parent
    if isinstance(value, np.ndarray):
        return node.wrap_constant(value)
    if type(value) is tuple:
        return tuple([lift_saved(item, node, parents) for item in value])
    return value


@contextmanager
def saved_on_graph(node: Node, op: Op) -> Iterator[None]:
    """Inside the block, the op's saved arrays are the graph nodes they came from (see
    `lift_saved`) and grad mode is on, so a rule run there records a differentiable graph.

    Raises `RuntimeError` for an op that kept a value computed from its inputs that is
    neither an input nor the output (`op.derived`, set by user-defined Functions): lifted, it
    would be a constant, and the higher derivative silently wrong.
    """
    if op.derived:
        raise not_differentiable_error(op, op.derived[0])
    names = op.saved
    originals = [getattr(op, name) for name in names]
    try:
        for name, value in zip(names, originals):
            setattr(op, name, lift_saved(value, node, node.parents))
        with enable_grad():
            yield
    finally:
        for name, value in zip(names, originals):
            setattr(op, name, value)


def vjp_on_graph(node: Node, op: Op, grad_out: Any) -> Any:
    """Run `op.vjp` on graph nodes instead of arrays, so the gradients are differentiable."""
    with saved_on_graph(node, op):
        return op.vjp(grad_out)


def not_differentiable_error(op: Op, name: str) -> RuntimeError:
    """The error for a value an op kept that `create_graph` cannot turn back into a node."""
    return RuntimeError(
        f"{op.name}: cannot differentiate the derivative (create_graph=True, hessian, grad of "
        f"grad) through the value kept as self.{name}: it is neither an input of the op nor its "
        "output, so the graph does not know how it depends on the inputs, and it would count "
        "as a constant (a silently wrong higher derivative). In forward, keep only the inputs "
        f"(and the output) on self, and compute {name} inside vjp from them with operations "
        f"that work on arrays and Tensors alike (e.g. np.cos(self.x) or self.x * 2, not a "
        "value computed in forward)."
    )
