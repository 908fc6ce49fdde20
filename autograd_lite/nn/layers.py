"""Layers on Tensors: `Linear`, `Sequential`, `MLP`, and PyTorch's `Flatten` and `Identity`."""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterator, Sequence
from typing import Any

from ..arguments import check_integer
from ..engine.errors import ShapeError
from ..functions import linear
from ..random import get_generator
from ..tensor import Tensor
from .activations import ReLU, Sigmoid, Tanh, as_tensor, check_activation
from .module import Module

__all__ = ["MLP", "Flatten", "Identity", "Linear", "Sequential"]

#: The activation module for each activation name (`MLP.to_sequential` builds them).
ACTIVATION_MODULES: dict[str, type[Module]] = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


def check_size(n: object, name: str, where: str) -> int:
    """`n` as an int if it is a positive integer (bools refused), else a clear error."""
    return check_integer(n, name, where, "a positive integer", at_least=1)


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


class Flatten(Module):
    """The axes `start_dim .. end_dim` (both included; negative counts from the end) merged
    into one, as PyTorch's `nn.Flatten`: by default every axis but the first (the batch), so
    `(n, 3, 4)` becomes `(n, 12)`. `Flatten(0, 1)` turns an `(n, 1)` output into `(n,)`.

    Recorded as one `reshape` node. Raises `IndexError` for an axis the input does not have
    and `ValueError` when `start_dim` comes after `end_dim`.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        for name, dim in (("start_dim", start_dim), ("end_dim", end_dim)):
            if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
                raise TypeError(f"Flatten: {name} must be an integer axis, got {dim!r}")
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        shape = x.shape
        ndim = max(len(shape), 1)  # a 0-d input counts as one axis, as in PyTorch
        start, end = (self.axis(dim, ndim) for dim in (self.start_dim, self.end_dim))
        if start > end:
            raise ValueError(
                f"Flatten: start_dim={self.start_dim} comes after end_dim={self.end_dim} for an "
                f"input of shape {shape}; swap them"
            )
        if not shape:
            return x.reshape(1)
        merged = math.prod(shape[start:end + 1])
        return x.reshape(*shape[:start], merged, *shape[end + 1:])

    def axis(self, dim: int, ndim: int) -> int:
        """`dim` as an axis in `0 .. ndim - 1`, or an `IndexError`."""
        if not -ndim <= dim < ndim:
            raise IndexError(
                f"Flatten: axis {dim} is out of range for an input with {ndim} axes (valid: "
                f"{-ndim} .. {ndim - 1}); the default start_dim=1 keeps axis 0 as the batch, so "
                "a single sample needs Flatten(0) or a batch axis"
            )
        return dim % ndim

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Returns its input unchanged (a layer that stands in for one removed, as PyTorch's
    `nn.Identity`; arguments given to the constructor are ignored, as there)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def forward(self, x: Any) -> Any:
        return x


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

    def to_sequential(self) -> Sequential:
        """The same network as `Sequential(Linear, act, Linear, act, ..., Linear)`, sharing
        this MLP's Linear layers (training either trains both).

        Its `state_dict()` keys are PyTorch's for that `torch.nn.Sequential`: `"0.weight"`,
        `"0.bias"`, `"2.weight"`, ... (an activation holds no parameters but keeps its index),
        so weights move to and from PyTorch with `load_state_dict`.
        """
        act = ACTIVATION_MODULES[self.activation]
        items: list[Module] = []
        for i, layer in enumerate(self.layers):
            if i:
                items.append(act())
            items.append(layer)
        return Sequential(*items)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, layer_sizes={self.layer_sizes}, "
            f"activation={self.activation!r}"
        )
