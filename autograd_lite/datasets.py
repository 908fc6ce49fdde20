"""Small seeded toy data sets: two moons, two circles, and a noisy line for regression.

Each generator draws from its own `numpy.random.Generator` made from `seed`, so the same
arguments always give the same arrays and the global random state is never touched.
"""

from __future__ import annotations

import math

import numpy as np

from .arguments import check_integer, check_real

__all__ = ["make_circles", "make_line", "make_moons"]

Seed = int | np.random.Generator | None


def _check_count(n: object, where: str) -> int:
    """The number of samples: an integer >= 1."""
    return check_integer(n, "n", where, "an integer number of samples", at_least=1,
                         range_what="at least 1")


def _check_noise(noise: object, where: str) -> float:
    """The noise level: a finite number >= 0."""
    return check_real(noise, "noise", where, "a real number", at_least=0.0,
                      range_what="a finite number >= 0")


def _generator(seed: Seed, where: str) -> np.random.Generator:
    """The generator to draw from: `seed` itself, a fresh one seeded from the operating system
    (None), or one seeded with the non-negative integer `seed`."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    what = "a non-negative integer, None or a numpy Generator"
    return np.random.default_rng(check_integer(seed, "seed", where, what, at_least=0))


def make_moons(n: int = 100, noise: float = 0.1, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, shuffled.

    Class 0 is the upper half of the unit circle, class 1 the lower half circle of radius 1
    centred at (1, 0.5); `n // 2` points go to class 0 and the rest to class 1. Gaussian noise
    with standard deviation `noise` is added to both coordinates.

    Returns `(X, y)`: `X` float64 of shape `(n, 2)`, `y` int64 of shape `(n,)` in {0, 1}.
    """
    n = _check_count(n, "make_moons")
    noise = _check_noise(noise, "make_moons")
    rng = _generator(seed, "make_moons")
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = np.linspace(0.0, math.pi, n_upper)
    t_lower = np.linspace(0.0, math.pi, n_lower)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1)
    lower = np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)
    X = np.concatenate([upper, lower])
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    return _shuffle_and_jitter(X, y, noise, rng)


def make_circles(
    n: int = 100, noise: float = 0.1, seed: Seed = 0, factor: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles, shuffled: class 0 of radius 1, class 1 of radius `factor`.

    `n // 2` points go to the outer circle and the rest to the inner one, evenly spaced in
    angle, then Gaussian noise with standard deviation `noise` is added.

    Returns `(X, y)`: `X` float64 of shape `(n, 2)`, `y` int64 of shape `(n,)` in {0, 1}.
    """
    n = _check_count(n, "make_circles")
    noise = _check_noise(noise, "make_circles")
    factor = check_real(factor, "factor", "make_circles", "a real number", above=0.0, below=1.0,
                        range_what="between 0 and 1 (exclusive)")
    rng = _generator(seed, "make_circles")
    n_outer = n // 2
    n_inner = n - n_outer
    t_outer = np.linspace(0.0, 2.0 * math.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2.0 * math.pi, n_inner, endpoint=False)
    outer = np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1)
    inner = factor * np.stack([np.cos(t_inner), np.sin(t_inner)], axis=1)
    X = np.concatenate([outer, inner])
    y = np.concatenate([np.zeros(n_outer, dtype=np.int64), np.ones(n_inner, dtype=np.int64)])
    return _shuffle_and_jitter(X, y, noise, rng)


def make_line(
    n: int, slope: float, intercept: float, noise: float = 0.1, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Points on the line `y = slope * x + intercept` plus Gaussian noise, for regression.

    `x` is drawn uniformly from [-1, 1); the noise added to `y` has standard deviation `noise`.

    Returns `(x, y)`, both float64 of shape `(n,)`.
    """
    n = _check_count(n, "make_line")
    slope = check_real(slope, "slope", "make_line", "a real number", range_what="a finite number")
    intercept = check_real(intercept, "intercept", "make_line", "a real number",
                           range_what="a finite number")
    noise = _check_noise(noise, "make_line")
    rng = _generator(seed, "make_line")
    x = rng.uniform(-1.0, 1.0, size=n)
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x, y


def _shuffle_and_jitter(
    X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    X = X[order] + noise * rng.standard_normal(X.shape)
    return X, y[order]
