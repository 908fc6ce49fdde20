"""The Taylor lesson: first- and second-order Taylor approximations from grad and hessian."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag


def f(v):
    x, y = v[0], v[1]
    return ag.exp(x) * ag.sin(y) + x**2 * y


POINT = np.array([0.5, 1.0])
STEPS = 0.4 / 2.0 ** np.arange(6)


def test_l12_gradient_and_hessian_match_the_formulas():
    x, y = POINT
    g = ag.grad(f)(POINT)
    H = ag.hessian(f)(POINT)
    np.testing.assert_allclose(g, [np.exp(x) * np.sin(y) + 2 * x * y,
                                   np.exp(x) * np.cos(y) + x**2], rtol=0, atol=1e-9)
    np.testing.assert_allclose(H, [[np.exp(x) * np.sin(y) + 2 * y, np.exp(x) * np.cos(y) + 2 * x],
                                   [np.exp(x) * np.cos(y) + 2 * x, -np.exp(x) * np.sin(y)]],
                               rtol=0, atol=1e-9)


@pytest.mark.parametrize("direction", [(1.0, -2.0), (1.0, 0.0), (0.3, 0.7)])
def test_l12_errors_shrink_as_h_squared_and_h_cubed(direction):
    d = np.array(direction) / np.linalg.norm(direction)
    value, g = ag.value_and_grad(f)(POINT)
    H = ag.hessian(f)(POINT)
    first, second = [], []
    for h in STEPS:
        exact = f(ag.Tensor(POINT + h * d)).item()
        linear = value + h * g @ d
        first.append(abs(exact - linear))
        second.append(abs(exact - (linear + 0.5 * h**2 * d @ H @ d)))
    order1 = np.polyfit(np.log(STEPS), np.log(first), 1)[0]
    order2 = np.polyfit(np.log(STEPS), np.log(second), 1)[0]
    assert order1 == pytest.approx(2.0, abs=0.15)
    assert order2 == pytest.approx(3.0, abs=0.15)
    # halving the smallest steps divides the errors by about 4 and 8
    assert first[-2] / first[-1] == pytest.approx(4.0, rel=0.05)
    assert second[-2] / second[-1] == pytest.approx(8.0, rel=0.05)


def test_l12_one_variable_taylor_of_exp():
    x0 = 0.3
    d1, d2 = ag.grad(ag.exp)(x0), ag.grad(ag.grad(ag.exp))(x0)
    assert d1 == pytest.approx(np.exp(x0), abs=1e-9)
    assert d2 == pytest.approx(np.exp(x0), abs=1e-9)
    errors = [abs(np.exp(x0 + h) - (np.exp(x0) + d1 * h + d2 * h**2 / 2)) for h in (0.1, 0.05)]
    assert errors[0] / errors[1] == pytest.approx(8.0, rel=0.05)
