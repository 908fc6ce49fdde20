"""Layers on Tensors: `Linear`, `Sequential` and `MLP`."""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterator, Sequence
from typing import Any

from ..engine.errors import ShapeError
from ..functions import linear
from ..random import get_generator
from ..tensor import Tensor
from .activations import as_tensor, check_activation
from .module import Module

__all__ = ["MLP", "Linear", "Sequential"]


def check_size(n: object, name: str, where: str) -> int:
    """`n` as an int if it is a positive integer (bools refused), else a clear error."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{where}: {name} must be a positive integer, got {n!r}")
    if n < 1:
        raise ValueError(f"{where}: {name} must be a positive integer, got {n}")
    return int(n)


class Linear(Module):
    """An affine map `y = x @ weight.T + bias`, in PyTorch's layout, recorded as one `linear`
    node (see `autograd_lite.linear`).

    - `weight`: shape `(out_features, in_features)`; `bias`: shape `(out_features,)`.
    - Input `x`: shape `(..., in_features)` (a Tensor or anything `numpy.asarray` takes);
      output shape `(..., out_features)`.
    - Initialisation (as PyTorch's default): both drawn uniformly from `[-k, k]`,
      `k = 1 / sqrt(in_features)`, from the generator `autograd_lite.manual_seed` seeds.

    Raises `ShapeError` (a `ValueError`) when the input's last dimension is not `in_features`.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        self.in_features = check_size(in_features, "in_features", "Linear")
        self.out_features = check_size(out_features, "out_features", "Linear")
        rng = get_generator()
        k = 1.0 / math.sqrt(self.in_features)
        shape = (self.out_features, self.in_features)
        self.weight = Tensor(rng.uniform(-k, k, size=shape), requires_grad=True, label="weight")
        self.bias = (
            Tensor(rng.uniform(-k, k, size=self.out_features), requires_grad=True, label="bias")
            if bias
            else None
        )

    def forward(self, x: Any) -> Tensor:
        x = x if type(x) is Tensor else as_tensor(x)
        shape = x._data.shape
        if not shape or shape[-1] != self.in_features:
            raise ShapeError(
                f"{self!r}: the input's last dimension must be in_features={self.in_features}, "
                f"got an input of shape {tuple(x.shape)}"
            )
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Sequential(Module):
    """Modules applied one after another: `Sequential(a, b, c)(x) == c(b(a(x)))`.

    Items are named `0`, `1`, ... in `named_parameters()`; `seq[i]`, `len(seq)` and iteration
    work as on a list.
    """

    def __init__(self, *modules: Module) -> None:
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(
                    f"Sequential: item {i} is a {type(m).__name__}, not a Module; wrap functions "
                    "in a Module subclass (activations are nn.ReLU(), nn.Tanh(), nn.Sigmoid())"
                )
        self.items: list[Module] = list(modules)

    def named_members(self) -> Iterator[tuple[str, Any]]:
        return ((str(i), m) for i, m in enumerate(self.items))

    def forward(self, x: Any) -> Any:
        for module in self.items:
            x = module(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.items)


class MLP(Module):
    """A multi-layer perceptron: Linear layers with an activation between them.

    `MLP(2, [16, 16, 1])` is `Linear(2, 16) -> act -> Linear(16, 16) -> act -> Linear(16, 1)`;
    the last layer has no activation (its outputs are logits or regression values).
    `activation` is `"relu"`, `"tanh"` or `"sigmoid"`. `.layers` lists the Linear layers.
    Input shape `(..., in_features)`, output shape `(..., layer_sizes[-1])`.
    """

    def __init__(
        self,
        in_features: int,
        layer_sizes: Sequence[int],
        activation: str = "relu",
        bias: bool = True,
    ) -> None:
        in_features = check_size(in_features, "in_features", "MLP")
        if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
            raise TypeError(
                f"MLP: layer_sizes must be a list of positive integers such as [16, 16, 1], "
                f"got {layer_sizes!r}"
            )
        if len(layer_sizes) == 0:
            raise ValueError("MLP: layer_sizes must list at least one layer size, e.g. [16, 1]")
        sizes = [check_size(n, f"layer_sizes[{i}]", "MLP") for i, n in enumerate(layer_sizes)]
        self.activation = check_activation(activation, "MLP")
        self.in_features = in_features
        self.layer_sizes = sizes
        widths = [in_features, *sizes]
        self.layers: list[Linear] = [
            Linear(a, b, bias=bias) for a, b in itertools.pairwise(widths)
        ]

    def forward(self, x: Any) -> Tensor:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < last:
                x = getattr(x, self.activation)()
        return x

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, layer_sizes={self.layer_sizes}, "
            f"activation={self.activation!r}"
        )
