"""Small seeded toy data sets: two moons, two circles, and a noisy line for regression.

Each generator draws from its own `numpy.random.Generator` made from `seed`, so the same
arguments always give the same arrays and the global random state is never touched.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["make_circles", "make_line", "make_moons"]

Seed = int | np.random.Generator | None


def _check_count(n: object, where: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{where}: n must be an integer number of samples, got {n!r}")
    if n < minimum:
        raise ValueError(f"{where}: n must be at least {minimum}, got {n}")
    return int(n)


def _check_real(x: object, name: str, where: str, nonnegative: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {x!r}")
    x = float(x)
    if not math.isfinite(x) or (nonnegative and x < 0):
        kind = "a finite number >= 0" if nonnegative else "a finite number"
        raise ValueError(f"{where}: {name} must be {kind}, got {x}")
    return x


def _generator(seed: Seed, where: str) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(
            f"{where}: seed must be a non-negative integer, None or a numpy Generator, "
            f"got {seed!r}"
        )
    return np.random.default_rng(int(seed))


def make_moons(n: int = 100, noise: float = 0.1, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, shuffled.

    Class 0 is the upper half of the unit circle, class 1 the lower half circle of radius 1
    centred at (1, 0.5); `n // 2` points go to class 0 and the rest to class 1. Gaussian noise
    with standard deviation `noise` is added to both coordinates.

    Returns `(X, y)`: `X` float64 of shape `(n, 2)`, `y` int64 of shape `(n,)` in {0, 1}.
    """
    n = _check_count(n, "make_moons")
    noise = _check_real(noise, "noise", "make_moons", nonnegative=True)
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
    noise = _check_real(noise, "noise", "make_circles", nonnegative=True)
    factor = _check_real(factor, "factor", "make_circles")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"make_circles: factor must be between 0 and 1 (exclusive), got {factor}")
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
    slope = _check_real(slope, "slope", "make_line")
    intercept = _check_real(intercept, "intercept", "make_line")
    noise = _check_real(noise, "noise", "make_line", nonnegative=True)
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
