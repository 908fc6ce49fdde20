"""Ops on `Value` (one Python float each), written with the `math` module for speed.

They mirror the Tensor ops one for one and share the engine; the floats they save are tiny
and never freed, so `backward()` can run through a Value graph again (gradients add up).
Value graphs are differentiated in reverse mode only (forward mode, `jvp`, runs on Tensors:
the transforms take floats and arrays and record Tensor ops), so these ops have no `jvp`.
"""

from __future__ import annotations

import math
from operator import mul

from ..engine.op import ScalarOp, register


def safe_pow(x: float, y: float) -> float:
    """x ** y as a real number, with NumPy's answers where `math.pow` would raise:
    nan for a negative base with a fractional exponent, +-inf for overflow and for 0 ** -y
    (-inf for -0.0 ** an odd negative integer)."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return -math.inf if x < 0.0 and y.is_integer() and y % 2 == 1 else math.inf
    except ValueError:
        if x != 0.0:
            return math.nan
        odd = y.is_integer() and y % 2 == 1
        return -math.inf if odd and math.copysign(1.0, x) < 0.0 else math.inf


def safe_exp(x: float) -> float:
    """e ** x, inf instead of OverflowError."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def safe_log(x: float) -> float:
    """log(x), -inf at 0 and nan below 0 (as NumPy), instead of a ValueError."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


@register
class ScalarAdd(ScalarOp):
    """out = x + y.   grad_x = grad_y = grad_out."""

    __slots__ = ()
    name = "add"
    domain = "real"
    rule = "d(x + y) = dx + dy"

    def forward(self, x: float, y: float) -> float:
        return x + y

    def vjp(self, grad_out: float) -> tuple:
        return grad_out, grad_out


@register
class ScalarSub(ScalarOp):
    """out = x - y.   grad_x = grad_out, grad_y = -grad_out."""

    __slots__ = ()
    name = "sub"
    domain = "real"
    rule = "d(x - y) = dx - dy"

    def forward(self, x: float, y: float) -> float:
        return x - y

    def vjp(self, grad_out: float) -> tuple:
        return grad_out, -grad_out


@register
class ScalarMul(ScalarOp):
    """out = x * y.   grad_x = grad_out * y, grad_y = grad_out * x."""

    __slots__ = ("x", "y")
    name = "mul"
    domain = "real"
    saved = ("x", "y")
    rule = "d(x * y) = y dx + x dy"

    def forward(self, x: float, y: float) -> float:
        self.x = x
        self.y = y
        return x * y

    def vjp(self, grad_out: float) -> tuple:
        return grad_out * self.y, grad_out * self.x


@register
class ScalarDiv(ScalarOp):
    """out = x / y.   grad_x = grad_out / y, grad_y = -grad_out * out / y."""

    __slots__ = ("y", "out")
    name = "div"
    domain = ("real", "nonzero")
    saved = ("y", "out")
    rule = "d(x / y) = dx / y - (x / y^2) dy"

    def forward(self, x: float, y: float) -> float:
        if y == 0.0:
            raise ZeroDivisionError(
                "div: division of a Value by zero; keep the divisor away from 0 (e.g. add a "
                "small epsilon) or use Tensors, which follow NumPy (inf or nan)"
            )
        self.y = y
        self.out = x / y
        return self.out

    def vjp(self, grad_out: float) -> tuple:
        return grad_out / self.y, -grad_out * self.out / self.y


@register
class ScalarPow(ScalarOp):
    """out = x ** y.   grad_x = grad_out * y * x ** (y - 1), grad_y = grad_out * out * log(x).

    As for Tensors (and PyTorch): grad_x is 0 where y == 0 and grad_y is 0 where x == 0 and
    y >= 0. grad_y is computed only when the exponent is a Value that needs it (not a plain
    number).
    """

    __slots__ = ("x", "y", "out", "exponent_needs_grad")
    name = "pow"
    domain = ("positive", "real")
    saved = ("x", "y", "out")
    rule = ("d(x^y) = y x^(y-1) dx + x^y log(x) dy   (at x = 0: no dx term when y = 0, "
            "no dy term when y >= 0)")

    def __init__(self, exponent_needs_grad: bool) -> None:
        self.exponent_needs_grad = exponent_needs_grad

    def forward(self, x: float, y: float) -> float:
        self.x = x
        self.y = y
        self.out = safe_pow(x, y)
        return self.out

    def slope_y(self) -> float:
        """d(x ** y)/dy = out * log(x), and 0 where x == 0 and y >= 0 (PyTorch's value: 0 ** y
        is constant for y > 0), not 0 * -inf."""
        if self.x == 0.0 and self.y >= 0.0:
            return 0.0
        return self.out * safe_log(self.x)

    def vjp(self, grad_out: float) -> tuple:
        grad_x = grad_out * self.y * safe_pow(self.x, self.y - 1.0) if self.y else 0.0
        grad_y = grad_out * self.slope_y() if self.exponent_needs_grad else None
        return grad_x, grad_y


@register
class ScalarNeg(ScalarOp):
    """out = -x.   grad_x = -grad_out."""

    __slots__ = ()
    name = "neg"
    domain = "real"
    rule = "d(-x) = -dx"

    def forward(self, x: float) -> float:
        return -x

    def vjp(self, grad_out: float) -> tuple:
        return (-grad_out,)


@register
class ScalarRelu(ScalarOp):
    """out = max(x, 0).   grad_x = grad_out if x > 0 else 0 (relu'(0) = 0)."""

    __slots__ = ("x",)
    name = "relu"
    domain = "away_from_kinks"
    saved = ("x",)
    smooth = False
    rule = "d relu(x) = [x > 0] dx"

    def forward(self, x: float) -> float:
        self.x = x
        return x if x > 0.0 else 0.0

    def vjp(self, grad_out: float) -> tuple:
        return (grad_out if self.x > 0.0 else 0.0,)


@register
class ScalarTanh(ScalarOp):
    """out = tanh(x).   grad_x = grad_out * (1 - out ** 2)."""

    __slots__ = ("out",)
    name = "tanh"
    domain = "real"
    saved = ("out",)
    rule = "d tanh(x) = (1 - tanh(x)^2) dx"

    def forward(self, x: float) -> float:
        self.out = math.tanh(x)
        return self.out

    def vjp(self, grad_out: float) -> tuple:
        return (grad_out * (1.0 - self.out * self.out),)


@register
class ScalarSigmoid(ScalarOp):
    """out = 1 / (1 + e ** -x), without overflow.   grad_x = grad_out * out * (1 - out)."""

    __slots__ = ("out",)
    name = "sigmoid"
    domain = "real"
    saved = ("out",)
    rule = "d sigmoid(x) = sigmoid(x) (1 - sigmoid(x)) dx"

    def forward(self, x: float) -> float:
        if x >= 0.0:
            self.out = 1.0 / (1.0 + safe_exp(-x))
        else:
            e = safe_exp(x)
            self.out = e / (1.0 + e)
        return self.out

    def vjp(self, grad_out: float) -> tuple:
        return (grad_out * self.out * (1.0 - self.out),)


@register
class ScalarExp(ScalarOp):
    """out = e ** x.   grad_x = grad_out * out."""

    __slots__ = ("out",)
    name = "exp"
    domain = "real"
    saved = ("out",)
    rule = "d exp(x) = exp(x) dx"

    def forward(self, x: float) -> float:
        self.out = safe_exp(x)
        return self.out

    def vjp(self, grad_out: float) -> tuple:
        return (grad_out * self.out,)


@register
class ScalarLog(ScalarOp):
    """out = log(x).   grad_x = grad_out / x."""

    __slots__ = ("x",)
    name = "log"
    domain = "positive"
    saved = ("x",)
    rule = "d log(x) = dx / x"

    def forward(self, x: float) -> float:
        self.x = x
        return safe_log(x)

    def vjp(self, grad_out: float) -> tuple:
        return (grad_out / self.x if self.x else math.copysign(math.inf, grad_out),)


@register
class ScalarLinear(ScalarOp):
    """out = w[0] * x[0] + ... + w[n-1] * x[n-1] + b: a neuron's pre-activation, one node.

    Its inputs, in order: the n weights, the n inputs, then the bias b when there is one.
    grad_w[i] = grad_out * x[i], grad_x[i] = grad_out * w[i], grad_b = grad_out.
    """

    __slots__ = ("w", "x", "has_bias")
    name = "linear"
    domain = "real"
    saved = ("w", "x")
    rule = "d(w . x + b) = x . dw + w . dx + db"

    def forward(self, w: tuple[float, ...], x: tuple[float, ...], b: float | None = None) -> float:
        self.w = w
        self.x = x
        self.has_bias = b is not None
        if b is None:
            return float(sum(map(mul, w, x)))
        return sum(map(mul, w, x), b)  # b + w[0] x[0] + ...: the order of a product-by-product sum

    def vjp(self, grad_out: float) -> tuple:
        grad_w = [grad_out * xi for xi in self.x]
        grad_x = [grad_out * wi for wi in self.w]
        if self.has_bias:
            return (*grad_w, *grad_x, grad_out)
        return (*grad_w, *grad_x)
