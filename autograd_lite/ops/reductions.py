"""Reductions and axis-wise normalisations on Tensors: sum mean max min logsumexp, softmax
and log_softmax. `axis` is None (all axes), an int or a tuple of ints; `keepdims` as in NumPy.

Ties in `max`/`min` share the gradient equally among the tied elements.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.errors import axis_error
from ..engine.op import TensorOp, register
from .generic import broadcast_to, exp

#: float16, whose sums are accumulated in float32 (see `wide_sum`).
F16 = np.dtype(np.float16)


def wide_sum(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """`np.add.reduce(x, axis)`, accumulated and returned in float32 when `x` is float16.

    float16 holds numbers up to 65,504: the sum of 70,000 ones is inf even when the mean, a
    softmax's normaliser or a loss's average is a small number. NumPy's own `mean` widens the
    same way; callers cast their result back to float16.
    """
    if x.dtype is F16:
        return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=np.float32)
    return np.add.reduce(x, axis=axis, keepdims=keepdims)


def normalize_axes(op: str, axis: Any, ndim: int) -> tuple[int, ...]:
    """`axis` (None, int or tuple) as a sorted tuple of non-negative axes; checks the range."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    axes = []
    for item in items:
        if not isinstance(item, (int, np.integer)) or isinstance(item, bool):
            raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= item < ndim:
            raise axis_error(op, item, ndim)
        axes.append(int(item) % ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: axis {axis!r} names the same axis twice; list each axis once")
    return tuple(sorted(axes))


def normalize_axis(op: str, axis: Any, ndim: int) -> int:
    """A single `axis` as a non-negative int; checks the range."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise axis_error(op, axis, ndim)
    return int(axis) % ndim


def reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """`shape` with the reduced axes removed (the keepdims=False shape)."""
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def kept_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """`shape` with each reduced axis kept as size 1 (the keepdims=True shape)."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Reduction(TensorOp):
    """Shared bookkeeping of the reductions: the axes, keepdims and the input's shape."""

    __slots__ = ("axis", "keepdims", "axes", "shape")
    smooth = True

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = bool(keepdims)

    def prepare(self, x: np.ndarray) -> None:
        self.axes = normalize_axes(self.name, self.axis, x.ndim)
        self.shape = x.shape

    def grad_kept(self, grad_out: Any) -> Any:
        """`grad_out` reshaped to the keepdims shape, so it broadcasts against the input."""
        if self.keepdims or not grad_out.ndim:  # a 0-d gradient broadcasts as it is
            return grad_out
        return grad_out.reshape(kept_shape(self.shape, self.axes))

    def describe(self) -> str:
        parts = [] if self.axis is None else [f"axis={self.axis}"]
        if self.keepdims:
            parts.append("keepdims")
        return " ".join(parts)


@register
class Sum(Reduction):
    """out = x.sum(axis).   grad_x = grad_out broadcast back over the summed axes."""

    __slots__ = ()
    name = "sum"
    domain = "real"
    rule = "d sum(x) = sum(dx);  grad_x = grad_out repeated over the summed axes"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        return np.add.reduce(x, axis=self.axes, keepdims=self.keepdims)

    def vjp(self, grad_out: Any) -> tuple:
        return (broadcast_to(self.grad_kept(grad_out), self.shape),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x.sum(axis=self.axes, keepdims=self.keepdims)


def mean_of(x: np.ndarray, axes: tuple[int, ...], keepdims: bool, count: int) -> np.ndarray:
    """x averaged over `axes` (`count` elements each), in x's dtype (float64 for integers and
    booleans); float16 is summed in float32 so that more than 65,504 elements do not overflow."""
    total = wide_sum(x, axes, keepdims)
    if x.dtype.kind in "biu":  # (a complex mean stays complex: casting would drop .imag)
        total = total.astype(np.float64)
    mean = total / total.dtype.type(count)
    return mean.astype(x.dtype, copy=False) if x.dtype is F16 else mean


@register
class Mean(Reduction):
    """out = x.mean(axis).   grad_x = grad_out / n broadcast back (n = elements averaged).

    float16 is averaged in float32 and its gradient is grad_out * (1 / n): n itself may be
    larger than float16's largest number (65,504), 1 / n is not.
    """

    __slots__ = ("count", "half")
    name = "mean"
    domain = "real"
    rule = "d mean(x) = mean(dx);  grad_x = grad_out / n over the averaged axes"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.count = math.prod([x.shape[a] for a in self.axes])
        self.half = x.dtype is F16
        return mean_of(x, self.axes, self.keepdims, self.count)

    def vjp(self, grad_out: Any) -> tuple:
        grad = self.grad_kept(grad_out)
        grad = grad * (1.0 / self.count) if self.half else grad / self.count
        return (broadcast_to(grad, self.shape),)

    def jvp(self, tangent_x: Any) -> Any:
        if isinstance(tangent_x, np.ndarray):
            return mean_of(tangent_x, self.axes, self.keepdims, self.count)
        return tangent_x.mean(axis=self.axes, keepdims=self.keepdims)


class Extreme(Reduction):
    """max / min: the gradient goes to the extreme elements, shared equally among ties."""

    __slots__ = ("share",)
    saved = ("share",)
    smooth = False

    def select(self, x: np.ndarray, out_kept: np.ndarray) -> None:
        hits = x == out_kept
        counts = np.add.reduce(hits, axis=self.axes, keepdims=True, dtype=x.dtype)
        self.share = hits / counts
        self.share = self.share.astype(x.dtype, copy=False)

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * self.share,)

    def jvp(self, tangent_x: Any) -> Any:
        return (tangent_x * self.share).sum(axis=self.axes, keepdims=self.keepdims)


@register
class Max(Extreme):
    """out = x.max(axis).   grad_x = grad_out at the maximum (split equally among ties)."""

    __slots__ = ()
    name = "max"
    domain = "away_from_kinks"
    rule = "grad_x = grad_out * [x == max] / (number of maxima)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        if x.size == 0:
            raise ValueError(f"max: cannot reduce an empty tensor of shape {x.shape}")
        out_kept = np.maximum.reduce(x, axis=self.axes, keepdims=True)
        self.select(x, out_kept)
        return out_kept if self.keepdims else out_kept.reshape(reduced_shape(x.shape, self.axes))


@register
class Min(Extreme):
    """out = x.min(axis).   grad_x = grad_out at the minimum (split equally among ties)."""

    __slots__ = ()
    name = "min"
    domain = "away_from_kinks"
    rule = "grad_x = grad_out * [x == min] / (number of minima)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        if x.size == 0:
            raise ValueError(f"min: cannot reduce an empty tensor of shape {x.shape}")
        out_kept = np.minimum.reduce(x, axis=self.axes, keepdims=True)
        self.select(x, out_kept)
        return out_kept if self.keepdims else out_kept.reshape(reduced_shape(x.shape, self.axes))


def stable_logsumexp(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """log(sum(exp(x))) over `axes` with keepdims, shifted by the max so nothing overflows."""
    # ufunc.reduce directly: np.max and np.sum add a Python layer that costs more than the
    # arithmetic on the small arrays of a training step.
    shift = np.maximum.reduce(x, axis=axes, keepdims=True)
    if not np.isfinite(shift).all():  # rows of -inf (or inf, nan) are shifted by 0
        shift = np.where(np.isfinite(shift), shift, 0)
    return shift + np.log(wide_sum(np.exp(x - shift), axes, True))


@register
class LogSumExp(Reduction):
    """out = log(sum(exp(x), axis)).   grad_x = grad_out * exp(x - out) (the softmax)."""

    __slots__ = ("x", "out")
    name = "logsumexp"
    domain = "real"
    saved = ("x", "out")
    rule = "d logsumexp(x) = sum(softmax(x) dx)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.x = x
        out_kept = stable_logsumexp(x, self.axes).astype(x.dtype, copy=False)
        self.out = out_kept if self.keepdims else out_kept.reshape(
            reduced_shape(x.shape, self.axes))
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * exp(self.x - self.grad_kept(self.out)),)

    def jvp(self, tangent_x: Any) -> Any:
        softmax = exp(self.x - self.grad_kept(self.out))
        return (tangent_x * softmax).sum(axis=self.axes, keepdims=self.keepdims)


@register
class Softmax(TensorOp):
    """out = exp(x) / sum(exp(x), axis).   grad_x = out * (grad_out - sum(grad_out * out))."""

    __slots__ = ("axis", "out")
    name = "softmax"
    domain = "real"
    saved = ("out",)
    rule = "grad_x = s * (grad_out - sum(grad_out * s, axis)),  s = softmax(x)"

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: np.ndarray) -> np.ndarray:
        axis = normalize_axis("softmax", self.axis, x.ndim)
        self.axis = axis
        shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
        self.out = (shifted / wide_sum(shifted, axis, True)).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        out = self.out
        return (out * (grad_out - (grad_out * out).sum(axis=self.axis, keepdims=True)),)

    def jvp(self, tangent_x: Any) -> Any:
        out = self.out
        return out * (tangent_x - (out * tangent_x).sum(axis=self.axis, keepdims=True))

    def describe(self) -> str:
        return f"axis={self.axis}"


@register
class LogSoftmax(TensorOp):
    """out = x - logsumexp(x, axis).   grad_x = grad_out - exp(out) * sum(grad_out, axis)."""

    __slots__ = ("axis", "out")
    name = "log_softmax"
    domain = "real"
    saved = ("out",)
    rule = "grad_x = grad_out - softmax(x) * sum(grad_out, axis)"

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: np.ndarray) -> np.ndarray:
        axis = normalize_axis("log_softmax", self.axis, x.ndim)
        self.axis = axis
        self.out = (x - stable_logsumexp(x, (axis,))).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out - exp(self.out) * grad_out.sum(axis=self.axis, keepdims=True),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x - (exp(self.out) * tangent_x).sum(axis=self.axis, keepdims=True)

    def describe(self) -> str:
        return f"axis={self.axis}"
