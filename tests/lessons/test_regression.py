"""The linear regression lesson: gradient descent on a squared-error loss."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value, optim


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_l0b_gradient_descent_on_one_point_stops_at_2(seed):
    x, y, b = 5.0, 10.0, 0.0
    a = float(np.random.default_rng(seed).uniform(-10, 10))
    updates = []
    while True:
        a_node = Value(a)
        ((a_node * x + b - y) ** 2).backward()
        update = 0.01 * a_node.grad
        a -= update
        updates.append(abs(update))
        if abs(update) < 1e-9:
            break
    assert a == pytest.approx(2.0, abs=1e-3)
    assert (a * x + b - y) ** 2 == pytest.approx(0.0, abs=1e-3)
    assert all(u1 < u0 for u0, u1 in itertools.pairwise(updates))  # the steps shrink


def test_l8_regression_by_gradient_descent_matches_least_squares():
    x, y = ag.datasets.make_line(50, slope=2.5, intercept=10.0, noise=1.0, seed=0)
    slope = Tensor(0.0, requires_grad=True)
    intercept = Tensor(0.0, requires_grad=True)
    opt = optim.SGD([slope, intercept], lr=0.5)
    for _ in range(10_000):
        loss = ((slope * x + intercept - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if max(abs(slope.grad), abs(intercept.grad)) < 1e-12:
            break
    (ls_slope, ls_intercept), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y,
                                                   rcond=None)
    assert abs(slope.item() - ls_slope) <= 1e-6
    assert abs(intercept.item() - ls_intercept) <= 1e-6


def test_l8_with_the_grad_transform_on_raw_data():
    rng = np.random.default_rng(3)
    revenue_x = rng.uniform(0, 10, 40)
    revenue_y = 3.0 * revenue_x + 20 + rng.normal(0, 2, 40)

    def mse(params):
        return ((params[0] * revenue_x + params[1] - revenue_y) ** 2).mean()

    params, slope = np.zeros(2), ag.grad(mse)
    for _ in range(100_000):
        step = 0.01 * slope(params)
        params = params - step
        if np.abs(step).max() < 1e-13:
            break
    expected, *_ = np.linalg.lstsq(np.column_stack([revenue_x, np.ones(40)]), revenue_y,
                                   rcond=None)
    np.testing.assert_allclose(params, expected, rtol=0, atol=1e-6)
