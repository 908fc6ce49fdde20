"""The integration lesson: integration as a running sum, the reverse of differentiation."""

from __future__ import annotations

import numpy as np

import autograd_lite as ag


def f(x):
    return 3 * x**2 - 4 * x


def antiderivative(x):
    return x**3 - 2 * x**2


def test_l2_autodiff_of_the_antiderivative_gives_back_f():
    grid = np.linspace(-10.0, 10.0, 201)
    derivative = ag.grad(lambda x: antiderivative(x).sum())(grid)
    np.testing.assert_allclose(derivative, f(grid), rtol=0, atol=1e-9)
    for x in (-3.0, 0.0, 0.5, 4.0):
        assert abs(ag.grad(antiderivative)(x) - f(x)) <= 1e-9


def running_sum_gap(dx: float) -> np.ndarray:
    x = np.arange(-10.0, 10.0, dx)
    return np.cumsum(f(x) * dx) - antiderivative(x)


def test_l2_running_sum_matches_up_to_a_constant_and_order_dx():
    spreads = {}
    for dx in (0.1, 0.01, 0.001):
        gap = running_sum_gap(dx)
        # the constant: the antiderivative's value at the left end, -F(-10) = 1200
        assert abs(gap.mean() - 1200.0) < 300 * dx
        spreads[dx] = gap.max() - gap.min()
        assert spreads[dx] < 200 * dx  # what is left over is O(dx)
    # and it shrinks in proportion to dx
    assert 0.09 < spreads[0.01] / spreads[0.1] < 0.11
    assert 0.09 < spreads[0.001] / spreads[0.01] < 0.11
