"""The explorer's record of one backward pass: every step of `backward_steps`, and a numeric
check of the leaves' gradients.

`record_trace(root)` runs `backward_steps(root, retain_graph=True)` to its end (the one
backward loop of the engine; nothing here computes a gradient any other way) and keeps, per
step, the upstream gradient, the gradient sent to each input, the local Jacobians of small
steps, where broadcasting was undone and how each input's gradient adds up (`+=`). Every
node's `.grad` is put back as it was before, and `retain_graph=True` keeps the values the ops
saved, so `root.backward()` can follow as if nothing had happened.

`check_leaves` compares each leaf's gradient with central differences of the root, computed by
running the recorded ops' own `forward` again on perturbed copies of the leaf (in float64, a
bounded number of entries and op calls).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..debug.steps import backward_steps
from ..engine.node import Node
from ..text import format_number
from .graph import ancestors, parents_first

#: A node box lists the values of an array up to this size, else its range.
SHOWN_IN_BOX = 4
#: A local Jacobian is written out when it has at most this many entries.
JACOBIAN_SHOWN = 144
#: Central differences: at most this many entries per leaf (those with the largest gradient)
#: and this many op evaluations in all.
CHECK_ENTRIES = 6
CHECK_BUDGET = 50_000
#: Tolerances of the numeric check (as `gradcheck`'s defaults).
CHECK_ATOL = 1e-5
CHECK_RTOL = 1e-3

#: Ops whose output entry k depends only on input entry k when the shapes match, so their
#: local Jacobian is diagonal.
ELEMENTWISE = frozenset({
    "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh",
    "sigmoid", "relu", "maximum", "minimum", "clip", "where",
})


@dataclass
class NodeRecord:
    """What the page shows of one Value or Tensor (see `describe_node`)."""

    id: int
    name: str
    title: str
    op: str  # the op's name, "" for a leaf
    op_text: str  # with its extra arguments (`sum axis=0`)
    role: str  # "leaf" (needs a gradient), "const", or "op" (made by an op)
    kind: str  # "value" or "tensor"
    shape: tuple[int, ...]
    dtype: str
    data: str
    parents: list[int]
    nonfinite: bool


@dataclass
class InputRecord:
    """One input of a step: what it receives and how its gradient adds up.

    `grad`: what the step sends (None when nothing is sent). `jacobian`: the local Jacobian
    (out.size, in.size) when small, else None with `jacobian_note` saying why.
    `broadcast`: `(shape the op's rule returned, axes summed)` when the engine summed the
    gradient back to the input's shape. `nth` / `of`: this is contribution `nth` of the `of`
    the input receives in the whole pass; `before` / `after`: the input's gradient so far,
    before and after this one is added (`after` is `grad` itself for a first contribution).
    `accumulates`: False for a constant, whose gradient is never kept.
    """

    node: int
    grad: Any
    jacobian: np.ndarray | None = None
    jacobian_note: str = ""
    broadcast: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    nth: int = 0
    of: int = 0
    before: Any = None
    after: Any = None
    accumulates: bool = True


@dataclass
class StepRecord:
    """One step of `backward_steps`: `index` (1 first), the node's id, the op's name and rule,
    `grad_out`, one `InputRecord` per parent, and the rule written with this step's shapes."""

    index: int
    node: int
    op: str
    rule: str
    grad_out: Any
    inputs: list[InputRecord]
    shapes: list[str]
    detailed: bool


@dataclass
class CheckRow:
    """One checked entry of a leaf: its index, the gradient backward gave and the central
    difference of the root."""

    index: tuple[int, ...]
    analytic: float
    numeric: float

    @property
    def ok(self) -> bool:
        if not (math.isfinite(self.analytic) and math.isfinite(self.numeric)):
            return self.analytic == self.numeric or (math.isnan(self.analytic)
                                                      and math.isnan(self.numeric))
        return abs(self.analytic - self.numeric) <= CHECK_ATOL + CHECK_RTOL * abs(self.numeric)


@dataclass
class LeafCheck:
    """The numeric check of one leaf: the entries checked, of `size`, or why none were."""

    node: int
    size: int
    rows: list[CheckRow] = field(default_factory=list)
    skipped: str = ""


@dataclass
class Trace:
    """The whole record: nodes (root first, breadth first), steps in order, each node's
    gradient after the last step (None for constants and nodes backward never reached)."""

    root: int
    kind: str
    nodes: dict[int, NodeRecord]
    steps: list[StepRecord]
    final_grads: dict[int, Any]
    checks: list[LeafCheck]
    check_note: str


def explore_error(message: str) -> str:
    return f"explore: {message}"


def check_root(root: Any) -> None:
    """Refuse what `explore` cannot step through, with a message that says what to pass."""
    if not isinstance(root, Node):
        raise TypeError(explore_error(
            f"expected a Value or a Tensor with one element (such as a loss), got "
            f"{type(root).__name__}"))
    data = root._data
    if isinstance(data, np.ndarray) and data.size != 1:
        raise ValueError(explore_error(
            f"the root has shape {data.shape}, not a single number; explore a scalar such as "
            "a loss (reduce the output first, e.g. out.sum() or out.mean())"))
    if not root.requires_grad:
        raise RuntimeError(explore_error(
            "the root does not require grad, so backward has no steps; build it from an "
            "input or parameter with requires_grad=True (outside no_grad())"))


def node_names(module: Any) -> dict[int, str]:
    """Node identity -> dotted parameter name from `module.named_parameters()`."""
    if module is None:
        return {}
    if not hasattr(module, "named_parameters"):
        raise TypeError(explore_error(
            f"module= needs an object with named_parameters() (an nn.Module), got "
            f"{type(module).__name__}"))
    names: dict[int, str] = {}
    for name, node in module.named_parameters():
        names.setdefault(id(node), str(name))
    return names


def as_array(x: Any) -> Any:
    """A gradient or data as a float or an ndarray (a Tensor gradient unwrapped)."""
    return getattr(x, "_data", x)


def shape_of(x: Any) -> tuple[int, ...]:
    return tuple(np.shape(as_array(x)))


def is_finite(x: Any) -> bool:
    if x is None:
        return True
    x = as_array(x)
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.isfinite(x).all()) if np.issubdtype(np.asarray(x).dtype, np.inexact) else True


def short_text(value: Any) -> str:
    """A value as a node box writes it: a number, the values of an array of at most
    `SHOWN_IN_BOX` elements (`[1, 2.5]`), else its range (`in [-1.579, 2.407]`). The page's
    script writes the gradients of each step the same way."""
    if isinstance(value, (float, int)):
        return format_number(float(value))
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return format_number(float(array))
    if array.size == 0:
        return "empty"
    if array.size <= SHOWN_IN_BOX:
        return nested_text(array.tolist())
    if np.isnan(array).any():
        return "in [nan, nan]"
    return f"in [{format_number(float(array.min()))}, {format_number(float(array.max()))}]"


def nested_text(value: Any) -> str:
    """`[[1, 2], [3, 4]]` from nested lists of floats."""
    if isinstance(value, list):
        return "[" + ", ".join(nested_text(v) for v in value) + "]"
    return format_number(value)


def describe_data(node: Node) -> str:
    """A node's data as its box writes it (see `short_text`)."""
    return short_text(node._data)


def describe_node(node: Node, names: dict[int, str]) -> NodeRecord:
    """The `NodeRecord` of `node`; `names` from `node_names` (a parameter name wins over the
    node's label)."""
    name = names.get(id(node), node.label)
    op = node._op
    op_text = ""
    if op is not None:
        extra = op.describe() if hasattr(op, "describe") else ""
        op_text = f"{op.name} {extra}" if extra else op.name
        role = "op"
        title = f"{name} = {op_text}" if name else op_text
    elif node.requires_grad:
        role = "leaf"
        title = name or "leaf"
    else:
        role = "const"
        title = name or "const"
    data = node._data
    tensor = isinstance(data, np.ndarray)
    return NodeRecord(
        id=node.id, name=name, title=title, op=op.name if op is not None else "",
        op_text=op_text, role=role,
        kind="tensor" if tensor else "value", shape=tuple(data.shape) if tensor else (),
        dtype=str(data.dtype) if tensor else "float", data=describe_data(node),
        parents=[p.id for p in node.parents], nonfinite=not is_finite(data),
    )


def record_trace(root: Node, module: Any = None,
                 detail: Callable[[Node], bool] | None = None) -> Trace:
    """Run the backward pass of `root` step by step and record it (see the module docstring).

    `detail(node)` says whether to keep a step's Jacobians and shape rules (all by default).
    Raises as `check_root`, and `RuntimeError` when the graph cannot be stepped (its saved
    values were freed by an earlier backward, or changed in place).
    """
    check_root(root)
    names = node_names(module)
    nodes = ancestors(root)
    records = {node.id: describe_node(node, names) for node in nodes}
    saved_grads = [(node, node.grad) for node in nodes]
    raw: list[tuple[int, Node, Any, tuple, list[InputRecord], list[str], bool]] = []
    try:
        for step in backward_steps(root, retain_graph=True):
            node = step.node
            keep = detail is None or detail(node)
            inputs = [InputRecord(node=p.id, grad=g, accumulates=p.requires_grad)
                      for p, g in zip(node.parents, step.input_grads)]
            shapes: list[str] = []
            if keep:
                describe_inputs(step, inputs)
                shapes = shape_rules(step, inputs)
            raw.append((step.index, node, step.grad_out, step.input_grads, inputs, shapes, keep))
    except RuntimeError as error:
        if "freed" in str(error) or "in place" in str(error):
            raise RuntimeError(explore_error(
                f"{error}\nexplore() steps through backward itself: call it before "
                "loss.backward(), or run that backward with retain_graph=True.")) from error
        raise
    finally:
        for node, grad in saved_grads:
            node.grad = grad

    steps, final = add_up(root, raw)
    return Trace(root=root.id, kind="tensor" if isinstance(root._data, np.ndarray) else "value",
                 nodes=records, steps=steps, final_grads=final, checks=[], check_note="")


def add_up(root: Node, raw: list) -> tuple[list[StepRecord], dict[int, Any]]:
    """Number each input's contributions and write down its gradient before and after each,
    adding in the order backward adds them (so the sums are the engine's to the last bit)."""
    total: dict[int, int] = {}
    for *_, inputs, _, _ in raw:
        for item in inputs:
            if item.grad is not None and item.accumulates:
                total[item.node] = total.get(item.node, 0) + 1
    running: dict[int, Any] = {}
    seen: dict[int, int] = {}
    steps = []
    for index, node, grad_out, _, inputs, shapes, keep in raw:
        for item in inputs:
            item.grad = as_array(item.grad)
            if item.grad is None or not item.accumulates:
                continue
            seen[item.node] = seen.get(item.node, 0) + 1
            item.nth, item.of = seen[item.node], total[item.node]
            before = running.get(item.node)
            after = item.grad if before is None else before + item.grad
            running[item.node] = after
            if item.of > 1:
                item.before, item.after = before, after
        op = node._op
        steps.append(StepRecord(index=index, node=node.id, op=op.name,
                                rule=getattr(op, "rule", "") or "", grad_out=as_array(grad_out),
                                inputs=inputs, shapes=shapes, detailed=keep))
    final = dict(running)
    for step in steps:  # a node's own upstream gradient (after any hook) is its gradient
        final[step.node] = step.grad_out
    if steps:
        final[root.id] = steps[0].grad_out
    return steps, final


def describe_inputs(step: Any, inputs: list[InputRecord]) -> None:
    """Fill in the local Jacobians and the broadcasting of one step's inputs."""
    node = step.node
    out_shape = shape_of(node._data)
    rows = math.prod(out_shape)
    op = node._op
    raw_grads: tuple | None = None
    for i, (parent, item) in enumerate(zip(node.parents, inputs)):
        if item.grad is None:
            continue
        in_shape = shape_of(parent._data)
        cols = math.prod(in_shape)
        if rows * cols <= JACOBIAN_SHOWN:
            # local_jacobian asks the rule for every input's gradient, also one a constant
            # input never gets (log of a negative base for pow's exponent): no warnings.
            with np.errstate(all="ignore"):
                item.jacobian = step.local_jacobian(i)
        else:
            item.jacobian_note = jacobian_summary(op.name, out_shape, in_shape)
        if op.broadcasts and in_shape != out_shape and cols < rows:
            if raw_grads is None:
                # The rule's own answer before the engine summed it back: asked again (the op
                # still holds its saved values), only for steps where shapes differ.
                raw_grads = op.vjp(step.grad_out)
                if type(raw_grads) is not tuple:
                    raw_grads = (raw_grads,)
            raw_shape = shape_of(raw_grads[i]) if raw_grads[i] is not None else in_shape
            if raw_shape != in_shape:
                item.broadcast = (raw_shape, summed_axes(raw_shape, in_shape))


def jacobian_summary(op: str, out_shape: tuple[int, ...], in_shape: tuple[int, ...]) -> str:
    """What the page says instead of writing out a large Jacobian."""
    rows, cols = math.prod(out_shape), math.prod(in_shape)
    text = f"{rows} x {cols}: too large to write out"
    if op in ELEMENTWISE and out_shape == in_shape:
        text += "; diagonal (output entry k depends on input entry k only)"
    return text


def summed_axes(big: tuple[int, ...], small: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of `big` that summing back to `small` removes or shrinks to 1 (as
    `engine.backward.sum_to_shape` sums them)."""
    lead = len(big) - len(small)
    return tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(small) if s == 1 and big[lead + i] != 1)


def fmt_shape(shape: tuple[int, ...]) -> str:
    """`(16,2)`: a shape written tightly, as in the rules."""
    return "(" + ",".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def shape_rules(step: Any, inputs: list[InputRecord]) -> list[str]:
    """The op's rule written with this step's shapes, one line per input that receives a
    gradient (`grad_W = G^T x : (16,2) = (16,100)(100,2)`); `G` is `grad_out`."""
    node = step.node
    if not isinstance(node._data, np.ndarray):
        return []
    out_shape = shape_of(node._data)
    out = fmt_shape(out_shape)
    in_shapes = [shape_of(p._data) for p in node.parents]
    shapes = [fmt_shape(s) for s in in_shapes]
    sends = [item.grad is not None for item in inputs]
    op = step.op
    lines: list[str] = []
    if op == "linear":
        batch = math.prod(out_shape[:-1])
        if sends[0]:
            lines.append(f"grad_x = G W : {shapes[0]} = {out}{shapes[1]}")
        if sends[1]:
            lines.append(f"grad_W = G^T x : {shapes[1]} = {fmt_shape((out_shape[-1], batch))}"
                         f"{fmt_shape((batch, in_shapes[0][-1]))}")
        if len(sends) > 2 and sends[2]:
            lines.append(f"grad_b = G summed over the batch axes : {shapes[2]} <- {out}")
        return lines
    if op == "matmul" and [len(s) for s in in_shapes] in ([2, 2], [2, 1], [1, 2], [1, 1]):
        return matmul_shape_rules(in_shapes, out, sends)
    letters = "x" if len(node.parents) == 1 else "xyzuvw"
    for i, item in enumerate(inputs):
        if not sends[i]:
            continue
        letter = letters[i] if i < len(letters) else f"x{i}"
        if item.broadcast is not None:
            big, axes = item.broadcast
            lines.append(f"grad_{letter} : {shapes[i]} = rule's {fmt_shape(big)} summed over "
                         f"axes {fmt_shape(axes)}")
        elif op in ELEMENTWISE and in_shapes[i] == out_shape:
            lines.append(f"grad_{letter} : {shapes[i]} = G {out} times the local derivative, "
                         "entry by entry")
        elif op in ("sum", "mean", "max", "min", "logsumexp"):
            lines.append(f"grad_{letter} : {shapes[i]} <- G {out} spread over the reduced axes")
        else:
            lines.append(f"grad_{letter} : {shapes[i]} <- G {out}")
    return lines


def matmul_shape_rules(in_shapes: list[tuple[int, ...]], out: str, sends: list[bool]
                       ) -> list[str]:
    """`x @ y` for matrices and vectors: each gradient as a product, with shapes."""
    x, y = in_shapes
    fx, fy = fmt_shape(x), fmt_shape(y)
    lines = []
    if len(x) == 2 and len(y) == 2:
        if sends[0]:
            lines.append(f"grad_x = G y^T : {fx} = {out}{fmt_shape((y[1], y[0]))}")
        if sends[1]:
            lines.append(f"grad_y = x^T G : {fy} = {fmt_shape((x[1], x[0]))}{out}")
    elif len(x) == 2:  # matrix @ vector
        if sends[0]:
            lines.append(f"grad_x = outer(G, y) : {fx} = {out}{fy}^T")
        if sends[1]:
            lines.append(f"grad_y = x^T G : {fy} = {fmt_shape((x[1], x[0]))}{out}")
    elif len(y) == 2:  # vector @ matrix
        if sends[0]:
            lines.append(f"grad_x = y G : {fx} = {fy}{out}")
        if sends[1]:
            lines.append(f"grad_y = outer(x, G) : {fy} = {fx}{out}^T")
    else:  # a dot product: G is a number
        if sends[0]:
            lines.append(f"grad_x = G y : {fx} = (){fy}")
        if sends[1]:
            lines.append(f"grad_y = G x : {fy} = (){fx}")
    return lines


# ---- the numeric check of the leaves -------------------------------------------------------


def run_op(op: Any, inputs: list[Any]) -> Any:
    """The op's `forward` on `inputs`, on a copy of the op (the recorded one keeps its saved
    values). A scalar `linear` takes its weights and inputs as two tuples."""
    fresh = copy.copy(op)
    if op.kind == "scalar" and op.name == "linear" and hasattr(op, "has_bias"):
        n = (len(inputs) - (1 if op.has_bias else 0)) // 2
        args: list[Any] = [tuple(inputs[:n]), tuple(inputs[n:2 * n])]
        if op.has_bias:
            args.append(inputs[-1])
        return fresh.forward(*args)
    return fresh.forward(*inputs)


def float64(data: Any) -> Any:
    """Data for re-evaluation: float arrays in float64 (other dtypes, such as labels, kept)."""
    if isinstance(data, np.ndarray) and np.issubdtype(data.dtype, np.floating):
        return data.astype(np.float64)
    return data


def check_leaves(root: Node, trace: Trace, leaves: Iterable[Node],
                 budget: int = CHECK_BUDGET) -> None:
    """Fill in `trace.checks`: for each leaf (in the order given), up to `CHECK_ENTRIES`
    entries (largest gradient first) checked by central differences of the root, re-running
    only the ops downstream of the leaf. Stops when `budget` op evaluations are spent."""
    order = parents_first(ancestors(root))
    children: dict[int, list[Node]] = {}
    for node in order:
        for parent in node.parents:
            children.setdefault(id(parent), []).append(node)
    base = {id(node): float64(node._data) for node in order}
    position = {id(node): i for i, node in enumerate(order)}
    spent = 0
    skipped = 0
    exhausted = False
    for leaf in leaves:
        grad = trace.final_grads.get(leaf.id)
        data = base[id(leaf)]
        size = int(np.size(data))
        check = LeafCheck(node=leaf.id, size=size)
        trace.checks.append(check)
        if grad is None:
            check.skipped = "backward sends it no gradient"
            continue
        if exhausted:
            check.skipped = "not checked: over the budget of op evaluations"
            skipped += 1
            continue
        cone = downstream(leaf, children, position)
        entries = chosen_entries(np.asarray(grad, dtype=np.float64))
        cost = 2 * len(cone) * len(entries)
        if spent + cost > budget:
            check.skipped = "not checked: over the budget of op evaluations"
            skipped += 1
            exhausted = True  # the rest is not even measured: that costs a walk per leaf
            continue
        spent += cost
        for index in entries:
            try:
                numeric = central_difference(root, leaf, index, cone, base)
            except Exception as error:  # any failure of a user's forward
                check.skipped = f"could not re-run the forward pass: {error}"
                break
            analytic = float(np.asarray(grad, dtype=np.float64)[index]) if index else float(
                np.asarray(grad, dtype=np.float64).reshape(()))
            check.rows.append(CheckRow(index=index, analytic=analytic, numeric=numeric))
    trace.check_note = (
        f"central differences (f(x+h) - f(x-h)) / 2h, h = 1e-6 max(1, |x|), in float64; at "
        f"most {CHECK_ENTRIES} entries per leaf (largest gradient first); {spent} op "
        f"evaluations" + (f"; {skipped} leaves not checked (budget {budget})" if skipped else "")
    )


def downstream(leaf: Node, children: dict[int, list[Node]],
               position: dict[int, int]) -> list[Node]:
    """The nodes that depend on `leaf`, parents first (`position`: a parents-first order)."""
    found = {id(leaf): leaf}
    stack = [leaf]
    while stack:
        for child in children.get(id(stack.pop()), ()):
            if id(child) not in found:
                found[id(child)] = child
                stack.append(child)
    del found[id(leaf)]
    return sorted(found.values(), key=lambda n: position[id(n)])


def chosen_entries(grad: np.ndarray) -> list[tuple[int, ...]]:
    """Which entries to check: all of a small leaf, else those with the largest |gradient|
    (ties by position)."""
    if grad.ndim == 0:
        return [()]
    flat = np.abs(np.nan_to_num(grad.ravel(), nan=np.inf))
    picked = np.argsort(-flat, kind="stable")[:CHECK_ENTRIES]
    return [tuple(int(i) for i in np.unravel_index(k, grad.shape)) for k in sorted(picked)]


def central_difference(root: Node, leaf: Node, index: tuple[int, ...], cone: list[Node],
                       base: dict[int, Any]) -> float:
    """(f(x + h) - f(x - h)) / 2h for entry `index` of `leaf`, f the root's value."""
    data = base[id(leaf)]
    x = float(data[index]) if isinstance(data, np.ndarray) else float(data)
    h = 1e-6 * max(1.0, abs(x))
    plan = [(id(node), node._op, [id(p) for p in node.parents]) for node in cone]
    results = []
    for sign in (1.0, -1.0):
        if isinstance(data, np.ndarray):
            moved: Any = data.copy()
            moved[index] = x + sign * h
        else:
            moved = x + sign * h
        values = dict(base)
        values[id(leaf)] = moved
        for key, op, parents in plan:
            values[key] = run_op(op, [values[p] for p in parents])
        results.append(float(np.asarray(values[id(root)], dtype=np.float64).reshape(())))
    return (results[0] - results[1]) / (2 * h)
