"""Forward mode: push tangents (directional derivatives) through a recorded graph.

Every op has a `jvp(*tangents)` rule beside its `vjp`: given the tangent of each input (None for
an input that has none) it returns the output's tangent, using the values the op saved during
the forward pass. `forward_sweep` visits the graph once in topological order (parents before
children) and applies one rule per node, so a Jacobian-vector product costs about one forward
pass, never a whole Jacobian.

With `create_graph=True` the saved arrays are turned back into graph nodes first (as backward
does for `create_graph`), so the tangents are Tensors that can be differentiated again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine.checks import check_usable
from .engine.higher_order import saved_on_graph
from .engine.node import Node
from .engine.op import Op
from .engine.order import topological_order
from .ops.rule_math import broadcast_to


def jvp_on_graph(node: Node, op: Op, tangents: list[Any]) -> Any:
    """Run `op.jvp` on graph nodes instead of saved arrays, so the tangent is differentiable."""
    with saved_on_graph(node, op):
        return op.jvp(*tangents)


def forward_step(node: Node, op: Op, tangents: list[Any], create_graph: bool) -> Any:
    """The tangent of `node` from its parents' tangents (a list aligned with `node.parents`).

    The result always has the node's own shape: a rule may return it in a smaller shape that
    broadcasts (say `Add` with one input's tangent missing), and it is broadcast here, once.
    """
    check_usable(node, op)
    if create_graph:
        tangent = jvp_on_graph(node, op, tangents)
    else:
        tangent = op.jvp(*tangents)
    if tangent is None or not op.broadcasts:
        return tangent
    if not isinstance(tangent, (np.ndarray, Node)):
        tangent = np.asarray(tangent)  # NumPy returns scalars from 0-d arithmetic
    shape = node._data.shape
    if tangent.shape != shape:
        tangent = broadcast_to(tangent, shape)
    return tangent


def forward_sweep(
    root: Node,
    seeds: dict[int, Any],
    order: list[Node] | None = None,
    create_graph: bool = False,
) -> Any:
    """The tangent of `root` given the tangents of some nodes of its graph.

    `seeds` maps `id(node)` to that node's tangent (an array of the node's shape, or a Tensor
    with `create_graph`); every other leaf has tangent zero. `order` is
    `topological_order(root)`, passed in when several sweeps run over one graph. Returns None
    when no seeded node reaches `root` (the tangent is zero).
    """
    if order is None:
        order = topological_order(root)
    tangents = dict(seeds)
    for node in order:
        key = id(node)
        op = node._op
        if op is None or key in tangents:
            continue  # a leaf, or a seeded node (its tangent is given, not derived)
        parent_tangents = []
        reached = False
        for parent in node.parents:
            tangent = tangents.get(id(parent))
            parent_tangents.append(tangent)
            if tangent is not None:
                reached = True
        if reached:
            tangent = forward_step(node, op, parent_tangents, create_graph)
            if tangent is not None:
                tangents[key] = tangent
    return tangents.get(id(root))
