"""Shared test helpers: central differences and gradient comparisons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from autograd_lite import Tensor, no_grad


def central_difference(
    f: Callable[..., float], arrays: Sequence[np.ndarray], eps: float = 1e-6
) -> list[np.ndarray]:
    """d f / d arrays[i] by central differences, one element at a time (float64)."""
    grads = []
    for i, array in enumerate(arrays):
        grad = np.zeros_like(array, dtype=np.float64)
        for index in np.ndindex(array.shape):
            shifted = [a.copy() for a in arrays]
            shifted[i][index] = array[index] + eps
            up = f(*shifted)
            shifted[i][index] = array[index] - eps
            down = f(*shifted)
            grad[index] = (up - down) / (2 * eps)
        grads.append(grad)
    return grads


def weighted_sum_value(fn: Callable[..., Tensor], weights: np.ndarray) -> Callable[..., float]:
    """x -> sum(fn(x) * weights) evaluated without recording, for finite differences."""

    def value(*arrays: np.ndarray) -> float:
        with no_grad():
            out = fn(*[Tensor(a) for a in arrays])
        return float(np.sum(out.data * weights))

    return value


def analytic_grads(
    fn: Callable[..., Tensor], arrays: Sequence[np.ndarray], weights: np.ndarray
) -> list[np.ndarray]:
    """Gradients of sum(fn(x) * weights) by backward."""
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    (out * weights).sum().backward()
    return [np.asarray(t.grad) for t in tensors]
