"""`Parameter`: PyTorch's name for a tensor that a module trains.

    class Polynomial3(nn.Module):
        def __init__(self):
            self.a = nn.Parameter(0.5)       # a leaf Tensor that requires grad

A module finds its parameters without it (any leaf Tensor with `requires_grad=True` is one),
so `nn.Parameter` exists for code written for PyTorch and for readers who like the word. It is
a `Tensor` subclass, so `isinstance(p, Tensor)` and `isinstance(p, nn.Parameter)` both hold.
A frozen parameter (`requires_grad=False`) is refused: a module lists and saves the tensors that
require grad, so it would silently drop out of `parameters()` and `state_dict()`.

The built-in layers keep plain Tensors: the engine's fast paths test `type(x) is Tensor`, and a
subclass takes the slower branch (measured: `linear` on a (200, 16) batch 8.6 -> 8.9 us, a
scalar `*` 1.56 -> 1.61 us), which a layer called every step should not pay.
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf Tensor that a module trains: `Parameter(data)` (`requires_grad` must stay True).

    `data` is anything `Tensor` takes (an ndarray is used without a copy, as `Tensor(t)`
    shares a Tensor's memory); it must be floating point while it requires grad. Operations on
    a Parameter return plain Tensors, as in PyTorch.
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, label: str = "") -> None:
        if not requires_grad:
            raise ValueError(
                "Parameter: requires_grad=False (a frozen weight) is not supported: a module's "
                "parameters are the tensors that require grad, so it would be missing from "
                "parameters() and state_dict(). Keep a constant as a plain Tensor attribute, or "
                "keep the parameter trainable and leave it out of the optimizer's list"
            )
        super().__init__(data, requires_grad=True, label=label)

    def __repr__(self) -> str:
        return "Parameter" + super().__repr__()[len("Tensor"):]
