"""`Value`: one Python float that records the operations made with it (micrograd-style, on
the same engine as `Tensor`), for watching backprop one number at a time."""

from __future__ import annotations

import inspect
from typing import Any

from .engine.anomaly import AnomalyMode, check_forward
from .engine.backward import run_backward
from .engine.grad_mode import GRAD_MODE
from .engine.gradients import seed_gradient
from .engine.node import Node, next_id
from .engine.op import Op
from .ops.scalar import (
    ScalarAdd,
    ScalarDiv,
    ScalarExp,
    ScalarLog,
    ScalarMul,
    ScalarNeg,
    ScalarPow,
    ScalarRelu,
    ScalarSigmoid,
    ScalarSub,
    ScalarTanh,
)

_new = object.__new__

#: Add, sub and neg save nothing for backward, so one instance of each serves every node they
#: make (the other ops keep their floats on an instance of their own, one per node).
ADD = ScalarAdd()
SUB = ScalarSub()
NEG = ScalarNeg()


def new_value(data: float, op: Op, parents: tuple[Value, ...]) -> Value:
    """A Value made by `op` from `parents` (recorded unless grad mode is off)."""
    out = _new(Value)
    out._data = data
    out.grad = 0.0
    out._hooks = None
    out.id = next_id()
    out.label = ""
    out.keeps_grad = True
    if AnomalyMode.enabled:
        check_forward(out, op)
    if GRAD_MODE.enabled:
        out.parents = parents
        out._op = op
        out.requires_grad = True
    else:
        out.parents = ()
        out._op = None
        out.requires_grad = False
    return out


def constant(data: float) -> Value:
    """A Value that no gradient flows into (a number used in an operation), holding `data`."""
    const = _new(Value)
    const._data = data
    const.grad = 0.0
    const.parents = ()
    const._op = None
    const.requires_grad = False
    const.keeps_grad = False
    const._hooks = None
    const.id = next_id()
    const.label = ""
    return const


def as_value(other: Any) -> Value:
    """`other` as a Value; a plain number becomes a constant (no gradient flows into it)."""
    kind = type(other)
    if kind is Value:  # the common cases first, without a call: `y * w`, `y * 0.999`, `1 - y`
        return other
    if kind is float:
        return constant(other)
    if kind is int:
        try:
            return constant(float(other))
        except OverflowError:
            raise int_too_large(other) from None
    if isinstance(other, Value):
        return other
    if isinstance(other, Node):
        raise TypeError("cannot mix a Value with a Tensor in one operation; use Tensor ops")
    try:
        if isinstance(other, (str, bytes)):  # float("2") would parse it: 1.0 * "2" is an error
            raise TypeError
        data = float(other)
    except OverflowError:
        raise int_too_large(other) from None
    except (TypeError, ValueError):
        raise TypeError(
            f"unsupported operand for a Value: {other!r}; a Value combines with Values and real "
            "numbers (int or float)"
        ) from None
    return constant(data)


def int_too_large(number: Any) -> OverflowError:
    """The error for an integer beyond what a float holds (about 1.8e308)."""
    digits = str(number)
    shown = digits if len(digits) <= 24 else \
        f"{digits[:12]}...{digits[-4:]} ({len(digits.lstrip('-'))} digits)"
    return OverflowError(
        f"Value: the integer {shown} is too large for a float (largest about 1.8e+308); scale "
        "it down first (e.g. divide it by a power of ten with //)"
    )


def binary(op: Op, x: Value, y: Value) -> Value:
    """Run a two-input scalar op and record it."""
    return new_value(op.forward(x._data, y._data), op, (x, y))


def unary(op: Op, x: Value) -> Value:
    """Run a one-input scalar op and record it."""
    return new_value(op.forward(x._data), op, (x,))


def refuse_arguments(label: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Explain a call `Value(data, ...)` that is not `Value(data, label="")`.

    micrograd's Value takes `(data, _children=(), _op='')` (and `label` in its lecture), and
    learners who add an operation to it write `Value(t, (self,), 'tanh')` plus a `_backward`
    closure. Accepting the children here would make a node whose gradient rule is missing: a
    wrong gradient with no error. So the call is refused with what to write instead.
    """
    micrograd = isinstance(label, (tuple, list, set, frozenset)) or "_children" in kwargs \
        or "_op" in kwargs or bool(args)
    if micrograd:
        raise TypeError(
            "Value(data, children, op) is micrograd's way to record an operation by hand, with "
            "a _backward closure; here the second argument of Value is its label (a string) and "
            "operations record themselves. Build the result from existing operations "
            "(a * b, x.tanh(), x.exp(), x ** 2, ...), or define the operation once as a "
            "Function subclass with forward(self, x) and vjp(self, grad_out) and call "
            "MyOp.apply(x) (see the porting guide, docs/porting.md)"
        )
    if kwargs:
        names = ", ".join(sorted(kwargs))
        raise TypeError(f"Value: unexpected argument(s) {names}; Value takes data and label "
                        "(Value(2.0, label='a'))")
    raise TypeError(f"Value: label must be a string, got {label!r}")


class Value(Node):
    """A scalar that records its computation graph.

    `Value(data, label="")`: `.data` and `.grad` are Python floats (`.grad` is 0.0 until a
    backward reaches the node), `.op` names the op that made it (`""` for a leaf) and
    `.parents` lists its inputs in order.
    """

    __slots__ = ()

    def __init__(self, data: Any, label: str = "", *args: Any, **kwargs: Any) -> None:
        if args or kwargs or not isinstance(label, str):
            refuse_arguments(label, args, kwargs)
        if isinstance(data, Value):
            data = data._data
        try:
            if isinstance(data, (str, bytes)):  # float("2.5") would parse it
                raise TypeError
            self._data = float(data)
        except OverflowError:
            raise int_too_large(data) from None
        except (TypeError, ValueError):
            raise TypeError(f"Value: data must be a real number, got {data!r}") from None
        self.grad = 0.0
        self.parents = ()
        self._op = None
        self.requires_grad = True
        self.keeps_grad = True
        self._hooks = None
        self.id = next_id()
        self.label = str(label)

    # `*args, **kwargs` only catch micrograd's call to explain it (`refuse_arguments`); help()
    # and editors show the signature to use.
    __init__.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("data", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("label", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=""),
    ])

    @property
    def data(self) -> float:
        """The value, a Python float."""
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = float(value)

    def wrap_constant(self, value: Any) -> Value:
        """`value` as a constant Value (the engine's hook for constants)."""
        return as_value(float(value))

    def backward(self) -> None:
        """Add d(self)/d(node) into `.grad` of every node of the graph (self's grad gets 1.0).

        Running it again adds the same amounts again: leaves and intermediates alike are
        counted once per call. Raises `RuntimeError` for a Value that records no graph (made
        under `no_grad()`), as `Tensor.backward` does.
        """
        run_backward(self, seed_gradient(self, None, "backward"))

    def __repr__(self) -> str:
        parts = [f"data={self._data:.6g}", f"grad={self.grad:.6g}"]
        if self.label:
            parts.append(f"label={self.label!r}")
        if self._op is not None:
            parts.append(f"op={self._op.name}")
        return "Value(" + ", ".join(parts) + ")"

    def __float__(self) -> float:
        return self._data

    # ----- arithmetic --------------------------------------------------------------------
    def __add__(self, other: Any) -> Value:
        return binary(ADD, self, as_value(other))

    def __radd__(self, other: Any) -> Value:
        return binary(ADD, as_value(other), self)

    def __sub__(self, other: Any) -> Value:
        return binary(SUB, self, as_value(other))

    def __rsub__(self, other: Any) -> Value:
        return binary(SUB, as_value(other), self)

    def __mul__(self, other: Any) -> Value:
        return binary(ScalarMul(), self, as_value(other))

    def __rmul__(self, other: Any) -> Value:
        return binary(ScalarMul(), as_value(other), self)

    def __truediv__(self, other: Any) -> Value:
        return binary(ScalarDiv(), self, as_value(other))

    def __rtruediv__(self, other: Any) -> Value:
        return binary(ScalarDiv(), as_value(other), self)

    def __pow__(self, other: Any) -> Value:
        exponent = as_value(other)
        return binary(ScalarPow(exponent.requires_grad), self, exponent)

    def __rpow__(self, other: Any) -> Value:
        return binary(ScalarPow(True), as_value(other), self)

    def __neg__(self) -> Value:
        return unary(NEG, self)

    def __pos__(self) -> Value:
        return self

    # ----- functions ---------------------------------------------------------------------
    def relu(self) -> Value:
        """max(x, 0) (gradient 0 at 0)."""
        return unary(ScalarRelu(), self)

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return unary(ScalarTanh(), self)

    def sigmoid(self) -> Value:
        """1 / (1 + e ** -x), without overflow (Value(800).sigmoid() is 1.0)."""
        return unary(ScalarSigmoid(), self)

    def exp(self) -> Value:
        """e ** x (inf on overflow)."""
        return unary(ScalarExp(), self)

    def log(self) -> Value:
        """Natural logarithm."""
        return unary(ScalarLog(), self)
