"""Arithmetic on Tensors: + - * / ** and unary minus, with NumPy broadcasting.

Each vjp may return a gradient in the broadcast shape; the engine sums it back to each
input's shape (see `engine.backward.sum_to_shape`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine.errors import broadcast_error
from ..engine.op import TensorOp, register
from .rule_math import data_of, log, sum_terms


def broadcast_failure(name: str, x: np.ndarray, y: np.ndarray, error: ValueError) -> ValueError:
    """The error to raise for `ufunc(x, y)` failing: in the user's terms when the shapes do
    not broadcast, else `error` itself."""
    if x.ndim and y.ndim:
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return broadcast_error(name, x.shape, y.shape)
    return error


def broadcasting(ufunc: Callable, name: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """`ufunc(x, y)`, with a broadcast mismatch reported in the user's terms."""
    try:
        return ufunc(x, y)
    except ValueError as error:
        raise broadcast_failure(name, x, y, error) from None


@register
class Add(TensorOp):
    """out = x + y.   grad_x = grad_out, grad_y = grad_out (summed over broadcast axes)."""

    __slots__ = ()
    broadcasts = True
    name = "add"
    domain = "real"
    rule = "d(x + y) = dx + dy"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return broadcasting(np.add, "add", x, y)

    def vjp(self, grad_out: Any) -> tuple:
        return grad_out, grad_out

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(tangent_x, tangent_y)


@register
class Sub(TensorOp):
    """out = x - y.   grad_x = grad_out, grad_y = -grad_out."""

    __slots__ = ()
    broadcasts = True
    name = "sub"
    domain = "real"
    rule = "d(x - y) = dx - dy"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return broadcasting(np.subtract, "sub", x, y)

    def vjp(self, grad_out: Any) -> tuple:
        return grad_out, (-grad_out if self.needs_grad[1] else None)

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(tangent_x, None if tangent_y is None else -tangent_y)


@register
class Mul(TensorOp):
    """out = x * y.   grad_x = grad_out * y, grad_y = grad_out * x."""

    __slots__ = ("x", "y")
    broadcasts = True
    name = "mul"
    domain = "real"
    saved = ("x", "y")
    rule = "d(x * y) = y dx + x dy"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.x = x
        self.y = y
        return broadcasting(np.multiply, "mul", x, y)

    def vjp(self, grad_out: Any) -> tuple:
        needs_x, needs_y = self.needs_grad
        grad_x = grad_out * self.y if needs_x else None
        grad_y = grad_out * self.x if needs_y else None
        return grad_x, grad_y

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(
            None if tangent_x is None else tangent_x * self.y,
            None if tangent_y is None else self.x * tangent_y,
        )


@register
class Div(TensorOp):
    """out = x / y.   grad_x = grad_out / y, grad_y = -grad_out * out / y."""

    __slots__ = ("y", "out")
    broadcasts = True
    name = "div"
    domain = ("real", "nonzero")
    saved = ("y", "out")
    rule = "d(x / y) = dx / y - (x / y^2) dy"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.y = y
        self.out = broadcasting(np.divide, "div", x, y)
        return self.out

    def vjp(self, grad_out: Any) -> tuple:
        needs_x, needs_y = self.needs_grad
        grad_x = grad_out / self.y if needs_x else None
        grad_y = -grad_out * self.out / self.y if needs_y else None
        return grad_x, grad_y

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(
            None if tangent_x is None else tangent_x / self.y,
            None if tangent_y is None else -tangent_y * self.out / self.y,
        )


def has_zero(a: np.ndarray) -> bool:
    """Whether some element of `a` is 0 (a 0-d exponent, the usual case, without a reduction)."""
    if a.ndim == 0:
        return not a
    return not a.all()


@register
class Pow(TensorOp):
    """out = x ** y.   grad_x = grad_out * y * x ** (y - 1), grad_y = grad_out * out * log(x).

    At a zero base the formulas meet 0 * inf; PyTorch's values are used there: grad_x is 0
    where x == 0 and y == 0 (x ** 0 is 1 everywhere), grad_y is 0 where x == 0 and y >= 0
    (0 ** y is constant for y > 0). Both are written so that second derivatives stay finite
    where PyTorch's are (the base or exponent is shifted to 1 at those points, never
    multiplied by 0 after an inf). The gradient for `y` is computed only when `y` requires
    grad (log(x) is undefined for x < 0, where only a constant exponent makes sense).
    """

    __slots__ = ("x", "y", "out")
    broadcasts = True
    name = "pow"
    domain = ("positive", "real")
    saved = ("x", "y", "out")
    rule = ("d(x^y) = y x^(y-1) dx + x^y log(x) dy   (at x = 0: no dx term when y = 0, "
            "no dy term when y >= 0)")

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.x = x
        self.y = y
        self.out = broadcasting(np.power, "pow", x, y)
        return self.out

    def times_dx(self, scale: Any) -> Any:
        """scale * d(x ** y)/dx = scale * y * x ** (y - 1), with 0 where x == y == 0."""
        x, y = self.x, self.y
        y_data = data_of(y)
        if has_zero(y_data):
            both_zero = (data_of(x) == 0) & (y_data == 0)
            if both_zero.any():
                # x ** 0 there instead of 0 ** -1 (inf, and 0 * inf is nan): y = 0 makes the
                # slope 0, and the shifted power's own derivatives stay finite.
                return scale * y * x ** (y - 1 + both_zero.astype(y_data.dtype))
        return scale * y * x ** (y - 1)

    def times_dy(self, scale: Any) -> Any:
        """scale * d(x ** y)/dy = scale * out * log(x), with 0 where x == 0 and y >= 0."""
        x, y = self.x, self.y
        x_data = data_of(x)
        if has_zero(x_data):
            flat = (x_data == 0) & (data_of(y) >= 0)
            if flat.any():
                # log(1) = 0 there instead of out * log(0) = 0 * -inf (or 1 * -inf at y = 0).
                return scale * self.out * log(x + flat.astype(x_data.dtype))
        return scale * self.out * log(x)

    def vjp(self, grad_out: Any) -> tuple:
        needs_x, needs_y = self.needs_grad
        grad_x = self.times_dx(grad_out) if needs_x else None
        grad_y = self.times_dy(grad_out) if needs_y else None
        return grad_x, grad_y

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(
            None if tangent_x is None else self.times_dx(tangent_x),
            None if tangent_y is None else self.times_dy(tangent_y),
        )


@register
class Neg(TensorOp):
    """out = -x.   grad_x = -grad_out."""

    __slots__ = ()
    name = "neg"
    domain = "real"
    rule = "d(-x) = -dx"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.negative(x)

    def vjp(self, grad_out: Any) -> tuple:
        return (-grad_out,)

    def jvp(self, tangent_x: Any) -> Any:
        return -tangent_x


@register
class Mod(TensorOp):
    """out = x % y (NumPy's `mod`: the result has the sign of y).
    grad_x = grad_out, grad_y = -grad_out * floor(x / y).

    The quotient floor(x / y) is a step function: it is kept as a constant, and the
    derivative does not exist where x / y is a whole number (where the result jumps).
    """

    __slots__ = ("quotient",)
    broadcasts = True
    name = "mod"
    domain = ("away_from_kinks", "positive")
    saved = ("quotient",)
    rule = "d(x mod y) = dx - floor(x / y) dy"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.quotient = broadcasting(np.floor_divide, "mod", x, y)
        return np.mod(x, y)

    def vjp(self, grad_out: Any) -> tuple:
        return grad_out, -grad_out * self.quotient

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        return sum_terms(tangent_x, None if tangent_y is None else -tangent_y * self.quotient)
