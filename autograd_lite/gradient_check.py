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
from .tensor import Tensor
from .transforms import (
    as_float_array,
    jacobian_of,
    preserved_grads,
    record,
    resolve_argnums,
)


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` when an analytic derivative disagrees with the numeric one.

    Attributes: `argnum` and `argname` (the argument), `index` (the element of the argument),
    `output_index` (the element of the output, `()` for a scalar output), `analytic`,
    `numeric`, `atol`, `rtol`, `mode` (`"reverse"` or `"forward"`), `mismatches` (how many
    entries of that Jacobian are off).
    """

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.argnum: int = details.get("argnum", -1)
        self.argname: str = details.get("argname", "")
        self.index: tuple[int, ...] = details.get("index", ())
        self.output_index: tuple[int, ...] = details.get("output_index", ())
        self.analytic: float = details.get("analytic", float("nan"))
        self.numeric: float = details.get("numeric", float("nan"))
        self.atol: float = details.get("atol", 0.0)
        self.rtol: float = details.get("rtol", 0.0)
        self.mode: str = details.get("mode", "")
        self.mismatches: int = details.get("mismatches", 0)


def float64_arguments(
    who: str, args: Sequence[Any], positions: Sequence[int]
) -> tuple[list[Any], list[bool]]:
    """`args` with the differentiated ones as float64 ndarrays (copies), and which of those
    were plain numbers."""
    converted = list(args)
    scalars = []
    for position in positions:
        value = args[position]
        if isinstance(value, Tensor):
            value = value._data
        array, scalar = as_float_array(who, value, position)
        converted[position] = np.array(array, dtype=np.float64)
        scalars.append(scalar)
    return converted, scalars


def evaluate(f: Callable[..., Any], args: Sequence[Any], positions: Sequence[int]) -> np.ndarray:
    """`f` at `args` as a float64 array, the differentiated arguments passed as constant
    Tensors and nothing recorded."""
    call_args = list(args)
    for position in positions:
        call_args[position] = Tensor(args[position])
    with no_grad():
        result = f(*call_args)
    if isinstance(result, Node):
        result = result.data
    if isinstance(result, (tuple, list)) or not isinstance(
        result, (np.ndarray, np.generic, int, float)
    ):
        raise TypeError(
            f"numerical differentiation: f returned a {type(result).__name__}; it must return a "
            "Tensor, a float or an ndarray"
        )
    # A copy: the result may be a view of an argument (reshape, indexing) that is perturbed next.
    return np.array(result, dtype=np.float64)


def central_difference_jacobian(
    f: Callable[..., Any], args: list[Any], positions: Sequence[int], position: int,
    eps: float,
) -> np.ndarray:
    """d f / d args[position] by central differences, shape `f.shape + arg.shape`.

    `args[position]` must be a float64 ndarray; it is perturbed in place and restored.
    """
    x = args[position]
    out_shape = evaluate(f, args, positions).shape
    jac = np.zeros(out_shape + x.shape)
    tail = (slice(None),) * len(out_shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        up = evaluate(f, args, positions)
        x[index] = original - eps
        down = evaluate(f, args, positions)
        x[index] = original
        jac[tail + index] = (up - down) / (2 * eps)
    return jac


def numerical_jacobian(f: Callable[..., Any], *args: Any, argnum: int = 0,
                       eps: float = 1e-6) -> np.ndarray:
    """The Jacobian of `f` with respect to `args[argnum]` by central differences (float64),
    shape `f(*args).shape + args[argnum].shape`."""
    positions = resolve_argnums("numerical_jacobian", (argnum,), len(args))
    converted, _ = float64_arguments("numerical_jacobian", args, positions)
    return central_difference_jacobian(f, converted, positions, positions[0], eps)


def numerical_grad(f: Callable[..., Any], *args: Any, eps: float = 1e-6) -> Any:
    """The gradient of a scalar `f` at `args` by central differences, in float64.

    One result per argument, of the argument's shape (a float for a float argument); a tuple of
    them when there are several arguments. `f` is called with the arguments as constant
    Tensors, so it is written with autograd_lite operations, as for `grad`.
    """
    positions = resolve_argnums("numerical_grad", tuple(range(len(args))), len(args))
    converted, scalars = float64_arguments("numerical_grad", args, positions)
    out_shape = evaluate(f, converted, positions).shape
    if int(np.prod(out_shape)) != 1:
        raise ValueError(
            f"numerical_grad: f returned shape {out_shape}, not a single number; use "
            "numerical_jacobian for every output, or reduce the output (e.g. .sum())"
        )
    grads = []
    for position, scalar in zip(positions, scalars):
        jac = central_difference_jacobian(f, converted, positions, position, eps)
        grad = jac.reshape(converted[position].shape)
        grads.append(float(grad) if scalar else grad)
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
    position, name = describe["argnum"], describe["argname"]
    label = f"argument {position} (" + (f"{name!r}, " if name else "") + \
        f"shape {describe['shape']})"
    where = f"index {index}" + (f", output element {output_index}" if out_ndim else "")
    message = (
        f"gradcheck: the derivative with respect to {label} is wrong at {where}:\n"
        f"  analytic ({describe['mode']} mode): {a!r}\n"
        f"  numeric (central difference, eps={describe['eps']}): {n!r}\n"
        f"  |analytic - numeric| = {abs(a - n):.3g} > atol + rtol * |numeric| = "
        f"{atol} + {rtol} * {abs(n):.3g} = {atol + rtol * abs(n):.3g}\n"
        f"  ({int(bad.sum())} of {bad.size} entries of this Jacobian disagree)"
    )
    raise GradcheckError(
        message, argnum=position, argname=name, index=index, output_index=output_index,
        analytic=a, numeric=n, atol=atol, rtol=rtol, mode=describe["mode"],
        mismatches=int(bad.sum()),
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

    Every argument (or those at `argnums`) is differentiated; `f` may return a Tensor of any
    shape, and its whole Jacobian is checked: built by reverse mode (backward passes) and,
    with `check_forward`, again by forward mode (the ops' jvp rules). An entry passes when
    |analytic - numeric| <= atol + rtol * |numeric|.

    Returns True, or raises `GradcheckError` naming the argument (position and name), the
    element, the analytic and numeric values and the tolerance.
    """
    if argnums is None:
        argnums = tuple(range(len(args)))
    elif isinstance(argnums, int):
        argnums = (argnums,)
    positions = resolve_argnums("gradcheck", tuple(argnums), len(args))
    converted, _ = float64_arguments("gradcheck", args, positions)
    recorded_args = list(converted)
    for position in positions:  # the numeric pass below perturbs `converted` in place
        recorded_args[position] = converted[position].copy()
    rec = record("gradcheck", f, recorded_args, {}, positions)
    out = rec.out
    with preserved_grads(out):
        analytic = {"reverse": jacobian_of(out, rec.inputs, "rev")}
        if check_forward:
            analytic["forward"] = jacobian_of(out, rec.inputs, "fwd")
    for k, position in enumerate(positions):
        numeric = central_difference_jacobian(f, converted, positions, position, eps)
        for mode, blocks in analytic.items():
            describe = {
                "argnum": position, "argname": argument_name(f, position), "mode": mode,
                "shape": converted[position].shape, "eps": eps,
            }
            compare(blocks[k], numeric, out.ndim, atol, rtol, describe)
    return True
