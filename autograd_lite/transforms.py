"""Function transforms: `grad`, `value_and_grad`, `elementwise_grad`, `jacobian`, `hessian`,
`vjp`, `jvp`.

Each takes a Python function `f` written with autograd_lite operations on its arguments.
Arguments are floats, ndarrays, or pytrees of them (nested lists, tuples and dicts, see
`pytree`), and so are the results: a float gives float derivatives, an ndarray ndarrays, a
dict of parameters a dict of gradients. `tracing.record` turns every leaf of the
differentiated arguments into an input node and runs `f` once; sweeps then run over the nodes
between the inputs and the output:

- a reverse sweep (`reverse_sweep`, one backward pass) gives one row of the Jacobian: the
  vector-Jacobian product of one cotangent;
- a forward sweep (`forward_mode.forward_sweep`) gives one column: the Jacobian-vector
  product of one tangent.

`jacobian` builds the matrix from whichever needs fewer sweeps; `hessian` differentiates the
gradient again (reverse over reverse through `create_graph`, or forward over reverse).

Transforms nest and compose as in HIPS autograd and JAX: when the output of `f` depends on a
variable of an enclosing transform (through a closure, an argument that is not
differentiated, or a differentiated argument that is that variable), the sweeps record their
own graph and the results are Tensors on it, so the outer transform differentiates through
them (`tracing`). Sweeps visit only the nodes `f` made from its inputs: they never run hooks
or change the `.grad` of tensors `f` closes over (model parameters, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import numpy as np

from .engine.backward import iterate_backward
from .engine.errors import ShapeError, real_array
from .engine.gradients import run_hooks
from .engine.node import Node
from .forward_mode import forward_sweep
from .pytree import LEAF, TreeDef, flatten_with_paths
from .tensor import Tensor, concatenate, constant, stack
from .tracing import (
    Recording,
    describe_value,
    nodes_between,
    record,
)

Argnums = int | Sequence[int]
Mode = Literal["auto", "rev", "fwd"]
MODES = ("auto", "rev", "fwd")


def check_argnums_type(who: str, argnums: Any) -> tuple[tuple[int, ...], bool]:
    """`argnums` as a tuple of ints and whether it was a single int (checked when `f` is
    transformed; the range is checked at call time, when the number of arguments is known)."""
    if isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool):
        return (int(argnums),), True
    if isinstance(argnums, (tuple, list)) and argnums and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in argnums
    ):
        return tuple(int(a) for a in argnums), False
    raise TypeError(
        f"{who}: argnums must be an int or a non-empty tuple of ints (positions of the "
        f"arguments to differentiate), got {argnums!r}"
    )


def check_scalar_output(who: str, out: Tensor, alternative: str) -> None:
    """Raise when `out` is not a single number (grad and hessian need one)."""
    if out.size != 1:
        raise ValueError(
            f"{who}: f returned a Tensor of shape {out.shape}, but {who} needs a single number. "
            f"Use {alternative} for the derivatives of every output, or reduce the output to "
            "one number (e.g. .sum() or .mean())."
        )


# ----- results -------------------------------------------------------------------------------
def as_result(value: Any, dtype: np.dtype, scalar: bool, traced: bool) -> Any:
    """A derivative as the caller gets it: a float for a number, an ndarray (a fresh copy, of
    `dtype`) for an array, a Tensor on the graph when it depends on an outer variable."""
    if traced:
        return value if isinstance(value, Tensor) else constant(np.asarray(value, dtype=dtype))
    if isinstance(value, Tensor):
        value = value._data
    array = np.array(value, dtype=dtype)
    return float(array) if scalar else array


def leaf_value(leaf: Tensor, traced: bool) -> Any:
    """One output of `f` as the caller gets it: a float for one number, else an ndarray (or
    the Tensor itself when traced)."""
    if traced:
        return leaf
    return float(leaf._data) if leaf.ndim == 0 else np.array(leaf._data)


def output_value(rec: Recording) -> Any:
    """`f(x)` as the caller gets it, in the structure `f` returned it."""
    values = [leaf_value(leaf, rec.traced) for leaf in rec.out_leaves]
    return values[0] if rec.out_def is None else rec.out_def.unflatten(values)


def zeros_like_node(node: Tensor, traced: bool) -> Any:
    """A zero derivative for an input the output does not depend on."""
    zeros = np.zeros(node.shape, dtype=node.dtype)
    return constant(zeros) if traced else zeros


def per_argument(rec: Recording, leaves: Sequence[Any]) -> list[Any]:
    """One result per input node, regrouped into one pytree per differentiated argument."""
    if rec.leaves_only:
        return list(leaves)
    trees, start = [], 0
    for treedef in rec.arg_defs:
        stop = start + treedef.num_leaves
        trees.append(treedef.unflatten(leaves[start:stop]))
        start = stop
    return trees


# ----- the sweeps ----------------------------------------------------------------------------
@contextmanager
def preserved_grads(nodes: Sequence[Any]) -> Iterator[None]:
    """Restore, on exit, the `.grad` of every node among `nodes` that keeps one.

    Sweeps visit only nodes `f` made from its inputs, but `f` may have asked one to keep its
    gradient (`retain_grad()`); a sweep must not leave it changed.
    """
    kept = [(node, node.grad) for node in nodes if node.keeps_grad]
    try:
        yield
    finally:
        for node, grad in kept:
            node.grad = grad


def reverse_sweep(
    out: Tensor, inputs: Sequence[Tensor], cotangent: Any, create_graph: bool = False,
    order: list[Node] | None = None,
) -> list[Any]:
    """One backward pass from `out` seeded with `cotangent` (out's shape): the gradient that
    reaches each of `inputs` (None where none does), i.e. `cotangent @ J` per input.

    `order` is `nodes_between(inputs, out)` (computed when not given). Gradients are read off
    the graph's edges as the engine's backward loop yields them, so the inputs need not keep
    `.grad`; a hook `f` registered on an input runs on its finished gradient. The graph is
    retained for further sweeps.
    """
    found: list[Any] = [None] * len(inputs)
    slots = {id(node): i for i, node in enumerate(inputs)}
    if create_graph and not isinstance(cotangent, Tensor):
        cotangent = constant(np.asarray(cotangent))
    root_slot = slots.get(id(out))
    if root_slot is not None:  # f returned one of its inputs
        found[root_slot] = cotangent
    if order is None:
        order = nodes_between(inputs, out)
    # recheck=False: nothing runs between two steps here (hooks still trigger the recheck).
    sweep = iterate_backward(out, cotangent, True, create_graph, recheck=False, order=order)
    node: Any
    for node, _grad_out, input_grads in sweep:
        for parent, grad in zip(node.parents, input_grads):
            if grad is None:
                continue
            slot = slots.get(id(parent))
            if slot is not None:
                found[slot] = grad if found[slot] is None else found[slot] + grad
    for i, node in enumerate(inputs):
        if node._hooks and found[i] is not None:
            found[i] = run_hooks(node, found[i])
    return found


def basis(shape: tuple[int, ...], index: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The array of `shape` that is 1 at `index` and 0 elsewhere."""
    array = np.zeros(shape, dtype=dtype)
    array[index] = 1
    return array


def jacobian_rows(out: Tensor, inputs: Sequence[Tensor], create_graph: bool,
                  order: list[Node]) -> list[Any]:
    """The Jacobian of `out` with respect to each input, one reverse sweep per output element.

    Returns one array (a Tensor with `create_graph`) of shape `out.shape + input.shape` per
    input.
    """
    if create_graph:
        rows: list[list[Any]] = [[] for _ in inputs]
        for index in np.ndindex(out.shape):
            grads = reverse_sweep(out, inputs, basis(out.shape, index, out.dtype), True, order)
            for row, grad, node in zip(rows, grads, inputs):
                row.append(zeros_like_node(node, True) if grad is None else grad)
        return [assemble(row, out.shape, node.shape, node.dtype, 0)
                for row, node in zip(rows, inputs)]
    blocks = [np.zeros(out.shape + node.shape, dtype=np.result_type(out.dtype, node.dtype))
              for node in inputs]
    for index in np.ndindex(out.shape):
        grads = reverse_sweep(out, inputs, basis(out.shape, index, out.dtype), False, order)
        for block, grad in zip(blocks, grads):
            if grad is not None:
                block[index] = grad
    return blocks


def jacobian_columns(out: Tensor, inputs: Sequence[Tensor], create_graph: bool,
                     order: list[Node]) -> list[Any]:
    """The Jacobian of `out` with respect to each input, one forward sweep per input element.

    Returns one array (a Tensor with `create_graph`) of shape `out.shape + input.shape` per
    input.
    """
    lead = (slice(None),) * out.ndim
    blocks: list[Any] = []
    for node in inputs:
        dtype = np.result_type(out.dtype, node.dtype)
        columns: list[Any] = []
        block: Any = None if create_graph else np.zeros(out.shape + node.shape, dtype=dtype)
        for index in np.ndindex(node.shape):
            seeds = {id(node): basis(node.shape, index, node.dtype)}
            tangent = forward_sweep(out, seeds, order, create_graph)
            if create_graph:
                columns.append(zeros_like_node(out, True) if tangent is None else tangent)
            elif tangent is not None:
                block[lead + index] = tangent
        blocks.append(assemble(columns, out.shape, node.shape, dtype, -1) if create_graph
                      else block)
    return blocks


def assemble(
    parts: list[Any], out_shape: tuple[int, ...], in_shape: tuple[int, ...], dtype: np.dtype,
    axis: int,
) -> Tensor:
    """Rows (axis 0) or columns (axis -1) of a Jacobian, as Tensors, joined into one Tensor of
    shape `out_shape + in_shape` (for nested transforms)."""
    if not parts:
        return constant(np.zeros(out_shape + in_shape, dtype=dtype))
    parts = [part if isinstance(part, Tensor) else constant(np.asarray(part)) for part in parts]
    return stack(parts, axis=axis).reshape(out_shape + in_shape)


def jacobian_of(
    out: Tensor, inputs: Sequence[Tensor], mode: str = "auto", create_graph: bool = False,
    order: list[Node] | None = None,
) -> list[Any]:
    """The Jacobian of a recorded `out` with respect to each input (`out.shape + in.shape`).

    `mode="rev"` builds it row by row (one reverse sweep per output element), `"fwd"` column
    by column (one forward sweep per input element); `"auto"` picks the fewer sweeps.
    `order` is `nodes_between(inputs, out)` (computed when not given).
    """
    if order is None:
        order = nodes_between(inputs, out)
    if mode == "auto":
        mode = "rev" if out.size <= sum(node.size for node in inputs) else "fwd"
    if mode == "rev":
        return jacobian_rows(out, inputs, create_graph, order)
    return jacobian_columns(out, inputs, create_graph, order)


def check_mode(who: str, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"{who}: mode must be one of {MODES}, got {mode!r}")


def split_outputs(rec: Recording, block: Any) -> list[Any]:
    """A Jacobian block of the joined output (`(n,) + in_shape`), split into one block per
    output leaf (`leaf.shape + in_shape`). A single-Tensor output gives `[block]`."""
    if rec.out_def is None:
        return [block]
    in_shape = tuple(block.shape[1:])
    parts, start = [], 0
    for leaf in rec.out_leaves:
        stop = start + leaf.size
        parts.append(block[start:stop].reshape(leaf.shape + in_shape))
        start = stop
    return parts


# ----- the transforms ------------------------------------------------------------------------
class Transformed:
    """A function made by a transform from `f`; calling it evaluates the derivative."""

    __slots__ = ("argnums", "f", "single")
    who = ""

    def __init__(self, f: Callable[..., Any], argnums: Argnums) -> None:
        if not callable(f):
            raise TypeError(f"{self.who}: expected a function, got {type(f).__name__}")
        self.f = f
        self.argnums, self.single = check_argnums_type(self.who, argnums)

    def __repr__(self) -> str:
        name = getattr(self.f, "__qualname__", repr(self.f))
        argnums = self.argnums[0] if self.single else self.argnums
        return f"<{self.who} of {name}, argnums={argnums}>"

    def pick(self, results: list[Any]) -> Any:
        """One result for an int `argnums`, a tuple of them for a tuple."""
        return results[0] if self.single else tuple(results)

    def gradients(self, rec: Recording, cotangent: Any, traced: bool) -> Any:
        """`cotangent @ J` for every differentiated argument, in the arguments' structures
        (one reverse sweep), picked by `argnums`."""
        with preserved_grads(rec.order):
            grads = reverse_sweep(rec.out, rec.inputs, cotangent, traced, rec.order)
        leaves = []
        for grad, node, scalar in zip(grads, rec.inputs, rec.scalars):
            grad = zeros_like_node(node, traced) if grad is None else grad
            leaves.append(as_result(grad, node.dtype, scalar, traced))
        return self.pick(per_argument(rec, leaves))


class Grad(Transformed):
    """`grad(f, argnums)`: x -> df/dx (see `grad`)."""

    __slots__ = ("has_aux",)
    who = "grad"
    with_value = False

    def __init__(self, f: Callable[..., Any], argnums: Argnums, has_aux: bool = False) -> None:
        super().__init__(f, argnums)
        self.has_aux = bool(has_aux)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rec = record(self.who, self.f, args, kwargs, self.argnums, self.has_aux)
        out = rec.out
        check_scalar_output(self.who, out, "jacobian(f)")
        derivative = self.gradients(rec, np.ones(out.shape, dtype=out.dtype), rec.traced)
        if self.with_value:
            value = out if rec.traced else float(out._data.reshape(()))
            return ((value, rec.aux) if self.has_aux else value), derivative
        return (derivative, rec.aux) if self.has_aux else derivative


class ValueAndGrad(Grad):
    """`value_and_grad(f, argnums)`: x -> (f(x), df/dx) (see `value_and_grad`)."""

    __slots__ = ()
    who = "value_and_grad"
    with_value = True


def grad(f: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False) -> Grad:
    """The gradient of a scalar function: `grad(f)(x)` is df/dx, in the shape of x.

    `argnums` (an int or a tuple of ints) picks the arguments to differentiate; a tuple gives a
    tuple of gradients. A float argument gives a float, an ndarray an ndarray of its shape and
    dtype, a pytree (nested lists, tuples and dicts of them, such as `{"W": W, "b": b}`) the
    same structure with each leaf's gradient. An argument `f` does not depend on gets zeros.
    Other arguments (and keyword arguments) are passed through unchanged.
    `has_aux=True`: `f` returns `(output, extra)` and `grad(f)(x)` returns `(df/dx, extra)`.

    Raises `ValueError` when `f`'s output is not a single number (use `jacobian`) or `argnums`
    is out of range, `TypeError` when an argument is not a float, a float array or a pytree of
    them, or `f` returns something other than an autograd_lite Tensor (or loses the graph on
    the way: `float(x.sum())`).
    """
    return Grad(f, argnums, has_aux)


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0,
                   has_aux: bool = False) -> ValueAndGrad:
    """Like `grad`, but the function returns `(f(x), df/dx)` from one forward and one backward
    pass (with `has_aux=True`: `((f(x), extra), df/dx)`)."""
    return ValueAndGrad(f, argnums, has_aux)


class ElementwiseGrad(Transformed):
    """`elementwise_grad(f, argnums)`: x -> the gradient of sum(f(x)) (see `elementwise_grad`)."""

    __slots__ = ()
    who = "elementwise_grad"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rec = record(self.who, self.f, args, kwargs, self.argnums, tree_output=True)
        out = rec.out
        return self.gradients(rec, np.ones(out.shape, dtype=out.dtype), rec.traced)


def elementwise_grad(f: Callable[..., Any], argnums: Argnums = 0) -> ElementwiseGrad:
    """The gradient of `sum(f(x))`, in the shape of x (HIPS autograd's name), from one backward
    pass seeded with ones.

    For a function that works element by element (`x.sin()`, `x ** 2 * 3`), entry i is the
    derivative of output i by its own input x_i, so `elementwise_grad(f)(xs)` evaluates f' at
    every point of `xs` at once, which is what a plot of a derivative needs. For other
    functions it is `ones @ J`, the column sums of the Jacobian. `f` may return any shape
    (or a pytree of outputs, all summed).
    """
    return ElementwiseGrad(f, argnums)


class Jacobian(Transformed):
    """`jacobian(f, argnums, mode)`: x -> the Jacobian of f at x (see `jacobian`)."""

    __slots__ = ("mode",)
    who = "jacobian"

    def __init__(self, f: Callable[..., Any], argnums: Argnums, mode: str) -> None:
        super().__init__(f, argnums)
        check_mode(self.who, mode)
        self.mode = mode

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rec = record(self.who, self.f, args, kwargs, self.argnums, tree_output=True)
        with preserved_grads(rec.order):
            blocks = jacobian_of(rec.out, rec.inputs, self.mode, rec.traced, rec.order)
        # per_output[k][i]: output leaf k by input leaf i.
        per_output: list[list[Any]] = [[] for _ in rec.out_leaves]
        for block, node, scalar in zip(blocks, rec.inputs, rec.scalars):
            for k, (part, leaf) in enumerate(zip(split_outputs(rec, block), rec.out_leaves)):
                dtype = np.result_type(leaf.dtype, node.dtype)
                per_output[k].append(as_result(part, dtype, scalar and leaf.ndim == 0,
                                               rec.traced))
        results = [self.pick(per_argument(rec, row)) for row in per_output]
        return results[0] if rec.out_def is None else rec.out_def.unflatten(results)


def jacobian(f: Callable[..., Any], argnums: Argnums = 0, mode: Mode = "auto") -> Jacobian:
    """The Jacobian matrix: `jacobian(f)(x)` has shape `f(x).shape + x.shape`, entry
    `[i, j]` = d f_i / d x_j (rows are outputs, columns are inputs).

    `mode="rev"` builds it row by row, one backward pass (vector-Jacobian product) per output
    element; `mode="fwd"` column by column, one forward-mode pass (Jacobian-vector product)
    per input element; `"auto"` (the default) picks reverse when the output has no more
    elements than the inputs together, else forward. A tuple `argnums` gives a tuple of
    Jacobians; a float argument with a 0-d output gives a float.

    Pytrees, as in JAX: the result has the structure of `f`'s output, and each of its leaves
    the structure of the argument (a tuple of them for a tuple `argnums`), holding the block
    `out_leaf.shape + in_leaf.shape`. So `jacobian(f)({"W": W, "b": b})` for an `f` returning
    one Tensor `y` is `{"W": dy/dW, "b": dy/db}`.
    """
    return Jacobian(f, argnums, mode)


class Hessian(Transformed):
    """`hessian(f, argnums, mode)`: x -> the matrix of second derivatives (see `hessian`)."""

    __slots__ = ("mode",)
    who = "hessian"

    def __init__(self, f: Callable[..., Any], argnums: Argnums, mode: str) -> None:
        super().__init__(f, argnums)
        check_mode(self.who, mode)
        # The gradient has as many elements as the inputs, so both ways take one sweep per
        # input element; a forward sweep is the cheaper of the two (measured about 2x).
        self.mode = "fwd" if mode == "auto" else mode

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rec = record(self.who, self.f, args, kwargs, self.argnums)
        out = rec.out
        check_scalar_output(self.who, out, "jacobian(jacobian(f)) or a sum of the outputs")
        inputs = rec.inputs
        entries = []
        with preserved_grads(rec.order):
            # The gradient, recorded as a graph (create_graph), is differentiated again.
            grads = reverse_sweep(out, inputs, np.ones(out.shape, dtype=out.dtype), True,
                                  rec.order)
            for grad, node, scalar_i in zip(grads, inputs, rec.scalars):
                if grad is None:
                    grad = zeros_like_node(node, True)
                blocks = jacobian_of(grad, inputs, self.mode, rec.traced)
                row = []
                for block, other, scalar_j in zip(blocks, inputs, rec.scalars):
                    dtype = np.result_type(node.dtype, other.dtype)
                    row.append(as_result(block, dtype, scalar_i and scalar_j, rec.traced))
                entries.append(self.pick(per_argument(rec, row)))
        return self.pick(per_argument(rec, entries))


def hessian(f: Callable[..., Any], argnums: Argnums = 0, mode: Mode = "auto") -> Hessian:
    """The matrix of second derivatives of a scalar function: shape `x.shape + x.shape`,
    entry `[i, j]` = d^2 f / dx_i dx_j, exact and symmetric for smooth `f`.

    The gradient is recorded as a graph (`create_graph`) and differentiated again: column by
    column with forward sweeps (`mode="fwd"`, forward over reverse; what `"auto"` picks) or
    row by row with reverse sweeps (`mode="rev"`, reverse over reverse). A tuple `argnums`
    gives the blocks as a tuple of tuples, `H[i][j]` of shape `x_i.shape + x_j.shape`; a
    pytree argument gives its structure nested in itself (`H["W"]["b"]` has shape
    `W.shape + b.shape`), as `jacobian(jacobian(f))` would. Raises `ValueError` when `f`'s
    output is not a single number.
    """
    return Hessian(f, argnums, mode)


def structure_error(who: str, what: str, given: TreeDef, expected: TreeDef) -> ValueError:
    """The error for a cotangent or tangent whose pytree structure is not the expected one."""
    return ValueError(
        f"{who}: {what} has the structure {given.describe()} but must have "
        f"{expected.describe()}, the structure of the value it goes with; give it that "
        "structure (same containers, same keys, one array per leaf)"
    )


def seed_leaves(who: str, what: str, value: Any, treedef: TreeDef, nodes: Sequence[Tensor],
                partner: str, fix: str) -> tuple[list[Any], bool]:
    """The leaves of a cotangent or tangent (`what`), checked against the structure and the
    shapes of `nodes` (the leaves of `partner`), as arrays of their dtypes, or Tensors that
    require grad (when nested in a transform). Returns the leaves and whether any was such a
    Tensor."""
    pairs, given = flatten_with_paths(value)
    if given != treedef and not (treedef.is_leaf and isinstance(value, (list, tuple))):
        raise structure_error(who, what, given, treedef)
    if treedef.is_leaf:
        pairs = [("", value)]  # one array, perhaps given as a nested list
    leaves, traced = [], False
    for (path, leaf), node in zip(pairs, nodes):
        if isinstance(leaf, Tensor) and leaf.requires_grad:
            traced = True
        else:
            if isinstance(leaf, Tensor):
                leaf = leaf._data
            if leaf is None or isinstance(leaf, str):
                raise TypeError(f"{who}: {what}{path} is {describe_value(leaf)}; pass an array "
                                f"of the shape of {partner}{path}")
            leaf = real_array(leaf, node.dtype, f"{who}: {what}{path}")
        if tuple(leaf.shape) != node.shape:
            raise ShapeError(
                f"{who}: {what}{path} has shape {tuple(leaf.shape)} but {partner}{path} has shape "
                f"{node.shape}; {fix}"
            )
        leaves.append(leaf)
    return leaves, traced


def join_leaves(leaves: Sequence[Any], traced: bool) -> Any:
    """Leaves joined into one flat vector (a Tensor when some leaf is one)."""
    if traced:
        parts = [leaf if isinstance(leaf, Tensor) else constant(leaf) for leaf in leaves]
        return concatenate([part.reshape(-1) for part in parts])
    return np.concatenate([np.ravel(leaf) for leaf in leaves]) if leaves else np.zeros(0)


class VJP:
    """`vjp_fn` of `vjp(f, *primals)`: `vjp_fn(cotangent)` -> `cotangent @ J` per primal.

    It keeps the recorded graph, so it can be called again with other cotangents.
    """

    __slots__ = ("rec",)

    def __init__(self, rec: Recording) -> None:
        self.rec = rec

    def __call__(self, cotangent: Any) -> tuple[Any, ...]:
        rec = self.rec
        out = rec.out
        out_def = rec.out_def or LEAF
        leaves, traced = seed_leaves("vjp", "the cotangent", cotangent, out_def,
                                     rec.out_leaves, "f's output",
                                     "pass one of the output's shape")
        cotangent = leaves[0] if rec.out_def is None else join_leaves(leaves, traced)
        traced = traced or rec.traced
        with preserved_grads(rec.order):
            grads = reverse_sweep(out, rec.inputs, cotangent, traced, rec.order)
        results = []
        for grad, node, scalar in zip(grads, rec.inputs, rec.scalars):
            grad = zeros_like_node(node, traced) if grad is None else grad
            results.append(as_result(grad, node.dtype, scalar, traced))
        return tuple(per_argument(rec, results))

    def __repr__(self) -> str:
        return f"<vjp_fn: cotangent of shape {self.rec.out.shape} -> {len(self.rec.arg_defs)} " \
               "gradient(s)>"


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, VJP]:
    """Reverse mode at a point: returns `(f(*primals), vjp_fn)`.

    `vjp_fn(cotangent)`, with `cotangent` of the output's shape (of its structure, for a
    pytree output), returns a tuple with one gradient per primal, in the primal's structure:
    `cotangent @ J` (the vector-Jacobian product), computed by one backward pass. Every
    primal is differentiated.
    """
    rec = record("vjp", f, primals, {}, tuple(range(len(primals))), tree_output=True)
    return output_value(rec), VJP(rec)


def jvp(f: Callable[..., Any], primals: Any, tangents: Any) -> tuple[Any, Any]:
    """Forward mode at a point: returns `(f(*primals), J @ tangents)`.

    `primals` and `tangents` are tuples (or lists) of the same length, each tangent of its
    primal's shape (of its structure, for a pytree primal); a single float or ndarray may be
    given for one primal. The directional derivative is pushed through the graph once, one
    `jvp` rule per op: it costs about one forward pass, not a Jacobian. The tangent out has
    the structure of `f`'s output.
    """
    primals = tuple(primals) if isinstance(primals, (tuple, list)) else (primals,)
    tangents = tuple(tangents) if isinstance(tangents, (tuple, list)) else (tangents,)
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: got {len(primals)} primal(s) but {len(tangents)} tangent(s); give one tangent "
            "per primal"
        )
    rec = record("jvp", f, primals, {}, tuple(range(len(primals))), tree_output=True)
    seeds = {}
    traced = rec.traced
    start = 0
    for position, (treedef, tangent) in enumerate(zip(rec.arg_defs, tangents)):
        nodes = rec.inputs[start:start + treedef.num_leaves]
        start += treedef.num_leaves
        leaves, is_traced = seed_leaves("jvp", f"tangent {position}", tangent, treedef, nodes,
                                        f"primal {position}",
                                        "each tangent must have its primal's shape")
        traced = traced or is_traced
        for node, leaf in zip(nodes, leaves):
            seeds[id(node)] = leaf
    with preserved_grads(rec.order):
        tangent_out = forward_sweep(rec.out, seeds, rec.order, traced)
    if tangent_out is None:
        tangent_out = zeros_like_node(rec.out, traced)
    parts = split_outputs(rec, tangent_out)
    results = [as_result(part, leaf.dtype, leaf.ndim == 0, traced)
               for part, leaf in zip(parts, rec.out_leaves)]
    out_tangent = results[0] if rec.out_def is None else rec.out_def.unflatten(results)
    return output_value(rec), out_tangent
