"""The gradients lesson: the gradient, and why it points along the steepest climb."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as ag


def f(x, y):
    return x**2 + y**3


def bowl(x, y):
    return x**2 + y**2


def test_l3_gradients():
    assert ag.grad(f, argnums=(0, 1))(2.0, 3.0) == pytest.approx((4.0, 27.0), abs=1e-9)
    assert ag.grad(bowl, argnums=(0, 1))(1.0, 1.0) == pytest.approx((2.0, 2.0), abs=1e-9)
    # the same with one vector argument
    g = ag.grad(lambda v: v[0] ** 2 + v[1] ** 3)(np.array([2.0, 3.0]))
    np.testing.assert_allclose(g, [4.0, 27.0], rtol=0, atol=1e-9)


def steepest(fn, point, step_deg=0.1):
    angles = np.arange(0.0, 360.0, step_deg)
    rates = [ag.jvp(fn, point, (math.cos(a), math.sin(a)))[1] for a in np.radians(angles)]
    best = int(np.argmax(rates))
    return angles[best], rates[best]


@pytest.mark.parametrize("fn, point", [(bowl, (1.0, 1.0)), (f, (2.0, 3.0))], ids=["bowl", "f"])
def test_l3_steepest_direction_is_the_gradient_with_its_norm(fn, point):
    gx, gy = ag.grad(fn, argnums=(0, 1))(*point)
    angle, rate = steepest(fn, point)
    direction = math.degrees(math.atan2(gy, gx)) % 360
    assert abs(angle - direction) <= 0.05 + 1e-9  # half the scanning step
    # the best scanned direction is within 0.05 degrees, so its rate is within cos(0.05 deg)
    assert math.hypot(gx, gy) * math.cos(math.radians(0.05)) - 1e-9 <= rate
    assert rate <= math.hypot(gx, gy) + 1e-9


def test_l3_steepest_rate_at_1_1_is_2_sqrt_2():
    angle, rate = steepest(bowl, (1.0, 1.0))
    assert angle == pytest.approx(45.0, abs=1e-9)
    assert rate == pytest.approx(2 * math.sqrt(2), abs=1e-9)


def test_l3_gradient_field_on_a_grid():
    xs, ys = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-2, 2, 5))
    gx, gy = ag.grad(lambda x, y: f(x, y).sum(), argnums=(0, 1))(xs, ys)
    np.testing.assert_allclose(gx, 2 * xs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(gy, 3 * ys**2, rtol=0, atol=1e-9)
