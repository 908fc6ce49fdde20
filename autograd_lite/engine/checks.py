"""Whether a recorded op can still run its vjp: its saved values not freed by an earlier
backward, and not changed in place since they were saved (see `data_view`)."""

from __future__ import annotations

from typing import Any

from .node import Node
from .op import Op


def check_graph_usable(order: list[Node]) -> None:
    """Refuse, before any gradient moves, a graph that backward could not finish (buffers
    freed by an earlier backward, saved data changed in place), so a failed backward leaves
    every `.grad` as it was."""
    for node in order:
        op = node._op
        # Only an op that frees buffers or keeps versions can fail: scalar ops and ops that
        # saved nothing are passed over without a call.
        if op is not None and (op.freed or op.versions is not None):
            check_usable(node, op)


def check_usable(node: Node, op: Op) -> None:
    """Raise `RuntimeError` if `op` was freed by an earlier backward or its saved data was
    changed in place."""
    if op.freed:
        raise freed_graph_error(node, op)
    versions = op.versions
    if versions is None:
        return
    # Only Tensors keep versions. Ops with one or two inputs are compared without building a
    # tuple of the tensors: O1 (small ops) runs 4% fewer instructions so.
    tensor: Any = node
    parents: tuple[Any, ...] = node.parents
    if len(parents) == 1:
        if tensor._version == versions[0] and parents[0]._version == versions[1]:
            return
    elif len(parents) == 2:
        if tensor._version == versions[0] and parents[0]._version == versions[1] and \
                parents[1]._version == versions[2]:
            return
    for tensor, version in zip((node, *parents), versions):
        if tensor._version != version:
            raise changed_in_place_error(tensor, op)


def freed_graph_error(node: Node, op: Op) -> RuntimeError:
    """The error for a second backward through buffers an earlier backward released."""
    return RuntimeError(
        f"backward: the values op '{op.name}' saved for backward (node {describe(node)}) were "
        "already freed by an earlier backward(). Pass retain_graph=True to the first backward() "
        "to run backward through the same graph again, or recompute the forward pass."
    )


def changed_in_place_error(tensor: Any, op: Op) -> RuntimeError:
    """The error for a saved tensor whose memory was written into after `op` recorded it."""
    return RuntimeError(
        f"backward: tensor {describe(tensor)} of shape {tuple(tensor._data.shape)} was changed "
        "in place (a write into .data, or an in-place operator such as +=, on it or on a tensor "
        f"sharing its memory) after op '{op.name}' saved it for backward, so its gradient would "
        "be wrong. Change values only after backward(), or run the forward pass again after the "
        "change."
    )


def describe(node: Node) -> str:
    """A node as messages name it: its label in quotes, else its id."""
    return f"'{node.label}'" if node.label else f"id {node.id}"
