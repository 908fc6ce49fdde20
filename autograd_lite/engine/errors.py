"""Exceptions raised by the engine and the ops."""

from __future__ import annotations

import numpy as np


class ShapeError(ValueError, RuntimeError):
    """Operands whose shapes do not fit together (broadcasting, matmul, a `grad` seed).

    It is a `ValueError`, as NumPy raises for the same mistake, and a `RuntimeError`, as
    PyTorch raises, so code written for either catches it.
    """


def axis_error(op: str, axis: object, ndim: int) -> np.exceptions.AxisError:
    """The error for an axis out of range, in NumPy's class (a ValueError and an IndexError)."""
    return np.exceptions.AxisError(
        f"{op}: axis {axis} is out of range for a tensor with {ndim} dimension"
        f"{'' if ndim == 1 else 's'} (valid axes: {-ndim} .. {ndim - 1})"
        if ndim
        else f"{op}: axis {axis} is out of range for a 0-d tensor (it has no axes; use axis=None)"
    )


def broadcast_error(op: str, *shapes: tuple[int, ...]) -> ShapeError:
    """The error for operands that do not broadcast, naming both shapes."""
    listed = " and ".join(str(tuple(s)) for s in shapes)
    return ShapeError(
        f"{op}: shapes {listed} cannot be broadcast together: trailing dimensions must be equal "
        "or 1. Reshape one operand (e.g. add an axis with x.reshape(...)) so they line up."
    )


#: What to do with complex numbers, said by every error that refuses them.
COMPLEX_ADVICE = (
    "autograd_lite differentiates real numbers only (as PyTorch's and JAX's real-valued "
    "APIs): casting to float would silently drop the imaginary part. Split the computation "
    "into real and imaginary parts (two real arrays, e.g. z.real and z.imag) and differentiate "
    "those"
)


def complex_error(what: str) -> TypeError:
    """The error for a complex number where gradients flow (`what` names it and its dtype)."""
    return TypeError(f"{what}; {COMPLEX_ADVICE}")


def real_array(value: object, dtype: np.dtype, what: str) -> np.ndarray:
    """`np.asarray(value, dtype=dtype)` for a gradient, seed or tangent, refusing complex values
    (the cast would drop their imaginary part) with an error that starts with `what`."""
    array = np.asarray(value)
    if array.dtype.kind == "c":
        raise complex_error(f"{what} is complex ({array.dtype})")
    return np.asarray(array, dtype=dtype)
