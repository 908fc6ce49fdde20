"""The Newton-Raphson lesson: Newton-Raphson with derivatives from autodiff."""

from __future__ import annotations

import itertools

import autograd_lite as ag

ROOT = 2.0945514815423265


def f(x):
    return x**3 - 2 * x - 5


def test_l11_newton_raphson_converges_in_a_handful_of_steps():
    x, slope, steps = 2.0, ag.grad(f), 0
    while True:
        step = f(x) / slope(x)
        x -= step
        steps += 1
        if abs(step) <= 1e-15 * abs(x):
            break
        assert steps < 10
    assert abs(x - ROOT) <= 1e-15
    assert steps <= 6


def test_l11_convergence_is_quadratic():
    x, errors = 2.0, []
    value_and_slope = ag.value_and_grad(f)
    for _ in range(3):
        value, slope = value_and_slope(x)
        x -= value / slope
        errors.append(abs(x - ROOT))
    # e_{n+1} ~ C e_n^2 with C = f''/(2 f') at the root
    C = 6 * ROOT / (2 * (3 * ROOT**2 - 2))
    for e0, e1 in itertools.pairwise(errors):
        assert 0.5 * C * e0**2 < e1 < 2 * C * e0**2
