"""The Jacobians lesson: Jacobians, rows are outputs and columns are inputs."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag


def pq(v):
    x, y = v[0], v[1]
    return ag.stack([2 * x * y, x**2 * y])


@pytest.mark.parametrize("point", [(0.5, 1.0), (1.5, -2.0), (-3.0, 0.25), (0.0, 0.0)])
def test_l4_jacobian_of_2xy_x2y(point):
    x, y = point
    jac = ag.jacobian(pq)(np.array(point))
    np.testing.assert_allclose(jac, [[2 * y, 2 * x], [2 * x * y, x**2]], rtol=0, atol=1e-9)


def test_l4_jacobian_of_three_sigmoid_units():
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((3, 2))  # rows (p, q), (r, s), (t, u)
    for point in rng.standard_normal((4, 2)):
        jac = ag.jacobian(lambda v: ag.sigmoid(ag.Tensor(weights) @ v))(point)
        assert jac.shape == (3, 2)  # 3 outputs (rows) x 2 inputs (columns)
        s = 1 / (1 + np.exp(-weights @ point))
        for i in range(3):
            np.testing.assert_allclose(jac[i], s[i] * (1 - s[i]) * weights[i], rtol=0, atol=1e-9)


def test_l4_rows_are_outputs_columns_are_inputs():
    # f: R^3 -> R^2, so the Jacobian is 2 x 3 and entry (i, j) is d out_i / d in_j
    jac = ag.jacobian(lambda v: ag.stack([v[0] * v[2], v[1]]))(np.array([2.0, 3.0, 5.0]))
    np.testing.assert_allclose(jac, [[5.0, 0.0, 2.0], [0.0, 1.0, 0.0]], rtol=0, atol=1e-9)
