"""Activation modules (`ReLU`, `Tanh`, `Sigmoid`) and the table of activations by name."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arguments import check_choice
from ..tensor import Tensor
from .module import Module

__all__ = ["ACTIVATIONS", "ReLU", "Sigmoid", "Tanh", "as_tensor", "check_activation"]

#: The activations layers accept by name; each is the method of the same name on Tensor/Value.
ACTIVATIONS = ("relu", "tanh", "sigmoid")


def check_activation(activation: object, where: str, allowed: tuple[str, ...] = ACTIVATIONS) -> str:
    """`activation` if it is one of `allowed`, else a `ValueError` listing the valid names."""
    return check_choice(activation, "activation", where, allowed)


def as_tensor(x: Any) -> Any:
    """`x` unchanged if it is a Tensor, else a Tensor of it (integers become float64)."""
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x)
    if array.dtype.kind not in "fc":
        array = array.astype(np.float64)
    return Tensor(array)


class ReLU(Module):
    """`max(0, x)` elementwise; same shape out as in (Tensor, array or Value)."""

    def forward(self, x: Any) -> Any:
        return _input(x).relu()


class Tanh(Module):
    """`tanh(x)` elementwise; same shape out as in (Tensor, array or Value)."""

    def forward(self, x: Any) -> Any:
        return _input(x).tanh()


class Sigmoid(Module):
    """`1 / (1 + exp(-x))` elementwise; same shape out as in (Tensor, array or Value)."""

    def forward(self, x: Any) -> Any:
        return _input(x).sigmoid()


def _input(x: Any) -> Any:
    # A Value (or anything else with the activation methods) passes through unchanged.
    return x if hasattr(x, "relu") else as_tensor(x)
