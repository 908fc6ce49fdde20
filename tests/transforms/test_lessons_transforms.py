"""The lessons built on the transforms: derivatives, gradients, Jacobians, optimisation (second
derivatives), Newton-Raphson and Taylor series.

Derivatives come from autograd_lite (never from a hand-written formula); the formulas below
are what the course text says they must equal. Exact derivatives to 1e-9, iterative
optimisers to 1e-3.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor

GRID = np.linspace(-2.0, 3.0, 11)


def square(x):
    return x ** 2


def cubic(x):
    return x ** 3 - 2 * x ** 2 + 1


# ----- derivative by rule vs by rate of change ------------------------------------------
@pytest.mark.parametrize("f, rule", [(square, lambda x: 2 * x),
                                     (cubic, lambda x: 3 * x ** 2 - 4 * x)])
def test_L1_autodiff_matches_the_rule_and_a_central_difference(f, rule):
    for x in GRID:
        derivative = ag.grad(f)(float(x))
        assert derivative == pytest.approx(rule(x), abs=1e-9)
        assert ag.numerical_grad(f, float(x)) == pytest.approx(derivative, abs=1e-6)


def test_L1_elementwise_derivative_on_the_whole_grid_at_once():
    slopes = ag.grad(lambda x: cubic(x).sum())(GRID)
    np.testing.assert_allclose(slopes, 3 * GRID ** 2 - 4 * GRID, atol=1e-9)


# ----- gradients and the direction of steepest ascent -----------------------------------
def test_L3_gradients():
    gx, gy = ag.grad(lambda x, y: x ** 2 + y ** 3, argnums=(0, 1))(2.0, 3.0)
    assert (gx, gy) == (pytest.approx(4.0, abs=1e-9), pytest.approx(27.0, abs=1e-9))
    g = ag.grad(lambda p: (p ** 2).sum())(np.array([1.0, 1.0]))
    np.testing.assert_allclose(g, [2.0, 2.0], atol=1e-9)


def test_L3_steepest_rate_points_along_the_gradient_with_its_norm():
    point = np.array([1.0, 1.0])
    angles = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
    rates = []
    for angle in angles:  # the rate of change along each unit direction, by forward mode
        direction = np.array([np.cos(angle), np.sin(angle)])
        rates.append(ag.jvp(lambda p: (p ** 2).sum(), (point,), (direction,))[1])
    best = int(np.argmax(rates))
    assert rates[best] == pytest.approx(2 * math.sqrt(2), abs=1e-9)
    assert angles[best] == pytest.approx(np.pi / 4, abs=1e-9)  # along the gradient (2, 2)


# ----- Jacobians --------------------------------------------------------------------------
def test_L4_jacobian_of_2xy_and_x2y():
    def f(v):
        x, y = v[0], v[1]
        return ag.stack([2 * x * y, x ** 2 * y])

    for x, y in [(1.0, 2.0), (-0.5, 3.0), (2.5, -1.5)]:
        jac = ag.jacobian(f)(np.array([x, y]))
        np.testing.assert_allclose(jac, [[2 * y, 2 * x], [2 * x * y, x ** 2]], atol=1e-9)


def test_L4_jacobian_of_three_sigmoid_units():
    p, q, r, s, t, u = 0.5, -1.0, 2.0, 0.3, -0.7, 1.2
    weights = np.array([[p, q], [r, s], [t, u]])

    def f(v):
        return (Tensor(weights) @ v).sigmoid()

    v = np.array([0.4, -0.9])
    for mode in ("rev", "fwd"):
        jac = ag.jacobian(f, mode=mode)(v)
        assert jac.shape == (3, 2)  # rows are the three outputs, columns the inputs x, y
        units = 1 / (1 + np.exp(-(weights @ v)))
        for i in range(3):
            np.testing.assert_allclose(jac[i], units[i] * (1 - units[i]) * weights[i],
                                       atol=1e-9)


# ----- stationary points and the second derivative --------------------------------------
def test_L6_second_derivative_classifies_the_stationary_points():
    for x, f2, kind in [(0.0, -4.0, "maximum"), (4 / 3, 4.0, "minimum")]:
        assert ag.grad(cubic)(x) == pytest.approx(0.0, abs=1e-9)
        assert ag.hessian(cubic)(x) == pytest.approx(f2, abs=1e-9), kind
        assert ag.grad(ag.grad(cubic))(x) == pytest.approx(f2, abs=1e-9)


def test_L6_gradient_descent_from_2_stops_at_four_thirds():
    x, lr = 2.0, 0.1
    derivative = ag.grad(cubic)
    for _ in range(1000):
        step = lr * derivative(x)
        x -= step
        if abs(step) < 1e-10:
            break
    assert x == pytest.approx(4 / 3, abs=1e-3)
    assert float(cubic(Tensor(x)).data) == pytest.approx(-5 / 27, abs=1e-3)


def test_L6_log_has_no_stationary_point_and_ascent_grows():
    slopes = ag.grad(lambda x: x.log().sum())(np.linspace(0.1, 100, 50))
    np.testing.assert_allclose(slopes, 1 / np.linspace(0.1, 100, 50), rtol=1e-12)
    assert np.all(slopes > 0)
    x = 1.0
    for _ in range(200):
        x += 1.0 * ag.grad(lambda v: v.log())(x)
    assert x > 20.0  # still climbing: x_{n+1} = x_n + 1/x_n grows like sqrt(2n)


# ----- Newton-Raphson ------------------------------------------------------------------
def test_L11_newton_raphson_with_autodiff_derivatives():
    def f(x):
        return x ** 3 - 2 * x - 5

    value_and_slope = ag.value_and_grad(f)
    x, steps = 2.0, 0
    while True:
        value, slope = value_and_slope(x)
        step = value / slope
        x -= step
        steps += 1
        if abs(step) < 1e-15 or steps > 20:
            break
    assert x == pytest.approx(2.0945514815423265, abs=1e-12)
    assert steps <= 6  # a handful: quadratic convergence


# ----- Taylor approximations from grad and hessian --------------------------------------
def bumpy(v):
    return (v[0].exp() * v[1].sin()) + v[0] * v[1] ** 2


def taylor_errors(h: float) -> tuple[float, float]:
    point = np.array([0.3, -0.8])
    direction = np.array([0.8, -0.6])  # a unit direction with clear curvature
    value = float(bumpy(Tensor(point)).data)
    gradient = ag.grad(bumpy)(point)
    curvature = ag.hessian(bumpy)(point)
    step = h * direction
    exact = float(bumpy(Tensor(point + step)).data)
    first = value + gradient @ step
    second = first + 0.5 * step @ curvature @ step
    return abs(exact - first), abs(exact - second)


def test_L12_taylor_errors_shrink_as_h2_and_h3():
    steps = np.array([0.04, 0.02, 0.01, 0.005])
    errors = np.array([taylor_errors(h) for h in steps])
    order_first = np.polyfit(np.log(steps), np.log(errors[:, 0]), 1)[0]
    order_second = np.polyfit(np.log(steps), np.log(errors[:, 1]), 1)[0]
    assert order_first == pytest.approx(2.0, abs=0.1)   # O(h^2)
    assert order_second == pytest.approx(3.0, abs=0.1)  # O(h^3)
    assert np.all(errors[:, 1] < errors[:, 0])


def test_L12_one_variable_linearisation():
    x0 = 0.5
    for h in (1e-1, 1e-2):
        approx = math.exp(x0) + ag.grad(lambda x: x.exp())(x0) * h
        quad = approx + 0.5 * ag.hessian(lambda x: x.exp())(x0) * h ** 2
        assert abs(math.exp(x0 + h) - approx) < h ** 2
        assert abs(math.exp(x0 + h) - quad) < h ** 3
