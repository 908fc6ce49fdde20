"""Stochastic gradient descent, with optional momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .optimizer import Optimizer, Parameter, check_fraction, check_nonnegative

__all__ = ["SGD"]


class SGD(Optimizer):
    """Gradient descent: `p <- p - lr * v`, with the step `v` built from the gradient `g`.

    With `weight_decay` (L2 regularisation) the gradient becomes `g + weight_decay * p`. With
    `momentum` the step is a running sum `v <- momentum * v + g` (`v = g` on the first step),
    as in PyTorch; without momentum `v = g`.

    Raises `ValueError` for an empty parameter list, `lr <= 0`, `momentum` outside [0, 1) or a
    negative `weight_decay`.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        self.momentum = check_fraction(momentum, "momentum", "SGD")
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay", "SGD")
        super().__init__(params, lr)

    def velocity(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """The step `v` (before scaling by `lr`) from the gradient, weight decay and momentum."""
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        if self.momentum:
            velocity = state.get("velocity")
            velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
            state["velocity"] = velocity
            grad = velocity
        return grad

    def update(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray) -> np.ndarray:
        return data - self.lr * self.velocity(state, data, grad)

    def update_in_place(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray) -> None:
        """`update` written into `data` itself (the same numbers, no copy)."""
        data -= self.lr * self.velocity(state, data, grad)

    def describe(self) -> str:
        return f"lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay}"
