"""The optimisation lesson: stationary points, their second derivatives, and log x, which has
none."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd_lite as ag


def f(x):
    return x**3 - 2 * x**2 + 1


def test_l6_derivative_vanishes_at_0_and_4_3():
    for x in (0.0, 4 / 3):
        assert abs(ag.grad(f)(x)) <= 1e-9


def test_l6_second_derivative_tells_maximum_from_minimum():
    second = ag.grad(ag.grad(f))
    assert second(0.0) == pytest.approx(-4.0, abs=1e-9)
    assert second(4 / 3) == pytest.approx(4.0, abs=1e-9)
    assert ag.hessian(f)(0.0) == pytest.approx(-4.0, abs=1e-9)


def test_l6_gradient_descent_from_2_stops_at_4_3():
    x, slope = 2.0, ag.grad(f)
    for _ in range(10_000):
        step = 0.1 * slope(x)
        x -= step
        if abs(step) < 1e-10:
            break
    assert x == pytest.approx(4 / 3, abs=1e-3)
    assert f(x) == pytest.approx(-5 / 27, abs=1e-3)


def test_l6_log_has_no_stationary_point_and_ascent_grows_without_bound():
    slope = ag.grad(ag.log)
    grid = np.geomspace(1e-3, 1e6, 50)
    derivative = np.array([slope(x) for x in grid])
    np.testing.assert_allclose(derivative, 1 / grid, rtol=1e-12)
    assert (derivative > 0).all()  # never zero: no maximum or minimum
    x, history = 1.0, []
    for n in range(1, 10_001):
        x += 0.5 * slope(x)
        if n in (10, 100, 1000, 10_000):
            history.append(x)
    assert all(a < b for a, b in itertools.pairwise(history))
    # x_n^2 grows like 2 * lr * n = n: doubling n by 10 multiplies x by about sqrt(10)
    assert history[-1] == pytest.approx(100.0, rel=0.01)
    assert history[-1] / history[-2] == pytest.approx(np.sqrt(10), rel=0.01)
