"""The derivatives lesson: derivatives as rates of change, and the differentiation rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value

EXACT = 1e-9  # the lessons' tolerance for exact derivatives


def square(x):
    return x**2


def cubic(x):
    return x**3 - 2 * x**2 + 1


def summed(f):
    def total(x):
        return f(x).sum()

    return total


# the steps of x^2 ---------------------------------------------------------------------------------

def test_l0a_squares_and_their_steps():
    ys = np.arange(5.0) ** 2
    assert ys.tolist() == [0, 1, 4, 9, 16]
    assert np.diff(ys).tolist() == [1, 3, 5, 7]
    assert np.diff(ys, n=2).tolist() == [2, 2, 2]


@pytest.mark.parametrize("x", [0.0, 1.0, 2.0, 3.0, 4.0])
def test_l0a_derivative_is_2x_and_second_derivative_is_2(x):
    assert abs(ag.grad(square)(x) - 2 * x) <= EXACT
    assert abs(ag.grad(ag.grad(square))(x) - 2.0) <= EXACT


def test_l0a_with_the_engines_directly():
    for x0 in range(5):
        v = Value(float(x0))
        (v**2).backward()
        assert abs(v.grad - 2 * x0) <= EXACT
    t = Tensor(np.arange(5.0), requires_grad=True)
    (t**2).sum().backward(create_graph=True)
    first = t.grad
    np.testing.assert_allclose(np.asarray(first), 2 * np.arange(5.0), rtol=0, atol=EXACT)
    t.grad = None
    first.sum().backward()
    np.testing.assert_allclose(t.grad, np.full(5, 2.0), rtol=0, atol=EXACT)


# by rule and by rate of change --------------------------------------------------------------------

@pytest.mark.parametrize("f, rule", [(square, lambda x: 2 * x),
                                     (cubic, lambda x: 3 * x**2 - 4 * x)],
                         ids=["x^2", "x^3-2x^2+1"])
def test_l1_autodiff_matches_rule_and_central_difference(f, rule):
    grid = np.linspace(-2.0, 3.0, 101)
    autodiff = ag.grad(summed(f))(grid)
    np.testing.assert_allclose(autodiff, rule(grid), rtol=0, atol=EXACT)
    central = ag.numerical_grad(summed(f), grid)
    np.testing.assert_allclose(autodiff, central, rtol=0, atol=1e-6)
    # the rate of change written out, as the lesson does
    h = 1e-5
    by_hand = (f(grid + h) - f(grid - h)) / (2 * h)
    np.testing.assert_allclose(autodiff, by_hand, rtol=0, atol=1e-6)


# why rise over run fails for tiny h ---------------------------------------------------------------

def test_l9_finite_difference_error_shrinks_then_grows_while_autodiff_is_exact():
    x0 = 20.0
    exact = math.exp(x0)
    v = Value(x0)
    v.exp().backward()
    assert v.grad == exact
    assert ag.grad(ag.exp)(x0) == exact

    errors = {k: abs((math.exp(x0 + 10.0**-k) - math.exp(x0)) / 10.0**-k - exact) / exact
              for k in range(1, 16)}
    best = min(errors, key=errors.get)
    assert 6 <= best <= 9, errors  # the sweet spot is near sqrt(machine epsilon)
    assert errors[1] > errors[3] > errors[5] > errors[best]    # truncation error shrinks...
    assert errors[15] > errors[13] > errors[11] > errors[best]  # ...then cancellation wins
    assert errors[best] > 1e-9  # and it never gets close to exact


# the differentiation rules ------------------------------------------------------------------------

RULES = [
    ("sum", lambda x: x**2 + ag.sin(x), lambda x: 2 * x + math.cos(x)),
    ("sum-of-three", lambda x: ag.exp(x) + 3 * x - x**3, lambda x: math.exp(x) + 3 - 3 * x**2),
    ("power-5", lambda x: x**5, lambda x: 5 * x**4),
    ("power-neg", lambda x: x**-1.5, lambda x: -1.5 * x**-2.5),
    ("power-half", lambda x: x**0.5, lambda x: 0.5 * x**-0.5),
    ("product", lambda x: x**2 * ag.sin(x), lambda x: 2 * x * math.sin(x) + x**2 * math.cos(x)),
    ("product-3", lambda x: x * ag.exp(x) * ag.cos(x),
     lambda x: math.exp(x) * math.cos(x) * (1 + x) - x * math.exp(x) * math.sin(x)),
    ("chain", lambda x: ag.sin(x**2), lambda x: math.cos(x**2) * 2 * x),
    ("chain-2", lambda x: ag.exp(ag.tanh(x)),
     lambda x: math.exp(math.tanh(x)) * (1 - math.tanh(x) ** 2)),
    ("quotient", lambda x: ag.sin(x) / x, lambda x: (x * math.cos(x) - math.sin(x)) / x**2),
]


@pytest.mark.parametrize("name, f, formula", RULES, ids=[r[0] for r in RULES])
@pytest.mark.parametrize("x", [0.3, 0.7, 1.9])
def test_l10_rules(name, f, formula, x):
    assert abs(ag.grad(f)(x) - formula(x)) <= EXACT


def test_l10_rules_on_values():
    x = Value(0.7)
    y = (x**2).sigmoid() * x.exp() + x.tanh()
    y.backward()
    s = 1 / (1 + math.exp(-0.49))
    formula = (s * (1 - s) * 1.4 * math.exp(0.7) + s * math.exp(0.7)
               + 1 - math.tanh(0.7) ** 2)
    assert abs(x.grad - formula) <= EXACT
