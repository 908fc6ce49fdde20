"""Every registered Value op: derivatives against central differences."""

from __future__ import annotations

import math

import pytest

from autograd_lite import Value
from autograd_lite.nn.scalar import linear

# (op name, function of Values, input values)
SCALAR_CASES = [
    ("add", lambda a, b: a + b, (1.5, -0.7)),
    ("add", lambda a: 2.0 + a, (0.3,)),
    ("sub", lambda a, b: a - b, (1.5, -0.7)),
    ("sub", lambda a: 1.0 - a, (0.3,)),
    ("mul", lambda a, b: a * b, (1.5, -0.7)),
    ("mul", lambda a: a * a, (-1.3,)),
    ("div", lambda a, b: a / b, (1.5, -0.7)),
    ("div", lambda a: 2.0 / a, (0.4,)),
    ("pow", lambda a: a ** 3, (-1.3,)),
    ("pow", lambda a, b: a ** b, (1.7, 0.6)),
    ("pow", lambda a: 2 ** a, (0.9,)),
    ("neg", lambda a: -a, (0.8,)),
    ("relu", lambda a: a.relu(), (0.8,)),
    ("relu", lambda a: a.relu(), (-0.8,)),
    ("tanh", lambda a: a.tanh(), (0.4,)),
    ("sigmoid", lambda a: a.sigmoid(), (-0.9,)),
    ("exp", lambda a: a.exp(), (0.6,)),
    ("log", lambda a: a.log(), (1.7,)),
    ("linear", lambda w0, w1, x0, x1, b: linear([w0, w1], [x0, x1], b), (0.3, -1.2, 0.5, 2.0, 0.1)),
    ("linear", lambda w0, w1, x0: linear([w0, w1], [x0, 1.5]), (0.3, -1.2, 0.5)),  # no bias
    ("linear", lambda w, x: linear([w, w], [x, x], w), (0.7, -0.4)),  # fan-out into one node
]


def numeric(fn, values, i, eps=1e-6):
    up = list(values)
    down = list(values)
    up[i] += eps
    down[i] -= eps
    return (fn(*map(Value, up)).data - fn(*map(Value, down)).data) / (2 * eps)


@pytest.mark.parametrize("op, fn, values", SCALAR_CASES,
                         ids=lambda x: x if isinstance(x, str) else "")
def test_scalar_op_gradients(op, fn, values):
    inputs = [Value(v) for v in values]
    out = fn(*inputs)
    assert out.op == op
    out.backward()
    for i, value in enumerate(inputs):
        assert value.grad == pytest.approx(numeric(fn, values, i), rel=1e-6, abs=1e-8)


def test_sigmoid_does_not_overflow():
    assert Value(800).sigmoid().data == 1.0
    assert Value(-800).sigmoid().data == 0.0
    v = Value(-800.0)
    v.sigmoid().backward()
    assert v.grad == 0.0


def test_exp_overflow_is_inf_not_an_exception():
    assert Value(1000.0).exp().data == math.inf


def test_pow_negative_base_integer_exponent():
    a = Value(-2.0)
    out = a ** 3
    out.backward()
    assert out.data == -8.0
    assert a.grad == 12.0


def test_relu_kink_convention():
    a = Value(0.0)
    a.relu().backward()
    assert a.grad == 0.0


def test_division_by_zero_is_a_clear_error():
    with pytest.raises(ZeroDivisionError, match="div"):
        Value(1.0) / 0.0
