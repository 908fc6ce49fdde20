"""Function transforms: `grad`, `value_and_grad`, `jacobian`, `hessian`, `vjp`, `jvp`.

Each takes a Python function `f` written with autograd_lite operations on its arguments.
Arguments are floats or ndarrays, and so are the results: a float argument gives float
derivatives, an ndarray argument gives ndarrays. Internally every differentiated argument
becomes a leaf Tensor, `f` runs once and records a graph, and sweeps run over that graph:

- a reverse sweep (`reverse_sweep`, one backward pass) gives one row of the Jacobian: the
  vector-Jacobian product of one cotangent;
- a forward sweep (`forward_mode.forward_sweep`) gives one column: the Jacobian-vector
  product of one tangent.

`jacobian` builds the matrix from whichever needs fewer sweeps; `hessian` differentiates the
gradient again (reverse over reverse through `create_graph`, or forward over reverse).

Transforms compose: given a Tensor that requires grad (as an outer transform passes it), a
transform returns Tensors on the graph instead of arrays, so `jacobian(grad(f))(x)` works.
Sweeps never change the `.grad` of tensors `f` closes over (model parameters, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import numpy as np

from .engine.backward import iterate_backward, topological_order
from .engine.errors import ShapeError, real_array
from .engine.grad_mode import enable_grad
from .engine.node import Node
from .forward_mode import forward_sweep
from .ops.shape import Reshape
from .tensor import Tensor, apply_unary, constant, stack

Argnums = int | Sequence[int]
Mode = Literal["auto", "rev", "fwd"]
MODES = ("auto", "rev", "fwd")


# ----- the arguments -------------------------------------------------------------------------
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


def resolve_argnums(who: str, argnums: tuple[int, ...], nargs: int) -> tuple[int, ...]:
    """The argument positions as non-negative ints; raises when one is out of range."""
    if nargs == 0:
        raise TypeError(
            f"{who}: the function was called without positional arguments, so there is nothing "
            "to differentiate; pass the point as a positional argument, e.g. grad(f)(x)"
        )
    positions = []
    for a in argnums:
        if not -nargs <= a < nargs:
            raise ValueError(
                f"{who}: argnums={a} is out of range for a call with {nargs} positional "
                f"argument{'' if nargs == 1 else 's'} (valid: 0 .. {nargs - 1}, or negative "
                "from the end)"
            )
        positions.append(a % nargs)
    if len(set(positions)) != len(positions):
        raise ValueError(f"{who}: argnums {argnums} names the same argument twice")
    return tuple(positions)


def as_float_array(who: str, value: Any, position: int) -> tuple[np.ndarray, bool]:
    """A differentiated argument as a floating-point ndarray, and whether it was a number.

    Python ints and floats (and NumPy float scalars) are numbers; lists become float64
    arrays. Integer, boolean and complex arrays raise `TypeError` (derivatives need floats).
    """
    where = f"{who}: argument {position}"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where} is a bool; derivatives need a float (e.g. 1.0)")
    if isinstance(value, Node):
        raise TypeError(
            f"{where} is a {type(value).__name__}; the transforms take floats and ndarrays "
            "(pass .data)"
        )
    if isinstance(value, (int, float)):
        return np.asarray(float(value)), True
    if isinstance(value, np.generic):
        array, scalar = np.asarray(value), True
    elif isinstance(value, np.ndarray):
        array, scalar = value, False
    elif isinstance(value, (list, tuple)):
        array, scalar = np.asarray(value), False
        if array.dtype.kind in "iu":
            array = array.astype(np.float64)
    else:
        raise TypeError(f"{where} is a {type(value).__name__}, not a float or an ndarray")
    kind = array.dtype.kind
    if kind == "f":
        return array, scalar
    if kind in "iu":
        raise TypeError(
            f"{where} has the integer dtype {array.dtype}: derivatives need floating-point "
            "values. Pass it as floats, e.g. x.astype(float) or np.array(..., dtype=float)."
        )
    raise TypeError(
        f"{where} has dtype {array.dtype}: derivatives need a real floating-point array"
    )


def input_node(who: str, value: Any, position: int) -> tuple[Tensor, bool, bool]:
    """The graph node that stands for one differentiated argument.

    Returns `(node, was_a_number, traced)`. An array or number becomes a fresh leaf that does
    not keep `.grad` (sweeps read gradients off the graph's edges). A Tensor that requires grad
    (an outer transform's input) gets a fresh alias node on its graph (`traced`), so the
    results stay differentiable with respect to it and two arguments never share a node.
    """
    if isinstance(value, Tensor):
        if value.requires_grad:
            return apply_unary(Reshape(value.shape), value), value.ndim == 0, True
        value = value._data
    array, scalar = as_float_array(who, value, position)
    leaf = Tensor(array, requires_grad=True)
    leaf.keeps_grad = False
    return leaf, scalar, False


def describe_value(value: Any) -> str:
    """A short description of what `f` returned, for error messages."""
    if value is None:
        return "None (a missing return statement?)"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, np.generic):
        return f"a NumPy {type(value).__name__}"
    return f"a {type(value).__name__}"


class Recording:
    """The result of running `f` once on leaf nodes: its output, the nodes standing for the
    differentiated arguments, which of those were plain numbers, whether the call is nested
    inside another transform (`traced`), and auxiliary data (`has_aux`)."""

    __slots__ = ("aux", "inputs", "out", "scalars", "traced")

    def __init__(
        self, out: Tensor, inputs: list[Tensor], scalars: list[bool], traced: bool, aux: Any
    ) -> None:
        self.out = out
        self.inputs = inputs
        self.scalars = scalars
        self.traced = traced
        self.aux = aux


def record(
    who: str,
    f: Callable[..., Any],
    args: Sequence[Any],
    kwargs: dict[str, Any],
    argnums: tuple[int, ...],
    has_aux: bool = False,
) -> Recording:
    """Run `f(*args, **kwargs)` with the arguments at `argnums` replaced by graph nodes."""
    positions = resolve_argnums(who, argnums, len(args))
    call_args = list(args)
    inputs, scalars = [], []
    traced = False
    for position in positions:
        node, scalar, is_traced = input_node(who, args[position], position)
        call_args[position] = node
        inputs.append(node)
        scalars.append(scalar)
        traced = traced or is_traced
    with enable_grad():  # a transform differentiates even when called under no_grad()
        result = f(*call_args, **kwargs)
    aux = None
    if has_aux:
        if not (isinstance(result, tuple) and len(result) == 2):
            raise TypeError(
                f"{who}: with has_aux=True, f must return a pair (output, auxiliary data), "
                f"got {describe_value(result)}"
            )
        result, aux = result
    return Recording(check_output(who, result), inputs, scalars, traced, aux)


def check_output(who: str, result: Any) -> Tensor:
    """`f`'s result, which must be an autograd_lite Tensor (else a TypeError saying why)."""
    if isinstance(result, Tensor):
        return result
    if isinstance(result, (tuple, list)):
        raise TypeError(
            f"{who}: f returned a {type(result).__name__} of {len(result)} items; return a "
            "single Tensor (join outputs with autograd_lite.stack or concatenate"
            + (", or pass has_aux=True to return (output, extra data))"
               if who in ("grad", "value_and_grad") else ")")
        )
    raise TypeError(
        f"{who}: f returned {describe_value(result)}, not an autograd_lite Tensor, so there is "
        "no recorded graph to differentiate. Build the result with autograd_lite operations on "
        "f's arguments (x * y, x.sin(), autograd_lite.exp(x), x @ W, x.sum()); math functions "
        "(math.exp), np.asarray(x), float(...) and .item() leave the graph."
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
    `dtype`) for an array, a Tensor on the graph when the call is nested in a transform."""
    if traced:
        return value if isinstance(value, Tensor) else constant(np.asarray(value, dtype=dtype))
    if isinstance(value, Tensor):
        value = value._data
    array = np.array(value, dtype=dtype)
    return float(array) if scalar else array


def output_value(out: Tensor, traced: bool) -> Any:
    """`f(x)` as the caller gets it: a float for one number, else an ndarray (or the Tensor)."""
    if traced:
        return out
    return float(out._data) if out.ndim == 0 else np.array(out._data)


def zeros_like_node(node: Tensor, traced: bool) -> Any:
    """A zero derivative for an input the output does not depend on."""
    zeros = np.zeros(node.shape, dtype=node.dtype)
    return constant(zeros) if traced else zeros


# ----- the sweeps ----------------------------------------------------------------------------
@contextmanager
def preserved_grads(root: Tensor) -> Iterator[None]:
    """Restore, on exit, the `.grad` of every node of `root`'s graph that keeps one.

    A sweep runs the engine's backward loop, which adds into `.grad` of leaves that require
    grad (parameters `f` closes over, say); a transform must not leave those changed.
    """
    kept = [(node, node.grad) for node in topological_order(root) if node.keeps_grad]
    try:
        yield
    finally:
        for node, grad in kept:
            node.grad = grad


def reverse_sweep(
    out: Tensor, inputs: Sequence[Tensor], cotangent: Any, create_graph: bool = False
) -> list[Any]:
    """One backward pass from `out` seeded with `cotangent` (out's shape): the gradient that
    reaches each of `inputs` (None where none does), i.e. `cotangent @ J` per input.

    Gradients are read off the graph's edges as the engine's backward loop yields them, so
    the inputs need not keep `.grad`. The graph is retained for further sweeps.
    """
    found: list[Any] = [None] * len(inputs)
    slots = {id(node): i for i, node in enumerate(inputs)}
    if create_graph and not isinstance(cotangent, Tensor):
        cotangent = constant(np.asarray(cotangent))
    root_slot = slots.get(id(out))
    if root_slot is not None:  # f returned one of its inputs
        found[root_slot] = cotangent
    # recheck=False: nothing runs between two steps here (hooks still trigger the recheck).
    sweep = iterate_backward(out, cotangent, True, create_graph, recheck=False)
    for node, _grad_out, input_grads in sweep:
        for parent, grad in zip(node.parents, input_grads):
            if grad is None:
                continue
            slot = slots.get(id(parent))
            if slot is not None:
                found[slot] = grad if found[slot] is None else found[slot] + grad
    return found


def basis(shape: tuple[int, ...], index: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The array of `shape` that is 1 at `index` and 0 elsewhere."""
    array = np.zeros(shape, dtype=dtype)
    array[index] = 1
    return array


def jacobian_rows(out: Tensor, inputs: Sequence[Tensor], create_graph: bool) -> list[Any]:
    """The Jacobian of `out` with respect to each input, one reverse sweep per output element.

    Returns one array (a Tensor with `create_graph`) of shape `out.shape + input.shape` per
    input.
    """
    if create_graph:
        rows: list[list[Any]] = [[] for _ in inputs]
        for index in np.ndindex(out.shape):
            grads = reverse_sweep(out, inputs, basis(out.shape, index, out.dtype), True)
            for row, grad, node in zip(rows, grads, inputs):
                row.append(zeros_like_node(node, True) if grad is None else grad)
        return [assemble(row, out.shape, node.shape, node.dtype, 0)
                for row, node in zip(rows, inputs)]
    blocks = [np.zeros(out.shape + node.shape, dtype=np.result_type(out.dtype, node.dtype))
              for node in inputs]
    for index in np.ndindex(out.shape):
        grads = reverse_sweep(out, inputs, basis(out.shape, index, out.dtype))
        for block, grad in zip(blocks, grads):
            if grad is not None:
                block[index] = grad
    return blocks


def jacobian_columns(out: Tensor, inputs: Sequence[Tensor], create_graph: bool) -> list[Any]:
    """The Jacobian of `out` with respect to each input, one forward sweep per input element.

    Returns one array (a Tensor with `create_graph`) of shape `out.shape + input.shape` per
    input.
    """
    order = topological_order(out)
    lead = (slice(None),) * out.ndim
    blocks: list[Any] = []
    for node in inputs:
        dtype = np.result_type(out.dtype, node.dtype)
        columns: list[Any] = []
        block = None if create_graph else np.zeros(out.shape + node.shape, dtype=dtype)
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
    out: Tensor, inputs: Sequence[Tensor], mode: str = "auto", create_graph: bool = False
) -> list[Any]:
    """The Jacobian of a recorded `out` with respect to each input (`out.shape + in.shape`).

    `mode="rev"` builds it row by row (one reverse sweep per output element), `"fwd"` column
    by column (one forward sweep per input element); `"auto"` picks the fewer sweeps.
    """
    if mode == "auto":
        mode = "rev" if out.size <= sum(node.size for node in inputs) else "fwd"
    if mode == "rev":
        return jacobian_rows(out, inputs, create_graph)
    return jacobian_columns(out, inputs, create_graph)


def check_mode(who: str, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"{who}: mode must be one of {MODES}, got {mode!r}")


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
        seed = np.ones(out.shape, dtype=out.dtype)
        with preserved_grads(out):
            grads = reverse_sweep(out, rec.inputs, seed, rec.traced)
        results = []
        for grad, node, scalar in zip(grads, rec.inputs, rec.scalars):
            grad = zeros_like_node(node, rec.traced) if grad is None else grad
            results.append(as_result(grad, node.dtype, scalar, rec.traced))
        derivative = self.pick(results)
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
    """The gradient of a scalar function: `grad(f)(x)` is df/dx, of x's shape.

    `argnums` (an int or a tuple of ints) picks the arguments to differentiate; a tuple gives a
    tuple of gradients. A float argument gives a float, an ndarray an ndarray of its shape and
    dtype. Other arguments (and keyword arguments) are passed through unchanged.
    `has_aux=True`: `f` returns `(output, extra)` and `grad(f)(x)` returns `(df/dx, extra)`.

    Raises `ValueError` when `f`'s output is not a single number (use `jacobian`) or `argnums`
    is out of range, `TypeError` when an argument is not a float or a float array, or `f`
    returns something other than an autograd_lite Tensor.
    """
    return Grad(f, argnums, has_aux)


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0,
                   has_aux: bool = False) -> ValueAndGrad:
    """Like `grad`, but the function returns `(f(x), df/dx)` from one forward and one backward
    pass (with `has_aux=True`: `((f(x), extra), df/dx)`)."""
    return ValueAndGrad(f, argnums, has_aux)


class Jacobian(Transformed):
    """`jacobian(f, argnums, mode)`: x -> the Jacobian of f at x (see `jacobian`)."""

    __slots__ = ("mode",)
    who = "jacobian"

    def __init__(self, f: Callable[..., Any], argnums: Argnums, mode: str) -> None:
        super().__init__(f, argnums)
        check_mode(self.who, mode)
        self.mode = mode

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        rec = record(self.who, self.f, args, kwargs, self.argnums)
        out = rec.out
        with preserved_grads(out):
            blocks = jacobian_of(out, rec.inputs, self.mode, rec.traced)
        results = []
        for block, node, scalar in zip(blocks, rec.inputs, rec.scalars):
            dtype = np.result_type(out.dtype, node.dtype)
            results.append(as_result(block, dtype, scalar and out.ndim == 0, rec.traced))
        return self.pick(results)


def jacobian(f: Callable[..., Any], argnums: Argnums = 0, mode: Mode = "auto") -> Jacobian:
    """The Jacobian matrix: `jacobian(f)(x)` has shape `f(x).shape + x.shape`, entry
    `[i, j]` = d f_i / d x_j (rows are outputs, columns are inputs).

    `mode="rev"` builds it row by row, one backward pass (vector-Jacobian product) per output
    element; `mode="fwd"` column by column, one forward-mode pass (Jacobian-vector product)
    per input element; `"auto"` (the default) picks reverse when the output has no more
    elements than the inputs together, else forward. A tuple `argnums` gives a tuple of
    Jacobians; a float argument with a 0-d output gives a float.
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
        with preserved_grads(out):
            # The gradient, recorded as a graph (create_graph), is differentiated again.
            grads = reverse_sweep(out, inputs, np.ones(out.shape, dtype=out.dtype), True)
            rows = []
            for grad, node, scalar_i in zip(grads, inputs, rec.scalars):
                if grad is None:
                    grad = zeros_like_node(node, True)
                blocks = jacobian_of(grad, inputs, self.mode, rec.traced)
                row = []
                for block, other, scalar_j in zip(blocks, inputs, rec.scalars):
                    dtype = np.result_type(node.dtype, other.dtype)
                    row.append(as_result(block, dtype, scalar_i and scalar_j, rec.traced))
                rows.append(self.pick(row))
        return self.pick(rows)


def hessian(f: Callable[..., Any], argnums: Argnums = 0, mode: Mode = "auto") -> Hessian:
    """The matrix of second derivatives of a scalar function: shape `x.shape + x.shape`,
    entry `[i, j]` = d^2 f / dx_i dx_j, exact and symmetric for smooth `f`.

    The gradient is recorded as a graph (`create_graph`) and differentiated again: column by
    column with forward sweeps (`mode="fwd"`, forward over reverse; what `"auto"` picks) or
    row by row with reverse sweeps (`mode="rev"`, reverse over reverse). A tuple `argnums`
    gives the blocks as a tuple of tuples, `H[i][j]` of shape `x_i.shape + x_j.shape`.
    Raises `ValueError` when `f`'s output is not a single number.
    """
    return Hessian(f, argnums, mode)


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
        traced = rec.traced or (isinstance(cotangent, Tensor) and cotangent.requires_grad)
        if isinstance(cotangent, Tensor) and not traced:
            cotangent = cotangent._data
        if not isinstance(cotangent, Tensor):
            cotangent = real_array(cotangent, out.dtype, "vjp: the cotangent")
        if tuple(cotangent.shape) != out.shape:
            raise ShapeError(
                f"vjp: the cotangent has shape {tuple(cotangent.shape)} but f's output has shape "
                f"{out.shape}; pass one of the output's shape"
            )
        with preserved_grads(out):
            grads = reverse_sweep(out, rec.inputs, cotangent, traced)
        results = []
        for grad, node, scalar in zip(grads, rec.inputs, rec.scalars):
            grad = zeros_like_node(node, traced) if grad is None else grad
            results.append(as_result(grad, node.dtype, scalar, traced))
        return tuple(results)

    def __repr__(self) -> str:
        return f"<vjp_fn: cotangent of shape {self.rec.out.shape} -> {len(self.rec.inputs)} " \
               "gradient(s)>"


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, VJP]:
    """Reverse mode at a point: returns `(f(*primals), vjp_fn)`.

    `vjp_fn(cotangent)`, with `cotangent` of the output's shape, returns a tuple with one
    array per primal: `cotangent @ J` (the vector-Jacobian product), computed by one backward
    pass. Every primal is differentiated.
    """
    rec = record("vjp", f, primals, {}, tuple(range(len(primals))))
    return output_value(rec.out, rec.traced), VJP(rec)


def as_tangent(value: Any, node: Tensor, position: int) -> Any:
    """A tangent as a seed for the forward sweep: an array of the primal's shape and dtype,
    or a Tensor that requires grad (when the call is nested in a transform)."""
    if isinstance(value, Tensor) and value.requires_grad:
        tangent = value
    else:
        if isinstance(value, Tensor):
            value = value._data
        tangent = real_array(value, node.dtype, f"jvp: tangent {position}")
    if tuple(tangent.shape) != node.shape:
        raise ShapeError(
            f"jvp: tangent {position} has shape {tuple(tangent.shape)} but primal {position} has "
            f"shape {node.shape}; each tangent must have its primal's shape"
        )
    return tangent


def jvp(f: Callable[..., Any], primals: Any, tangents: Any) -> tuple[Any, Any]:
    """Forward mode at a point: returns `(f(*primals), J @ tangents)`.

    `primals` and `tangents` are tuples (or lists) of the same length, each tangent of its
    primal's shape; a single float or ndarray may be given for one primal. The directional
    derivative is pushed through the graph once, one `jvp` rule per op: it costs about one
    forward pass, not a Jacobian.
    """
    primals = tuple(primals) if isinstance(primals, (tuple, list)) else (primals,)
    tangents = tuple(tangents) if isinstance(tangents, (tuple, list)) else (tangents,)
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: got {len(primals)} primal(s) but {len(tangents)} tangent(s); give one tangent "
            "per primal"
        )
    rec = record("jvp", f, primals, {}, tuple(range(len(primals))))
    out = rec.out
    seeds = {}
    traced = rec.traced
    for position, (node, tangent) in enumerate(zip(rec.inputs, tangents)):
        seed = as_tangent(tangent, node, position)
        traced = traced or isinstance(seed, Tensor)
        seeds[id(node)] = seed
    tangent_out = forward_sweep(out, seeds, None, traced)
    if tangent_out is None:
        tangent_out = zeros_like_node(out, traced)
    return output_value(out, rec.traced), as_result(tangent_out, out.dtype, out.ndim == 0, traced)
