"""Elementwise functions on Tensors: exp log sqrt abs sin cos tanh sigmoid relu, and the
selections maximum minimum clip where.

Conventions at kinks: relu'(0) = abs'(0) = 0; where `maximum`/`minimum` tie, each input gets
half the gradient; `clip` passes the gradient where lo <= x <= hi.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..engine.node import Node
from ..engine.op import TensorOp, register
from .arithmetic import broadcasting
from .rule_math import cos, sin, sum_terms, zero_like


@register
class Exp(TensorOp):
    """out = e ** x.   grad_x = grad_out * out."""

    __slots__ = ("out",)
    name = "exp"
    domain = "real"
    saved = ("out",)
    rule = "d exp(x) = exp(x) dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.exp(x)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * self.out,)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * self.out


@register
class Log(TensorOp):
    """out = log(x) (natural).   grad_x = grad_out / x."""

    __slots__ = ("x",)
    name = "log"
    domain = "positive"
    saved = ("x",)
    rule = "d log(x) = dx / x"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return np.log(x)

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out / self.x,)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x / self.x


@register
class Sqrt(TensorOp):
    """out = sqrt(x).   grad_x = grad_out / (2 * out)."""

    __slots__ = ("out",)
    name = "sqrt"
    domain = "positive"
    saved = ("out",)
    rule = "d sqrt(x) = dx / (2 sqrt(x))"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.sqrt(x)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * 0.5 / self.out,)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * 0.5 / self.out


@register
class Abs(TensorOp):
    """out = |x|.   grad_x = grad_out * sign(x), so abs'(0) = 0."""

    __slots__ = ("sign",)
    name = "abs"
    domain = "away_from_kinks"
    saved = ("sign",)
    smooth = False
    rule = "d |x| = sign(x) dx   (0 at x = 0)"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.sign = np.sign(x)
        return np.abs(x)

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * self.sign,)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * self.sign


@register
class Sin(TensorOp):
    """out = sin(x).   grad_x = grad_out * cos(x)."""

    __slots__ = ("x",)
    name = "sin"
    domain = "real"
    saved = ("x",)
    rule = "d sin(x) = cos(x) dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return np.sin(x)

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * cos(self.x),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * cos(self.x)


@register
class Cos(TensorOp):
    """out = cos(x).   grad_x = -grad_out * sin(x)."""

    __slots__ = ("x",)
    name = "cos"
    domain = "real"
    saved = ("x",)
    rule = "d cos(x) = -sin(x) dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return np.cos(x)

    def vjp(self, grad_out: Any) -> tuple:
        return (-grad_out * sin(self.x),)

    def jvp(self, tangent_x: Any) -> Any:
        return -tangent_x * sin(self.x)


@register
class Tanh(TensorOp):
    """out = tanh(x).   grad_x = grad_out * (1 - out ** 2)."""

    __slots__ = ("out",)
    name = "tanh"
    domain = "real"
    saved = ("out",)
    rule = "d tanh(x) = (1 - tanh(x)^2) dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.tanh(x)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * (1 - self.out * self.out),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * (1 - self.out * self.out)


@register
class Sigmoid(TensorOp):
    """out = 1 / (1 + e ** -x), without overflow.   grad_x = grad_out * out * (1 - out)."""

    __slots__ = ("out",)
    name = "sigmoid"
    domain = "real"
    saved = ("out",)
    rule = "d sigmoid(x) = sigmoid(x) (1 - sigmoid(x)) dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        # exp(-log(1 + e^-x)) never overflows: logaddexp is stable for large |x|.
        self.out = np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out * self.out * (1 - self.out),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * self.out * (1 - self.out)


@register
class Relu(TensorOp):
    """out = max(x, 0).   grad_x = grad_out where x > 0, else 0 (so relu'(0) = 0)."""

    __slots__ = ("out",)
    name = "relu"
    domain = "away_from_kinks"
    saved = ("out",)
    smooth = False
    rule = "d relu(x) = [x > 0] dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.maximum(x, zero_like(x))
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        # [x > 0] read from the output: out > 0 exactly where x > 0 and not at x = 0, so
        # relu'(0) = 0. The comparison gives a boolean array (also when out is a Tensor).
        return (grad_out * (self.out > zero_like(self.out)),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x * (self.out > zero_like(self.out))


def tie_weights(x: np.ndarray, y: np.ndarray, wins: np.ndarray) -> np.ndarray:
    """1 where x wins, 0 where y wins, 0.5 at ties (the gradient share x gets)."""
    share = np.asarray(wins, dtype=np.result_type(x, y))
    return np.where(x == y, share.dtype.type(0.5), share)


class Selection(TensorOp):
    """An op whose output takes each element from x or from y (maximum, minimum, where).

    `share` (the output's shape) is the part of each element's gradient that x gets: 1 where
    the element came from x, 0 where it came from y (1/2 where maximum or minimum tie); y
    gets the rest.   grad_x = grad_out * share, grad_y = grad_out * (1 - share).
    """

    __slots__ = ("share",)
    saved = ("share",)
    share: Any  # an array, or a graph node under create_graph

    def vjp(self, grad_out: Any) -> tuple:
        needs_x, needs_y = self.needs_grad
        grad_x = grad_out * self.share if needs_x else None
        grad_y = grad_out * (1 - self.share) if needs_y else None
        return grad_x, grad_y

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(
            None if tangent_x is None else tangent_x * self.share,
            None if tangent_y is None else tangent_y * (1 - self.share),
        )


class ElementwiseExtreme(Selection):
    """maximum / minimum: the larger (smaller) of x and y, elementwise, ties split 1/2 : 1/2."""

    __slots__ = ()
    smooth = False
    #: The NumPy function that picks the output, and the comparison that says where x wins.
    pick: ClassVar[np.ufunc]
    wins: ClassVar[np.ufunc]

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = broadcasting(self.pick, self.name, x, y)
        self.share = tie_weights(x, y, self.wins(x, y))
        return out


@register
class Maximum(ElementwiseExtreme):
    """out = max(x, y) elementwise.   grad_x = grad_out * [x > y], ties split 1/2 : 1/2."""

    __slots__ = ()
    broadcasts = True
    name = "maximum"
    domain = "away_from_kinks"
    rule = "d max(x, y) = [x > y] dx + [y > x] dy   (1/2 each at ties)"
    pick = np.maximum
    wins = np.greater


@register
class Minimum(ElementwiseExtreme):
    """out = min(x, y) elementwise.   grad_x = grad_out * [x < y], ties split 1/2 : 1/2."""

    __slots__ = ()
    broadcasts = True
    name = "minimum"
    domain = "away_from_kinks"
    rule = "d min(x, y) = [x < y] dx + [y < x] dy   (1/2 each at ties)"
    pick = np.minimum
    wins = np.less


@register
class Clip(TensorOp):
    """out = min(max(x, a_min), a_max).   grad_x = grad_out where a_min <= x <= a_max, else 0.

    A bound is a constant (a number or an array, or None for no bound) or a Tensor. Tensor
    bounds are inputs of the op after `x` (in the order a_min, a_max) and are differentiated
    as PyTorch's `clamp` does: grad_a_min = grad_out where x < a_min < a_max, grad_a_max =
    grad_out where x > a_max or a_max < a_min (then a_max wins, as in `min(max(x, lo), hi)`).
    Where a_min == a_max and x lies outside, no input gets a gradient (PyTorch's rule).
    """

    __slots__ = ("a_min", "a_max", "tensor_bounds", "mask", "min_mask", "max_mask")
    broadcasts = True
    name = "clip"
    domain = "away_from_kinks"
    saved = ("mask", "min_mask", "max_mask")
    smooth = False
    rule = ("d clip(x, lo, hi) = [lo <= x <= hi] dx + [x < lo < hi] dlo "
            "+ [x > hi or hi < lo] dhi")

    def __init__(self, a_min: Any, a_max: Any) -> None:
        if a_min is None and a_max is None:
            raise ValueError("clip: give a_min, a_max or both (both are None)")
        #: which bounds are Tensors, fed to `forward` after x (their values come from there)
        self.tensor_bounds = tuple(name for name, bound in (("a_min", a_min), ("a_max", a_max))
                            if isinstance(bound, Node))
        self.a_min = None if "a_min" in self.tensor_bounds else a_min
        self.a_max = None if "a_max" in self.tensor_bounds else a_max
        self.min_mask: np.ndarray | None = None
        self.max_mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, *bounds: np.ndarray) -> np.ndarray:
        given = dict(zip(self.tensor_bounds, bounds))
        lo = given.get("a_min", self.a_min)
        hi = given.get("a_max", self.a_max)
        if not self.tensor_bounds:  # constant bounds: the output has x's shape and dtype
            inside = np.ones(x.shape, dtype=bool)
            if lo is not None:
                inside &= x >= lo
            if hi is not None:
                inside &= x <= hi
            self.mask = inside.astype(x.dtype)
            out = np.clip(x, lo, hi)
            # float bounds keep a float x's dtype; an integer x clipped at 0.5 is float, as in
            # NumPy and PyTorch (never truncated back to integers)
            return out.astype(x.dtype, copy=False) if x.dtype.kind == "f" else out
        try:
            out = np.clip(x, lo, hi)
        except ValueError:
            from ..engine.errors import broadcast_error

            shapes = [np.shape(a) for a in (x, lo, hi) if a is not None and np.ndim(a)]
            raise broadcast_error("clip", *shapes) from None
        dtype = out.dtype
        inside = np.ones(out.shape, dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        self.mask = inside.astype(dtype)
        if "a_min" in self.tensor_bounds:
            below = x < lo if hi is None else (x < lo) & (lo < hi)
            self.min_mask = np.broadcast_to(below, out.shape).astype(dtype)
        if "a_max" in self.tensor_bounds:
            above = x > hi if lo is None else (x > hi) | (hi < lo)
            self.max_mask = np.broadcast_to(above, out.shape).astype(dtype)
        return out

    def vjp(self, grad_out: Any) -> tuple:
        grads = [grad_out * self.mask]
        if "a_min" in self.tensor_bounds:
            grads.append(grad_out * self.min_mask)
        if "a_max" in self.tensor_bounds:
            grads.append(grad_out * self.max_mask)
        return tuple(grads)

    def jvp(self, tangent_x: Any, *tangent_bounds: Any) -> Any:
        masks = [self.mask] + [self.min_mask if name == "a_min" else self.max_mask
                               for name in self.tensor_bounds]
        terms = [None if t is None else t * m
                 for t, m in zip((tangent_x, *tangent_bounds), masks)]
        return sum_terms(*terms)

    def describe(self) -> str:
        lo = "tensor" if "a_min" in self.tensor_bounds else self.a_min
        hi = "tensor" if "a_max" in self.tensor_bounds else self.a_max
        return f"[{lo}, {hi}]"


@register
class Where(Selection):
    """out = x where condition else y.   grad_x = grad_out * cond, grad_y = grad_out * (1 - cond).

    The condition is a constant (a boolean array), not an input of the graph; it is kept as
    `share`, the condition in the output's dtype.
    """

    __slots__ = ()
    broadcasts = True
    name = "where"
    domain = "real"
    smooth = True
    rule = "d where(c, x, y) = [c] dx + [not c] dy"

    def __init__(self, condition: np.ndarray) -> None:
        self.share = np.asarray(condition, dtype=bool)

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        try:
            out = np.where(self.share, x, y)
        except ValueError:
            from ..engine.errors import broadcast_error

            raise broadcast_error("where", self.share.shape, x.shape, y.shape) from None
        self.share = self.share.astype(out.dtype)
        return out
