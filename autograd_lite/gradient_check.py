"""Checking derivatives against central differences: `numerical_grad`, `gradcheck`.

A central difference (f(x + eps) - f(x - eps)) / (2 eps) has an error of order eps^2 from the
curvature plus about 1e-16 / eps from rounding, so in float64 with eps = 1e-6 it agrees with an
exact derivative to about 1e-9 relative: good enough to catch a wrong rule, never a substitute
for autodiff (the derivatives lesson shows the error growing again as eps shrinks).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine.grad_mode import no_grad
from .engine.node import Node
from .pytree import CONTAINERS, TreeDef, flatten, flatten_with_paths, leaf_paths
from .tensor import Tensor
from .tracing import as_float_array, record, resolve_argnums
from .transforms import jacobian_of, preserved_grads, split_outputs


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` when an analytic derivative disagrees with the numeric one.

    Attributes: `argnum` and `argname` (the argument), `path` (the leaf inside a pytree
    argument, e.g. `"['W']"`; `""` for a plain one), `index` (the element of that leaf),
    `output_index` (the element of the output, `()` for a scalar output), `output_path` (the
    output leaf, for a pytree output), `analytic`, `numeric`, `atol`, `rtol`, `mode`
    (`"reverse"` or `"forward"`), `mismatches` (how many entries of that Jacobian are off).
    """

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.argnum: int = details.get("argnum", -1)
        self.argname: str = details.get("argname", "")
        self.path: str = details.get("path", "")
        self.index: tuple[int, ...] = details.get("index", ())
        self.output_index: tuple[int, ...] = details.get("output_index", ())
        self.output_path: str = details.get("output_path", "")
        self.analytic: float = details.get("analytic", float("nan"))
        self.numeric: float = details.get("numeric", float("nan"))
        self.atol: float = details.get("atol", 0.0)
        self.rtol: float = details.get("rtol", 0.0)
        self.mode: str = details.get("mode", "")
        self.mismatches: int = details.get("mismatches", 0)


class Argument:
    """One differentiated argument in float64: its leaves (copies, perturbed in place by the
    central differences), their paths and whether each was a number, and its structure."""

    __slots__ = ("leaves", "paths", "position", "scalars", "treedef")

    def __init__(self, who: str, value: Any, position: int) -> None:
        pairs, self.treedef = flatten_with_paths(value)
        self.position = position
        self.paths = [path for path, _ in pairs]
        self.leaves: list[np.ndarray] = []
        self.scalars: list[bool] = []
        for path, leaf in pairs:
            if isinstance(leaf, Tensor):
                leaf = leaf._data
            array, scalar = as_float_array(who, leaf, position, path)
            self.leaves.append(np.array(array, dtype=np.float64))
            self.scalars.append(scalar)

    def rebuilt(self, wrap: Any) -> Any:
        """The argument with every leaf passed through `wrap`."""
        return self.treedef.unflatten([wrap(leaf) for leaf in self.leaves])


def float64_arguments(who: str, args: Sequence[Any],
                      positions: Sequence[int]) -> list[Argument]:
    """The differentiated arguments, each as float64 leaves (copies)."""
    return [Argument(who, args[position], position) for position in positions]


def evaluate(f: Callable[..., Any], args: Sequence[Any], arguments: Sequence[Argument],
             tree_output: bool = True) -> np.ndarray:
    """`f` at `args` (the differentiated ones taken from `arguments`, as constant Tensors) as
    a float64 array, nothing recorded; with `tree_output`, a pytree output is flattened into
    one vector, in the order the transforms join it."""
    call_args = list(args)
    for argument in arguments:
        call_args[argument.position] = argument.rebuilt(Tensor)
    with no_grad():
        result = f(*call_args)
    if isinstance(result, CONTAINERS) and tree_output:
        leaves, _ = flatten(result)
        parts = [np.ravel(plain_output(leaf)) for leaf in leaves]
        return np.concatenate(parts) if parts else np.zeros(0)
    # A copy: the result may be a view of an argument (reshape, indexing) that is perturbed next.
    return np.array(plain_output(result), dtype=np.float64)


def plain_output(result: Any) -> np.ndarray:
    """One output of `f` as a float64 array (a TypeError for anything but numbers)."""
    if isinstance(result, Node):
        result = result._data  # type: ignore[attr-defined]
    if not isinstance(result, (np.ndarray, np.generic, int, float)):
        raise TypeError(
            f"numerical differentiation: f returned a {type(result).__name__}; it must return a "
            "Tensor, a float or an ndarray"
        )
    return np.array(result, dtype=np.float64)


def central_difference_jacobian(
    f: Callable[..., Any], args: Sequence[Any], arguments: Sequence[Argument], which: int,
    leaf: int, eps: float,
) -> np.ndarray:
    """d f / d (leaf `leaf` of argument `which`) by central differences, shape
    `f.shape + leaf.shape` (f's output flattened to a vector for a pytree output).

    The leaf is perturbed in place and restored.
    """
    x = arguments[which].leaves[leaf]
    out_shape = evaluate(f, args, arguments).shape
    jac = np.zeros(out_shape + x.shape)
    tail = (slice(None),) * len(out_shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        up = evaluate(f, args, arguments)
        x[index] = original - eps
        down = evaluate(f, args, arguments)
        x[index] = original
        jac[tail + index] = (up - down) / (2 * eps)
    return jac


def numerical_grad(f: Callable[..., Any], *args: Any, eps: float = 1e-6) -> Any:
    """The gradient of a scalar `f` at `args` by central differences, in float64.

    One result per argument, in the argument's shape (a float for a float argument, the same
    structure for a pytree of them); a tuple of them when there are several arguments. `f`
    is called with the arguments as constant Tensors, so it is written with autograd_lite
    operations, as for `grad`.
    """
    positions = resolve_argnums("numerical_grad", tuple(range(len(args))), len(args))
    arguments = float64_arguments("numerical_grad", args, positions)
    out_shape = evaluate(f, args, arguments, tree_output=False).shape
    if int(np.prod(out_shape)) != 1:
        raise ValueError(
            f"numerical_grad: f returned shape {out_shape}, not a single number; reduce the "
            "output first (e.g. .sum()), or take one output element at a time"
        )
    grads = []
    for which, argument in enumerate(arguments):
        leaves = []
        for k, (leaf, scalar) in enumerate(zip(argument.leaves, argument.scalars)):
            jac = central_difference_jacobian(f, args, arguments, which, k, eps)
            grad = jac.reshape(leaf.shape)
            leaves.append(float(grad) if scalar else grad)
        grads.append(argument.treedef.unflatten(leaves))
    return grads[0] if len(grads) == 1 else tuple(grads)


def argument_name(f: Callable[..., Any], position: int) -> str:
    """The name of `f`'s positional parameter at `position` ("" when unknown)."""
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        return ""
    for i, parameter in enumerate(parameters):
        if parameter.kind == parameter.VAR_POSITIONAL:
            return ""  # `*args`: the position says more than a name would
        if i == position and parameter.kind in (parameter.POSITIONAL_ONLY,
                                                 parameter.POSITIONAL_OR_KEYWORD):
            return parameter.name
    return ""


def compare(
    analytic: np.ndarray, numeric: np.ndarray, out_ndim: int, atol: float, rtol: float,
    describe: dict[str, Any],
) -> None:
    """Raise `GradcheckError` at the worst entry where |analytic - numeric| exceeds
    atol + rtol * |numeric| (NaN in the same places on both sides counts as agreement)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        error = np.abs(analytic - numeric)
        allowed = atol + rtol * np.abs(numeric)
        bad = ~(error <= allowed) & ~(np.isnan(analytic) & np.isnan(numeric))
    if not bad.any():
        return
    excess = np.where(bad, np.nan_to_num(error - allowed, nan=np.inf), -np.inf)
    worst = np.unravel_index(int(np.argmax(excess)), analytic.shape)
    output_index = tuple(int(i) for i in worst[:out_ndim])
    index = tuple(int(i) for i in worst[out_ndim:])
    a, n = float(analytic[worst]), float(numeric[worst])
    position, name, path = describe["argnum"], describe["argname"], describe["path"]
    output_path = describe["output_path"]
    label = f"argument {position}{path} (" + (f"{name!r}, " if name else "") + \
        f"shape {describe['shape']})"
    where = f"index {index}"
    if output_path:
        where += f", output {output_path}" + (f" element {output_index}" if out_ndim else "")
    elif out_ndim:
        where += f", output element {output_index}"
    message = (
        f"gradcheck: the derivative with respect to {label} is wrong at {where}:\n"
        f"  analytic ({describe['mode']} mode): {a!r}\n"
        f"  numeric (central difference, eps={describe['eps']}): {n!r}\n"
        f"  |analytic - numeric| = {abs(a - n):.3g} > atol + rtol * |numeric| = "
        f"{atol} + {rtol} * {abs(n):.3g} = {atol + rtol * abs(n):.3g}\n"
        f"  ({int(bad.sum())} of {bad.size} entries of this Jacobian disagree)"
    )
    raise GradcheckError(
        message, argnum=position, argname=name, path=path, index=index,
        output_index=output_index, output_path=output_path, analytic=a, numeric=n, atol=atol,
        rtol=rtol, mode=describe["mode"], mismatches=int(bad.sum()),
    )


def gradcheck(
    f: Callable[..., Any],
    *args: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    argnums: int | Sequence[int] | None = None,
    check_forward: bool = True,
) -> bool:
    """Compare `f`'s derivatives from autodiff with central differences, in float64.

    Every argument (or those at `argnums`) is differentiated, each a float, an array or a
    pytree of them; `f` may return a Tensor of any shape (or a pytree of Tensors), and its
    whole Jacobian is checked: built by reverse mode (backward passes) and, with
    `check_forward`, again by forward mode (the ops' jvp rules). An entry passes when
    |analytic - numeric| <= atol + rtol * |numeric|.

    Returns True, or raises `GradcheckError` naming the argument (position, name and the
    leaf's path in a pytree), the element, the analytic and numeric values and the tolerance.
    """
    if argnums is None:
        argnums = tuple(range(len(args)))
    elif isinstance(argnums, int):
        argnums = (argnums,)
    positions = resolve_argnums("gradcheck", tuple(argnums), len(args))
    arguments = float64_arguments("gradcheck", args, positions)
    recorded_args = list(args)
    for argument in arguments:  # the numeric pass below perturbs the leaves in place
        recorded_args[argument.position] = argument.rebuilt(np.copy)
    rec = record("gradcheck", f, recorded_args, {}, positions, tree_output=True)
    with preserved_grads(rec.order):
        analytic = {"reverse": jacobian_of(rec.out, rec.inputs, "rev", False, rec.order)}
        if check_forward:
            analytic["forward"] = jacobian_of(rec.out, rec.inputs, "fwd", False, rec.order)
    output_paths = output_leaf_paths(rec.out_def, len(rec.out_leaves))
    k = 0
    for which, argument in enumerate(arguments):
        for leaf, path in enumerate(argument.paths):
            numeric = central_difference_jacobian(f, args, arguments, which, leaf, eps)
            for mode, blocks in analytic.items():
                describe = {
                    "argnum": argument.position, "path": path, "mode": mode, "eps": eps,
                    "argname": argument_name(f, argument.position),
                    "shape": argument.leaves[leaf].shape,
                }
                parts = zip(split_outputs(rec, blocks[k]), split_outputs(rec, numeric),
                            rec.out_leaves, output_paths)
                for analytic_part, numeric_part, out_leaf, output_path in parts:
                    describe["output_path"] = output_path
                    compare(analytic_part, numeric_part, out_leaf.ndim, atol, rtol, describe)
            k += 1
    return True


def output_leaf_paths(out_def: TreeDef | None, count: int) -> list[str]:
    """The path of each output leaf (`""` for a single-Tensor output)."""
    return [""] * count if out_def is None else leaf_paths(out_def)
