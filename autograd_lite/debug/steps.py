"""`backward_steps`: the backward pass as an iterator, one vector-Jacobian product per step.

It consumes the same generator that `.backward()` drains (`engine.backward.iterate_backward`),
so running it to the end leaves exactly the gradients `.backward()` leaves, and stopping early
leaves the gradients accumulated so far. Each `Step` is handed out while its op still holds the
values it saved for backward, so `step.local_jacobian(i)` can ask the op's own `vjp` for the
rows of the Jacobian, one unit cotangent at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

# The engine module, not names from it: `engine.backward` imports the anomaly checks of this
# package while it is itself being imported, so its names are looked up at call time.
from ..engine import backward as engine
from ..engine.errors import ShapeError, real_array

#: Largest Jacobian `local_jacobian` builds (entries), and most vjp calls it makes (rows).
MAX_JACOBIAN_ENTRIES = 1_000_000
MAX_JACOBIAN_ROWS = 10_000


def node_name(node: Any) -> str:
    """A short name for messages: the label, else `<op>`, `<leaf>` or `<const>`."""
    if node.label:
        return node.label
    if node._op is not None:
        return f"<{node.op}>"
    return "<leaf>" if node.requires_grad else "<const>"


def shape_of(data: Any) -> tuple[int, ...]:
    """The shape of a node's data or a gradient: `()` for a Python float."""
    data = getattr(data, "_data", data)
    return tuple(np.shape(data))


def format_number(x: float) -> str:
    """A float in 4 significant digits (`-3`, `0.25`, `1.235e+04`)."""
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0


def format_grad(grad: Any) -> str:
    """A gradient in a few characters: `none`, its value for a float, else `|g|=norm`."""
    if grad is None:
        return "none"
    data = getattr(grad, "_data", grad)
    if isinstance(data, float):
        return format_number(data)
    return f"|g|={format_number(float(np.linalg.norm(data)))}"


def format_node(node: Any) -> str:
    """`c = -6` for a Value, `x (3,)` for a Tensor: the node's name and value or shape."""
    data = node._data
    if isinstance(data, np.ndarray):
        return f"{node_name(node)} {data.shape}"
    return f"{node_name(node)} = {format_number(data)}"


class Step:
    """One step of backward: the vector-Jacobian product of one non-leaf node.

    - `index`: 1 for the first step (the root's op), 2 for the next, ...
    - `node`: the Value or Tensor whose op ran; `node.parents` are its inputs.
    - `op`: the op's name (`"mul"`, `"matmul"`, ...).
    - `grad_out`: the upstream gradient d(root)/d(node), in the node's shape (a float for a
      Value, an ndarray for a Tensor).
    - `input_grads`: a tuple aligned with `node.parents`: the gradient sent to each parent, in
      that parent's shape (broadcasting undone), or `None` where none is sent.
    - `local_jacobian(i)`: the dense Jacobian d(node)/d(parent i), shape `(out.size, in.size)`,
      so that `grad_out.ravel() @ local_jacobian(i) == input_grads[i].ravel()`.
    """

    __slots__ = ("_op", "_saved", "grad_out", "index", "input_grads", "node")

    def __init__(self, index: int, node: Any, grad_out: Any, input_grads: tuple) -> None:
        self.index = index
        self.node = node
        self.grad_out = grad_out
        self.input_grads = input_grads
        op = node._op
        self._op = op
        # References (not copies) to what the op saved for backward: the engine releases them
        # from the op when the iterator moves on, but a step kept by the user can still build
        # its Jacobian. A step nobody keeps frees them as backward() would.
        self._saved = tuple([getattr(op, name, None) for name in getattr(op, "saved", ())])

    @property
    def op(self) -> str:
        """The name of the op whose vjp ran in this step."""
        return self._op.name

    @property
    def rule(self) -> str:
        """The op's derivative rule in one line of math (may be empty for custom ops)."""
        return getattr(self._op, "rule", "")

    @property
    def parents(self) -> tuple:
        """The node's inputs, aligned with `input_grads`."""
        return self.node.parents

    def local_jacobian(self, i: int = 0) -> np.ndarray:
        """The dense Jacobian of the node with respect to its `i`-th parent.

        Returns a float64 array of shape `(out.size, in.size)`: row k is d out.flat[k] / d in,
        computed by the op's own `vjp` on the k-th unit cotangent (broadcasting undone, as in
        backward). For a Value both sizes are 1.

        Raises `IndexError` for a bad `i`; `ValueError` when the matrix would be too large
        (more than 10,000 rows or 1,000,000 entries: try smaller shapes). A step keeps what
        its op saved for backward, so its Jacobian can be asked for after the iterator moved
        on (and the engine released the op).
        """
        parents = self.node.parents
        if not -len(parents) <= i < len(parents):
            raise IndexError(
                f"local_jacobian: step {self.index} ({self.op}) has {len(parents)} input(s), "
                f"so i must be in 0..{len(parents) - 1}, got {i}"
            )
        parent = parents[i]
        out_shape = shape_of(self.node._data)
        in_shape = shape_of(parent._data)
        rows, cols = math.prod(out_shape), math.prod(in_shape)
        if rows > MAX_JACOBIAN_ROWS or rows * cols > MAX_JACOBIAN_ENTRIES:
            raise ValueError(
                f"local_jacobian: the Jacobian of {self.op} from input shape {in_shape} to "
                f"output shape {out_shape} would be {rows} x {cols}; that is too large to build "
                f"densely (limits: {MAX_JACOBIAN_ROWS} rows, {MAX_JACOBIAN_ENTRIES} entries). "
                "Try the same computation on smaller shapes."
            )
        op = self._op
        if not getattr(op, "freed", False):
            return jacobian_rows(self.node, op, i, rows, cols)
        # The op was released after this step was handed out (its vjp had run on the saved
        # values, so the step holds them): lend them back for the duration.
        names = op.saved
        try:
            for name, value in zip(names, self._saved):
                setattr(op, name, value)
            op.freed = False
            return jacobian_rows(self.node, op, i, rows, cols)
        finally:
            for name in names:
                setattr(op, name, None)
            op.freed = True

    def __str__(self) -> str:
        """One line: the step, the op, the node, its upstream gradient and what each input
        receives (a value for Values, a shape and a norm for Tensors)."""
        node = self.node
        tensor = isinstance(node._data, np.ndarray)
        sent = ", ".join([
            f"{node_name(p)} {p._data.shape} {format_grad(g)}" if tensor
            else f"{node_name(p)}: {format_grad(g)}"
            for p, g in zip(node.parents, self.input_grads)
        ])
        return (
            f"step {self.index:<3} {self.op:<9} {format_node(node)}  "
            f"grad_out {format_grad(self.grad_out)}  ->  {sent}"
        )

    def __repr__(self) -> str:
        return f"<Step {self.index} {self.op} node id {self.node.id} shape {shape_of(self.node)}>"


def jacobian_rows(node: Any, op: Any, i: int, rows: int, cols: int) -> np.ndarray:
    """Rows of d(node)/d(parent i) from `op.vjp` on unit cotangents (see `local_jacobian`).

    Every input is marked as needing a gradient for the duration (a Tensor op skips the
    gradient of a constant input otherwise); the op's own flags are restored afterwards. Scalar
    ops keep no such flags (they compute every gradient), so theirs are left alone.
    """
    jacobian = np.zeros((rows, cols))
    out = node._data
    had_flags = hasattr(op, "needs_grad")
    flags = op.needs_grad if had_flags else None
    marked = had_flags or op.kind == "tensor"
    if marked:
        op.needs_grad = (True,) * len(node.parents)
    try:
        for k in range(rows):
            if isinstance(out, np.ndarray):
                cotangent: Any = np.zeros(out.shape, dtype=out.dtype)
                cotangent.flat[k] = 1.0
            else:
                cotangent = 1.0
            grads = engine.backward_step(node, op, cotangent, False)
            if grads[i] is not None:
                jacobian[k] = np.ravel(getattr(grads[i], "_data", grads[i]))
    finally:
        if had_flags:
            op.needs_grad = flags
        elif marked:
            del op.needs_grad
    return jacobian


def seed_gradient(root: Any, grad: Any) -> Any:
    """The gradient backward starts from, as `.backward()` makes it.

    A Value starts from 1.0 (or `grad`, a float). A Tensor starts from ones when it has one
    element, else `grad` is required (an ndarray or Tensor of the root's shape).
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward_steps: the root does not require grad, so there is nothing to step "
            "through. Create an input with requires_grad=True (outside no_grad())."
        )
    data = root._data
    if not isinstance(data, np.ndarray):
        return 1.0 if grad is None else float(grad)
    if grad is None:
        if data.size != 1:
            raise RuntimeError(
                f"backward_steps: the root has shape {data.shape}, not a single number; pass "
                "grad= an array of that shape, or reduce the output first (e.g. .sum())"
            )
        return np.ones_like(data)
    seed = real_array(getattr(grad, "_data", grad), data.dtype, "backward_steps: grad")
    if seed.shape != data.shape:
        raise ShapeError(
            f"backward_steps: grad has shape {seed.shape} but the root has shape {data.shape}"
        )
    return seed


def backward_steps(root: Any, grad: Any = None, retain_graph: bool = False) -> Iterator[Step]:
    """Run backward from `root` one node at a time, yielding a `Step` per non-leaf node.

    Steps come in reverse topological order (the root's op first). `grad` seeds the pass as
    in `.backward(grad)`; `retain_graph=True` keeps every op's saved values, so a Tensor
    graph can be stepped or backpropagated again and old steps' `local_jacobian` still works.
    Exhausting the iterator leaves the same `.grad` everywhere as `root.backward()`.

    Raises `RuntimeError` (root without grad, or non-scalar root without `grad`) and
    `ShapeError` (a `grad` of the wrong shape) at once, before the first step.
    """
    seed = seed_gradient(root, grad)
    return generate_steps(engine.iterate_backward(root, seed, retain_graph, False))


def generate_steps(loop: Iterator[tuple[Any, Any, tuple]]) -> Iterator[Step]:
    """Wrap each `(node, grad_out, input_grads)` the backward loop yields in a `Step`."""
    for index, (node, grad_out, input_grads) in enumerate(loop, start=1):
        yield Step(index, node, grad_out, input_grads)
