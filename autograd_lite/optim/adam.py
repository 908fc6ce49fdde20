"""Adam: gradient descent with per-coordinate step sizes from running moment estimates."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .optimizer import (
    Optimizer,
    Parameter,
    check_fraction,
    check_nonnegative,
    check_positive,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as in PyTorch.

    For each parameter, with gradient `g` (plus `weight_decay * p` when set) at step `t`:

        m <- beta1 * m + (1 - beta1) * g            v <- beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)                  v_hat = v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    `t` counts the steps in which that parameter had a gradient.

    Raises `ValueError` for an empty parameter list, `lr <= 0`, betas outside [0, 1),
    `eps <= 0` or a negative `weight_decay`.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        if isinstance(betas, (str, bytes)) or not isinstance(betas, Iterable):
            raise TypeError(f"Adam: betas must be a pair of numbers in [0, 1), got {betas!r}")
        pair = tuple(betas)
        if len(pair) != 2 or not all(isinstance(b, numbers.Real) for b in pair):
            raise TypeError(f"Adam: betas must be a pair of numbers in [0, 1), got {betas!r}")
        self.betas = (
            check_fraction(pair[0], "betas[0]", "Adam"),
            check_fraction(pair[1], "betas[1]", "Adam"),
        )
        self.eps = check_positive(eps, "eps", "Adam")
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay", "Adam")
        super().__init__(params, lr)

    def update(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray) -> np.ndarray:
        beta1, beta2 = self.betas
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        t = state.get("step", 0) + 1
        m = state.get("m")
        v = state.get("v")
        m = (1.0 - beta1) * grad if m is None else beta1 * m + (1.0 - beta1) * grad
        v = (1.0 - beta2) * grad * grad if v is None else beta2 * v + (1.0 - beta2) * grad * grad
        state["step"], state["m"], state["v"] = t, m, v
        m_hat = m / (1.0 - beta1**t)
        v_hat = v / (1.0 - beta2**t)
        return data - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def describe(self) -> str:
        return (
            f"lr={self.lr}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay}"
        )
