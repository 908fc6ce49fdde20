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

from ..engine.backward import backward_step, iterate_backward
from ..engine.gradients import seed_gradient
from ..text import format_array, format_number

#: Largest Jacobian `local_jacobian` builds (entries), and most vjp calls it makes (rows).
MAX_JACOBIAN_ENTRIES = 1_000_000
MAX_JACOBIAN_ROWS = 10_000


#: A tensor with at most this many elements is printed in full; a larger one as a summary.
MAX_PREVIEW_ELEMENTS = 8

#: Ops written as an operator between (or before) their inputs; the others as `name(inputs)`.
INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}
PREFIX = {"neg": "-"}


def node_name(node: Any, names: dict[int, str] | None = None) -> str:
    """How a step's text refers to a node: its name (a module's dotted parameter name, else its
    label) with its id, `layers.0.weight#3`, `c#7`; an unnamed node by its id alone, `#12`;
    a constant nobody named as `const#5`."""
    name = (names or {}).get(id(node)) or node.label
    if name:
        return f"{name}#{node.id}"
    if node._op is None and not node.requires_grad:
        return f"const#{node.id}"
    return f"#{node.id}"


def shape_of(data: Any) -> tuple[int, ...]:
    """The shape of a node's data or a gradient: `()` for a Python float."""
    data = getattr(data, "_data", data)
    return tuple(np.shape(data))


def preview(data: Any) -> str:
    """Values on one line: a number, a small array in full (`[[1, -0.5], [2, 0]]`), or a
    larger one as `min m  max M  norm n` (the norm: the square root of the sum of squares)."""
    if data is None:
        return "none"
    data = getattr(data, "_data", data)
    if isinstance(data, float):
        return format_number(data)
    array = np.asarray(data, dtype=np.float64)
    return format_array(array, MAX_PREVIEW_ELEMENTS, summary="norm", one_line=True)


def format_grad(grad: Any) -> str:
    """A gradient on one line (see `preview`); `none` where no gradient is sent."""
    return preview(grad)


def operand(node: Any, names: dict[int, str] | None) -> str:
    """A node as an operand of a formula: a constant number by its value, else `node_name`."""
    if node._op is None and not node.requires_grad and not node.label:
        data = node._data
        if isinstance(data, float) or getattr(data, "ndim", None) == 0:
            return format_number(float(data))
    return node_name(node, names)


def formula(node: Any, names: dict[int, str] | None = None) -> str:
    """What the node's op computed from its inputs: `c#3 = a#1 * b#2`, `#9 = relu(#8)`,
    `loss#14 = binary_cross_entropy_with_logits(logits#13, reduction=mean)`."""
    op = node._op
    args = [operand(p, names) for p in node.parents]
    extra = op.describe() if hasattr(op, "describe") else ""
    if op.name in INFIX and len(args) == 2 and not extra:
        expression = f"{args[0]} {INFIX[op.name]} {args[1]}"
    elif op.name in PREFIX and len(args) == 1 and not extra:
        expression = f"{PREFIX[op.name]}{args[0]}"
    else:
        expression = f"{op.name}({', '.join([*args, extra] if extra else args)})"
    return f"{node_name(node, names)} = {expression}"


def module_names(module: Any) -> dict[int, str]:
    """Node identity -> dotted parameter name, from `module.named_parameters()`."""
    if module is None:
        return {}
    if not hasattr(module, "named_parameters"):
        raise TypeError(
            f"backward_steps: module= needs an object with named_parameters() (an nn.Module), "
            f"got {type(module).__name__}"
        )
    names: dict[int, str] = {}
    for name, param in module.named_parameters():
        names.setdefault(id(param), str(name))
    return names


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
    - `names`: node identity -> display name (a module's dotted parameter names), used by
      `str(step)`.
    - `formula`: what the op computed, `c#3 = a#1 * b#2` (names with node ids, `#id` for a
      node without a name).
    """

    __slots__ = ("_op", "_saved", "grad_out", "index", "input_grads", "names", "node")

    def __init__(self, index: int, node: Any, grad_out: Any, input_grads: tuple,
                 names: dict[int, str] | None = None) -> None:
        self.index = index
        self.names = names if names is not None else {}
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

    @property
    def formula(self) -> str:
        """What the op computed from its inputs, with node ids: `c#3 = a#1 * b#2`."""
        return formula(self.node, self.names)

    def __str__(self) -> str:
        """Aligned lines, each naming a node by its name and id: the formula, the node's value
        and its upstream gradient, then the gradient each input gets. Tensors show their shape
        and values (a summary beyond 8 elements)."""
        node, names = self.node, self.names
        rows = [(node, "value", preview(node._data)),
                (node, "grad_out", format_grad(self.grad_out))]
        rows += [(parent, "gets", format_grad(grad))
                 for parent, grad in zip(node.parents, self.input_grads)]
        columns = [[node_name(n, names)] for n, _, _ in rows]
        if isinstance(node._data, np.ndarray):
            for column, (n, _, _) in zip(columns, rows):
                column.append(str(tuple(n._data.shape)))
        widths = [max(len(column[k]) for column in columns) for k in range(len(columns[0]))]
        shown = ["  ".join([f"{text:<{w}}" for text, w in zip(column, widths)])
                 for column in columns]
        # The op's name where the formula shows only its symbol (`*` for mul).
        tag = f" ({self.op})" if self.op in INFIX or self.op in PREFIX else ""
        lines = [f"step {self.index}{tag}: {self.formula}"]
        for name, (_, what, text) in zip(shown, rows):
            lines.append(f"    {name}  {what:<8}  {text}")
        return "\n".join(lines)

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
    marked = op.kind == "tensor"
    flags = op.needs_grad
    if marked:
        op.needs_grad = (True,) * len(node.parents)
    try:
        for k in range(rows):
            if isinstance(out, np.ndarray):
                cotangent: Any = np.zeros(out.shape, dtype=out.dtype)
                cotangent.flat[k] = 1.0
            else:
                cotangent = 1.0
            grads = backward_step(node, op, cotangent, False)
            if grads[i] is not None:
                jacobian[k] = np.ravel(getattr(grads[i], "_data", grads[i]))
    finally:
        if marked:
            op.needs_grad = flags
        elif marked:
            del op.needs_grad
    return jacobian


def backward_steps(
    root: Any, module: Any = None, grad: Any = None, retain_graph: bool = False
) -> Iterator[Step]:
    """Run backward from `root` one node at a time, yielding a `Step` per non-leaf node.

    Steps come in reverse topological order (the root's op first). `module` (an object with
    `named_parameters()`, such as an `nn.Module`) names its parameters by their dotted names
    (`layers.0.weight`) in each step's text, as `draw_graph(..., module=)` does. `grad` seeds
    the pass as in `.backward(grad)`; `retain_graph=True` keeps every op's saved values, so a
    Tensor graph can be stepped or backpropagated again and old steps' `local_jacobian` still
    works. Exhausting the iterator leaves the same `.grad` everywhere as `root.backward()`.

    Raises `RuntimeError` (root without grad, or non-scalar root without `grad`),
    `ShapeError` (a `grad` of the wrong shape) and `TypeError` (a `module` without
    `named_parameters`) at once, before the first step.
    """
    seed = seed_gradient(root, grad, "backward_steps")
    names = module_names(module)
    return generate_steps(iterate_backward(root, seed, retain_graph, False), names)


def generate_steps(loop: Iterator[tuple[Any, Any, tuple]],
                   names: dict[int, str] | None = None) -> Iterator[Step]:
    """Wrap each `(node, grad_out, input_grads)` the backward loop yields in a `Step`."""
    for index, (node, grad_out, input_grads) in enumerate(loop, start=1):
        yield Step(index, node, grad_out, input_grads, names)
