"""The non-linear fit lesson: fitting a Gaussian's centre and width by steepest descent."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag


@pytest.mark.parametrize("mu, sigma, seed", [(1.5, 0.8, 0), (-0.5, 1.2, 1)])
def test_l14_steepest_descent_recovers_centre_and_width(mu, sigma, seed):
    x = np.linspace(-4.0, 6.0, 201)
    y = np.exp(-((x - mu) ** 2) / (2 * sigma**2))
    y = y + np.random.default_rng(seed).normal(0, 0.02, x.size)

    def sse(params):
        return ((ag.exp(-((x - params[0]) ** 2) / (2 * params[1] ** 2)) - y) ** 2).sum()

    params, slope = np.array([0.5, 2.0]), ag.grad(sse)
    for _ in range(20_000):
        step = 0.02 * slope(params)
        params = params - step
        if np.abs(step).max() < 1e-10:
            break
    assert abs(params[0] - mu) <= 1e-2
    assert abs(abs(params[1]) - sigma) <= 1e-2
