"""The toy data sets: shapes, labels, geometry, determinism and input checks."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import datasets


@pytest.mark.parametrize("make", [datasets.make_moons, datasets.make_circles])
@pytest.mark.parametrize("n", [1, 2, 7, 200])
def test_shapes_dtypes_and_balanced_labels(make, n):
    X, y = make(n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert np.sum(y == 0) == n // 2 and np.sum(y == 1) == n - n // 2


@pytest.mark.parametrize("make", [datasets.make_moons, datasets.make_circles])
def test_seeded_and_shuffled(make):
    X1, y1 = make(100, noise=0.2, seed=5)
    X2, y2 = make(100, noise=0.2, seed=5)
    X3, _ = make(100, noise=0.2, seed=6)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert 0 < np.sum(y1[:50]) < 50  # shuffled, not 50 zeros then 50 ones


def test_moons_geometry_without_noise():
    X, y = datasets.make_moons(50, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)
    assert np.isclose(upper[:, 0].min(), -1) and np.isclose(lower[:, 0].max(), 2)


def test_circles_geometry_and_noise_level():
    X, y = datasets.make_circles(40, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    clean, _ = datasets.make_circles(4000, noise=0.0, seed=1)
    noisy, _ = datasets.make_circles(4000, noise=0.1, seed=1)
    assert np.std(noisy - clean) == pytest.approx(0.1, rel=0.05)


def test_make_line():
    x, y = datasets.make_line(30, slope=2.0, intercept=-1.0, noise=0.0, seed=2)
    assert x.shape == y.shape == (30,)
    assert np.all((-1 <= x) & (x < 1))
    np.testing.assert_allclose(y, 2.0 * x - 1.0)
    x2, y2 = datasets.make_line(5000, slope=2.0, intercept=-1.0, noise=0.5, seed=2)
    assert np.std(y2 - (2.0 * x2 - 1.0)) == pytest.approx(0.5, rel=0.05)
    np.testing.assert_array_equal(datasets.make_line(30, 2.0, -1.0, seed=4)[1],
                                  datasets.make_line(30, 2.0, -1.0, seed=4)[1])


def test_global_random_state_is_left_alone():
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    datasets.make_moons(10)
    datasets.make_circles(10, seed=None)
    datasets.make_line(10, 1.0, 0.0)
    assert np.random.rand() == expected


@pytest.mark.parametrize("call, error, message", [
    (lambda: datasets.make_moons(0), ValueError, "n must be at least 1"),
    (lambda: datasets.make_moons(2.5), TypeError, "n must be an integer"),
    (lambda: datasets.make_circles(10, noise=-0.1), ValueError, "noise must be a finite"),
    (lambda: datasets.make_circles(10, factor=1.5), ValueError, "factor must be between"),
    (lambda: datasets.make_moons(10, seed=-1), ValueError, "seed must be a non-negative"),
    (lambda: datasets.make_moons(10, seed="a"), TypeError, "seed must be a non-negative"),
    (lambda: datasets.make_line(10, "2", 0.0), TypeError, "slope must be a real number"),
    (lambda: datasets.make_line(10, 1.0, float("nan")), ValueError, "intercept must be a finite"),
])
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
