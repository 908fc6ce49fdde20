"""Reductions and axis-wise operations on Tensors: sum mean max min prod var std norm
logsumexp, softmax, log_softmax and cumsum. `axis` is None (all axes), an int or a tuple of
ints; `keepdims` as in NumPy.

Ties in `max`/`min` share the gradient equally among the tied elements.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from ..engine.errors import axis_error
from ..engine.node import Node
from ..engine.op import TensorOp, register
from .rule_math import broadcast_to, exp

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

    __slots__ = ("axis", "keepdims", "axes", "in_shape")
    smooth = True

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = bool(keepdims)

    def prepare(self, x: np.ndarray) -> None:
        self.axes = normalize_axes(self.name, self.axis, x.ndim)
        self.in_shape = x.shape

    def grad_kept(self, grad_out: Any) -> Any:
        """`grad_out` reshaped to the keepdims shape, so it broadcasts against the input."""
        if self.keepdims or not grad_out.ndim:  # a 0-d gradient broadcasts as it is
            return grad_out
        return grad_out.reshape(kept_shape(self.in_shape, self.axes))

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
        return (broadcast_to(self.grad_kept(grad_out), self.in_shape),)

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

    __slots__ = ("count", "float16")
    name = "mean"
    domain = "real"
    rule = "d mean(x) = mean(dx);  grad_x = grad_out / n over the averaged axes"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.count = math.prod([x.shape[a] for a in self.axes])
        self.float16 = x.dtype is F16
        return mean_of(x, self.axes, self.keepdims, self.count)

    def vjp(self, grad_out: Any) -> tuple:
        grad = self.grad_kept(grad_out)
        grad = grad * (1.0 / self.count) if self.float16 else grad / self.count
        return (broadcast_to(grad, self.in_shape),)

    def jvp(self, tangent_x: Any) -> Any:
        if isinstance(tangent_x, np.ndarray):
            return mean_of(tangent_x, self.axes, self.keepdims, self.count)
        return tangent_x.mean(axis=self.axes, keepdims=self.keepdims)


class Extreme(Reduction):
    """max / min: the gradient goes to the extreme elements, shared equally among ties."""

    __slots__ = ("share",)
    saved = ("share",)
    smooth = False
    #: The NumPy function whose `reduce` finds the extreme elements.
    pick: ClassVar[np.ufunc]

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        if x.size == 0 and not all(x.shape[a] for a in self.axes):  # nothing to pick from
            raise ValueError(f"{self.name}: cannot reduce an empty tensor of shape {x.shape}")
        out_kept = self.pick.reduce(x, axis=self.axes, keepdims=True)
        hits = x == out_kept
        counts = np.add.reduce(hits, axis=self.axes, keepdims=True, dtype=x.dtype)
        self.share = (hits / counts).astype(x.dtype, copy=False)
        return out_kept if self.keepdims else out_kept.reshape(reduced_shape(x.shape, self.axes))

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
    pick = np.maximum


@register
class Min(Extreme):
    """out = x.min(axis).   grad_x = grad_out at the minimum (split equally among ties)."""

    __slots__ = ()
    name = "min"
    domain = "away_from_kinks"
    rule = "grad_x = grad_out * [x == min] / (number of minima)"
    pick = np.minimum


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


class Normalized(TensorOp):
    """softmax / log_softmax: x normalised along one axis; the output is kept for backward."""

    __slots__ = ("axis", "out")
    saved = ("out",)

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def prepare(self, x: np.ndarray) -> int:
        """Check the axis against x and keep it as a non-negative int."""
        self.axis = normalize_axis(self.name, self.axis, x.ndim)
        return self.axis

    def describe(self) -> str:
        return f"axis={self.axis}"


@register
class Softmax(Normalized):
    """out = exp(x) / sum(exp(x), axis).   grad_x = out * (grad_out - sum(grad_out * out))."""

    __slots__ = ()
    name = "softmax"
    domain = "real"
    rule = "grad_x = s * (grad_out - sum(grad_out * s, axis)),  s = softmax(x)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        axis = self.prepare(x)
        shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
        self.out = (shifted / wide_sum(shifted, axis, True)).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        out = self.out
        return (out * (grad_out - (grad_out * out).sum(axis=self.axis, keepdims=True)),)

    def jvp(self, tangent_x: Any) -> Any:
        out = self.out
        return out * (tangent_x - (out * tangent_x).sum(axis=self.axis, keepdims=True))


@register
class LogSoftmax(Normalized):
    """out = x - logsumexp(x, axis).   grad_x = grad_out - exp(out) * sum(grad_out, axis)."""

    __slots__ = ()
    name = "log_softmax"
    domain = "real"
    rule = "grad_x = grad_out - softmax(x) * sum(grad_out, axis)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        axis = self.prepare(x)
        self.out = (x - stable_logsumexp(x, (axis,))).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out - exp(self.out) * grad_out.sum(axis=self.axis, keepdims=True),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x - (exp(self.out) * tangent_x).sum(axis=self.axis, keepdims=True)


@register
class Prod(Reduction):
    """out = x.prod(axis).   grad_x = grad_out * (the product of the other elements).

    Where the product is a normal, finite number, the product of the others is `out / x`;
    otherwise (a 0 among the inputs, or a product beyond the float range) it is computed from
    running products from both ends, so a single 0 still gets its gradient. Under
    `create_graph` it is built from differentiable ops (see `product_of_others_on_graph`).
    """

    __slots__ = ("x", "out")
    name = "prod"
    # Differentiable everywhere; sampled away from 0 because PyTorch, the tests' oracle, loses
    # second derivatives to underflow there (zeros have tests of their own).
    domain = "nonzero"
    saved = ("x", "out")
    rule = "d prod(x) = sum_i (prod_{j != i} x_j) dx_i;  grad_x = grad_out * prod(x) / x"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.x = x
        self.out = np.multiply.reduce(x, axis=self.axes, keepdims=self.keepdims)
        return self.out

    def others(self) -> Any:
        """The product of the other elements, for each element of x (x's shape)."""
        x = self.x
        if isinstance(x, Node):  # create_graph: out / x would lose x's square to underflow
            return product_of_others_on_graph(x, self.axes)
        out = self.grad_kept(self.out)
        magnitude = np.abs(out)
        if (magnitude >= np.finfo(out.dtype).tiny).all() and np.isfinite(magnitude).all():
            return out / x  # no zero, no overflow, no precision lost to a subnormal product
        return product_of_others(x, self.axes)

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * self.others(),)

    def jvp(self, tangent_x: Any) -> Any:
        return (tangent_x * self.others()).sum(axis=self.axes, keepdims=self.keepdims)


def product_of_others(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """For each element of `x`, the product of the other elements over `axes` (zeros allowed):
    the running product of the elements before it times that of the elements after it."""
    if not axes:
        return np.ones_like(x)
    last = tuple(range(x.ndim - len(axes), x.ndim))
    moved = np.moveaxis(x, axes, last)
    flat = moved.reshape(moved.shape[: x.ndim - len(axes)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=x.dtype)
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis((before * after).reshape(moved.shape), last, axes)


def product_of_others_on_graph(x: Any, axes: tuple[int, ...]) -> Any:
    """`product_of_others` for a Tensor under `create_graph`, written with differentiable ops
    so a second derivative sees it: for each element i, the product of a row that is x with
    x_i replaced by 1 (n rows of n values for the n elements reduced together)."""
    if not axes:
        return x * 0.0 + 1.0
    rest = tuple(a for a in range(x.ndim) if a not in axes)
    order = rest + axes
    moved = x.transpose(order)
    lead = moved.shape[: len(rest)]
    count = math.prod(moved.shape[len(rest):])
    eye = np.eye(count, dtype=x.dtype)
    rows = moved.reshape(lead + (1, count)) * (1.0 - eye) + eye
    others = rows.prod(axis=-1).reshape(moved.shape)
    return others.transpose(tuple(np.argsort(order)))


@register
class Var(Reduction):
    """out = x.var(axis, ddof) = sum((x - mean)^2) / (n - ddof).
    grad_x = grad_out * 2 (x - mean) / (n - ddof)."""

    __slots__ = ("ddof", "x", "divisor")
    name = "var"
    domain = "real"
    saved: tuple[str, ...] = ("x",)
    rule = "grad_x = grad_out * 2 (x - mean(x)) / (n - ddof)"

    def __init__(self, axis: Any = None, keepdims: bool = False, ddof: float = 0) -> None:
        super().__init__(axis, keepdims)
        if isinstance(ddof, bool) or not isinstance(ddof, (int, float, np.integer, np.floating)):
            raise TypeError(f"var: ddof must be a number, got {ddof!r}")
        self.ddof = ddof

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.x = x
        count = math.prod([x.shape[a] for a in self.axes])
        self.divisor = count - self.ddof
        return np.var(x, axis=self.axes, ddof=self.ddof, keepdims=self.keepdims)

    def centered(self) -> Any:
        """x minus its mean over the axes (x's shape), recomputed from the saved x so that a
        second derivative sees how it depends on x."""
        x = self.x
        return x - x.mean(axis=self.axes, keepdims=True)

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * self.centered() * (2.0 / self.divisor),)

    def jvp(self, tangent_x: Any) -> Any:
        change = (self.centered() * tangent_x).sum(axis=self.axes, keepdims=self.keepdims)
        return change * (2.0 / self.divisor)

    def describe(self) -> str:
        extra = super().describe()
        return f"{extra} ddof={self.ddof}".strip() if self.ddof else extra


@register
class Std(Var):
    """out = sqrt(x.var(axis, ddof)).
    grad_x = grad_out * (x - mean) / ((n - ddof) out), and 0 where out is 0 (all values equal,
    where the derivative does not exist: PyTorch's choice)."""

    __slots__ = ("out",)
    name = "std"
    domain = "away_from_kinks"  # a kink where all the values reduced together are equal
    saved: tuple[str, ...] = ("x", "out")
    rule = "grad_x = grad_out (x - mean(x)) / ((n - ddof) std(x));  0 where std(x) = 0"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.sqrt(super().forward(x))
        return self.out

    def scale(self) -> Any:
        """1 / ((n - ddof) std) in the keepdims shape, with 1 in place of a std of 0 (where
        x - mean is 0 too, so the gradient is 0)."""
        out = self.grad_kept(self.out)
        zero = (out._data if isinstance(out, Node) else out) == 0
        return 1.0 / ((out + zero) * self.divisor)

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * self.centered() * self.scale(),)

    def jvp(self, tangent_x: Any) -> Any:
        change = self.centered() * tangent_x * self.scale()
        return change.sum(axis=self.axes, keepdims=self.keepdims)


@register
class Cumsum(TensorOp):
    """out = x.cumsum(axis) (running sums; axis None: over the flattened values).
    grad_x = the running sums of grad_out taken from the end."""

    __slots__ = ("axis", "along", "in_shape")
    name = "cumsum"
    domain = "real"
    rule = "grad_x[i] = sum_{j >= i} grad_out[j] along the axis"

    def __init__(self, axis: Any = None) -> None:
        self.axis = axis

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.in_shape = x.shape
        if self.axis is None:
            self.along = 0
            return np.cumsum(x.reshape(-1))
        self.along = normalize_axis("cumsum", self.axis, x.ndim)
        return np.cumsum(x, axis=self.along)

    def reversed_along(self, a: Any) -> Any:
        """`a` read backwards along the axis (a view for arrays, an indexing op on Tensors)."""
        return a[(slice(None),) * self.along + (slice(None, None, -1),)]

    def vjp(self, grad_out: Any) -> tuple:
        flipped = self.reversed_along(grad_out)
        grad_x = self.reversed_along(flipped.cumsum(axis=self.along))
        return (grad_x.reshape(self.in_shape) if self.axis is None else grad_x,)

    def jvp(self, tangent_x: Any) -> Any:
        if self.axis is None:
            tangent_x = tangent_x.reshape(-1)
        return tangent_x.cumsum(axis=self.along)

    def describe(self) -> str:
        return "" if self.axis is None else f"axis={self.axis}"


@register
class Norm(Reduction):
    """out = sqrt(sum(x^2, axis)), the Euclidean norm (Frobenius for matrices).
    grad_x = grad_out * x / out, and 0 where out is 0 (where the derivative does not exist:
    PyTorch's choice)."""

    __slots__ = ("x", "out")
    name = "norm"
    domain = "nonzero"  # a kink where every value reduced together is 0
    saved = ("x", "out")
    rule = "grad_x = grad_out * x / ||x||;  0 where ||x|| = 0"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.prepare(x)
        self.x = x
        self.out = np.sqrt(np.add.reduce(x * x, axis=self.axes, keepdims=self.keepdims))
        return self.out

    def scale(self) -> Any:
        """1 / out in the keepdims shape, with 1 in place of a norm of 0 (where x is 0)."""
        out = self.grad_kept(self.out)
        zero = (out._data if isinstance(out, Node) else out) == 0
        return 1.0 / (out + zero)

    def vjp(self, grad_out: Any) -> tuple:
        return (self.grad_kept(grad_out) * self.x * self.scale(),)

    def jvp(self, tangent_x: Any) -> Any:
        return (self.x * tangent_x * self.scale()).sum(axis=self.axes, keepdims=self.keepdims)
