"""The SVM lesson: the SVM as min a^2 + b^2 subject to y_i (a x_i + b y_i + c) >= 1."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag

THREE = ([[0, 0], [1, 2], [2, 1]], [-1, 1, 1])
SIX = ([[-1, -1], [-3, -1], [0, 0], [3, 3], [1, 2], [2, 1]], [-1, -1, -1, 1, 1, 1])


def augmented_lagrangian_svm(points, labels, rho=10.0, tol=1e-9):
    points, labels = np.asarray(points, float), np.asarray(labels, float)
    rows = labels[:, None] * np.column_stack([points, np.ones(len(points))])
    lr = 1.0 / (2.0 + rho * np.linalg.norm(rows, 2) ** 2)

    def objective(w, lam):
        violation = ag.relu(lam + rho * (1 - rows @ w))
        return w[0] ** 2 + w[1] ** 2 + ((violation**2) - lam**2).sum() / (2 * rho)

    slope = ag.grad(objective)
    w, lam = np.zeros(3), np.zeros(len(points))
    for _ in range(100):
        for _ in range(100_000):
            step = slope(w, lam)
            w = w - lr * step
            if np.abs(step).max() < tol:
                break
        new_lam = np.maximum(0.0, lam + rho * (1 - rows @ w))
        if np.abs(new_lam - lam).max() < tol:
            return w, new_lam
        lam = new_lam
    raise AssertionError("no convergence")


@pytest.mark.parametrize("data", [THREE, SIX], ids=["three points", "six points"])
def test_l7_line_is_two_thirds_x_plus_two_thirds_y_minus_1(data):
    w, lam = augmented_lagrangian_svm(*data)
    np.testing.assert_allclose(w, [2 / 3, 2 / 3, -1.0], rtol=0, atol=1e-3)
    assert np.round(w, 2).tolist() == [0.67, 0.67, -1.0]
    points, labels = np.asarray(data[0], float), np.asarray(data[1], float)
    margins = labels * (points @ w[:2] + w[2])
    assert (margins >= 1 - 1e-3).all()  # every constraint holds
    # the support vectors are (0, 0), (1, 2), (2, 1) in both problems
    support = {tuple(p) for p, m in zip(data[0], lam) if m > 1e-6}
    assert support == {(0, 0), (1, 2), (2, 1)}
    np.testing.assert_allclose(sorted(lam[lam > 1e-6]), [4 / 9, 4 / 9, 8 / 9], atol=1e-3)
