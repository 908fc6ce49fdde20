"""The graph node that `Value` and `Tensor` share.

A node holds its forward value (`_data`), its accumulated gradient (`grad`), the nodes it was
computed from (`parents`, an ordered tuple) and the op instance that made it (`_op`, which keeps
what backward needs). A node never refers to its children and an op never refers to its output
node, so a graph has no reference cycles and is freed as soon as its root is dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .op import Op

_ids = itertools.count()

#: A hook: called with a node's gradient, returns a replacement or None.
Hook = Callable[[Any], Any]


class HookHandle:
    """Returned by `register_hook`; `remove()` takes the hook off again."""

    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks: list[Hook], fn: Hook) -> None:
        self._hooks = hooks
        self._fn = fn

    def remove(self) -> None:
        """Remove the hook (a second call does nothing)."""
        for i, fn in enumerate(self._hooks):
            if fn is self._fn:
                del self._hooks[i]
                return


class Node:
    """Graph bookkeeping shared by `Value` and `Tensor`; the engine reads only these slots.

    - `_data`: the forward value (a float for Value, an ndarray for Tensor).
    - `grad`: the accumulated gradient, or the kind's "no gradient yet" value.
    - `parents`: the nodes this one was computed from, in the op's argument order (empty for a
      leaf and for anything built without recording).
    - `_op`: the op instance that made the node (None for a leaf).
    - `requires_grad`: whether gradients flow to this node.
    - `keeps_grad`: whether backward stores this node's gradient in `.grad`.
    - `id`: a monotonic creation number (drawings and step traces show it; backward orders
      nodes by it, since a node is always made after its parents).
    """

    __slots__ = ("_data", "grad", "parents", "_op", "requires_grad", "keeps_grad", "_hooks",
                 "id", "label", "__weakref__")

    _data: Any
    grad: Any
    parents: tuple[Node, ...]
    _op: Op | None
    requires_grad: bool
    keeps_grad: bool
    _hooks: list[Hook] | None
    id: int
    label: str

    @property
    def op(self) -> str:
        """The name of the op that made this node, `""` for a leaf."""
        op = self._op
        return "" if op is None else op.name

    @property
    def is_leaf(self) -> bool:
        """True for a node no recorded op made (inputs and parameters)."""
        return self._op is None

    def wrap_constant(self, value: Any) -> Node:
        """`value` as a constant node of this node's kind (used by `create_graph`)."""
        raise NotImplementedError

    def register_hook(self, fn: Hook) -> HookHandle:
        """Call `fn(grad)` when this node's gradient is ready during backward.

        `fn` may return a replacement gradient (same shape) or None to keep it. Returns a
        handle whose `remove()` takes the hook off.
        """
        if not callable(fn):
            raise TypeError(
                f"register_hook: expected a callable, got {type(fn).__name__}; pass a function "
                "fn(grad) that returns a replacement gradient or None"
            )
        if not self.requires_grad:
            raise RuntimeError(
                "register_hook: this node does not require grad, so no gradient will reach it; "
                "create it with requires_grad=True"
            )
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return HookHandle(self._hooks, fn)

    def __setstate__(self, state: Any) -> None:
        """Unpickling and `copy.deepcopy`: restore the fields, then take a fresh creation
        number. Backward orders nodes by it (a node comes after its parents), and a number
        from another process, or from before the copy, could be larger than those of nodes
        made here later. Parents are restored before their children, so the copies keep
        that order among themselves."""
        _, fields = state if isinstance(state, tuple) else (state, None)
        for name, value in (fields or {}).items():
            setattr(self, name, value)
        self.id = next_id()

    def retain_grad(self) -> None:
        """Make a non-leaf node keep its gradient in `.grad` after backward."""
        if not self.requires_grad:
            raise RuntimeError(
                "retain_grad: this node does not require grad, so no gradient will reach it; "
                "build it from an input created with requires_grad=True (outside no_grad())"
            )
        self.keeps_grad = True


#: A fresh monotonic node id (the counter's own `__next__`, the cheapest call there is).
next_id = _ids.__next__


class History:
    """How many in-place operators have given a node new history (`y += x` on a tensor in a
    graph). Until the first one, every node is younger than its parents and backward needs no
    check; after it, `topological_order` sends a gradient meant for the values from before a
    change to the node that stands for them (see `stand_ins`)."""

    rewrites = 0


def stand_ins(node: Node) -> tuple[Node, ...]:
    """`node.parents`, each as it was when `node` was made.

    A parent younger than `node` (a larger `id`) was changed in place after `node` used it;
    its `_prior` chain leads to the node that holds its earlier values and history. The
    parents tuple is fixed up once, so drawings and later passes see the right graph.
    """
    parents = node.parents
    made = node.id
    if all(parent.id < made for parent in parents):
        return parents
    fixed = []
    for parent in parents:
        while parent.id > made:
            prior = getattr(parent, "_prior", None)
            if prior is None:
                raise RuntimeError(
                    f"backward: node id {parent.id} is younger than its child id {made} and "
                    "has no earlier version; the graph was changed in a way backward cannot "
                    "follow"
                )
            parent = prior
        fixed.append(parent)
    node.parents = tuple(fixed)
    return node.parents
