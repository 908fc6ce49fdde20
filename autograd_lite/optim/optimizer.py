"""The base class of the optimizers: parameter checks, `zero_grad`, and the update loop.

An optimizer works on raw numbers, never on the graph: it reads each parameter's `.data` and
`.grad`, computes the new value with NumPy, and writes it back. Tensor and Value parameters go
through the same arithmetic (a Value's float is handled as a 0-d array), so one update rule
serves both engines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..arguments import check_real
from ..data_view import bump_version, writable
from ..tensor import Tensor
from ..value import Value

__all__ = ["Optimizer", "Parameter"]

Parameter = Tensor | Value


def check_positive(x: object, name: str, where: str) -> float:
    """`x` as a float; `TypeError` if it is not a real number, `ValueError` unless 0 < x < inf."""
    return check_real(x, name, where, "a positive number", above=0.0)


def check_fraction(x: object, name: str, where: str) -> float:
    """`x` as a float in [0, 1) (a momentum or a moment's decay rate)."""
    return check_real(x, name, where, "a number in [0, 1)", at_least=0.0, below=1.0,
                      range_what="in [0, 1)")


def check_nonnegative(x: object, name: str, where: str) -> float:
    """`x` as a finite float >= 0 (a weight decay)."""
    return check_real(x, name, where, "a number >= 0", at_least=0.0,
                      range_what="a finite number >= 0")


def collect_parameters(params: Iterable[Parameter], where: str) -> list[Parameter]:
    """The parameters as a list without duplicates, after checking each one.

    Raises `TypeError` for something that is neither a Tensor nor a Value (a module instead of
    `module.parameters()` is the usual slip), `ValueError` for a Tensor that does not require
    grad or for an empty list.
    """
    if isinstance(params, (Tensor, Value)):
        raise TypeError(
            f"{where}: params must be an iterable of parameters, got a single "
            f"{type(params).__name__}; wrap it in a list: [{type(params).__name__.lower()}]"
        )
    if not isinstance(params, Iterable):
        hint = " (did you mean model.parameters()?)" if hasattr(params, "parameters") else ""
        if callable(params) and not hint:
            hint = " (a method: call it, e.g. model.parameters())"
        raise TypeError(
            f"{where}: params must be an iterable of Tensor or Value parameters, "
            f"got {type(params).__name__}{hint}"
        )
    result: list[Parameter] = []
    seen: set[int] = set()
    for i, p in enumerate(params):
        if isinstance(p, Tensor):
            if not p.requires_grad:
                raise ValueError(
                    f"{where}: parameter {i} ({_describe(p)}) does not require grad, so it "
                    "would never be updated; create it with requires_grad=True"
                )
        elif not isinstance(p, Value):
            raise TypeError(
                f"{where}: parameter {i} is a {type(p).__name__}; expected a Tensor or a Value"
            )
        if id(p) not in seen:
            seen.add(id(p))
            result.append(p)
    if not result:
        raise ValueError(
            f"{where}: got an empty parameter list; pass model.parameters() of a model that "
            "has parameters"
        )
    return result


def _describe(p: Parameter) -> str:
    label = f"'{p.label}' " if getattr(p, "label", "") else ""
    if isinstance(p, Tensor):
        return f"{label}Tensor of shape {tuple(p.shape)}"
    return f"{label}Value"


def _memory_of(p: Tensor, i: int, optimizer: Optimizer) -> np.ndarray:
    """A writable view of the memory of parameter `i`, whose array is flagged read-only:
    the update goes into that memory, as `p -= lr * p.grad` under `no_grad()` would write it
    (a `Tensor(t.data)` shares t's memory). A ValueError for memory that cannot hold the
    update (a broadcast view, where elements share one location), raised before any
    parameter changes."""
    try:
        return writable(p._data)
    except ValueError as exc:
        raise ValueError(
            f"{type(optimizer).__name__}.step: parameter {i} ({_describe(p)}) cannot be "
            f"updated: {exc}"
        ) from None


class Optimizer:
    """Base class: holds the parameters and the learning rate; subclasses define `update`.

    `params` is a list of Tensor (with `requires_grad=True`) or Value parameters, e.g.
    `model.parameters()`. `lr` may be changed between steps (`opt.lr = 0.01`); it is checked
    to be a positive number.
    """

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        name = type(self).__name__
        self.lr = lr  # checked by the property before anything else is stored
        self.params: list[Parameter] = collect_parameters(params, name)
        # Per-parameter state (momentum buffers, moment estimates), keyed by position.
        self.state: dict[int, dict[str, Any]] = {}

    @property
    def lr(self) -> float:
        """The learning rate (a positive float)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_positive(value, "lr", type(self).__name__)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient: `None` for a Tensor, `0.0` for a Value."""
        for p in self.params:
            p.grad = None if isinstance(p, Tensor) else 0.0

    def step(self) -> None:
        """Update every parameter that has a gradient (a Tensor whose `.grad` is None is skipped).

        All gradients are read and checked before any parameter changes, so an error (a gradient
        of the wrong shape) leaves every parameter as it was.
        """
        work: list[tuple[int, Any, Any, Any]] = []
        for i, p in enumerate(self.params):
            if type(p) is Tensor or isinstance(p, Tensor):
                grad = p.grad
                if grad is None:
                    continue
                # The raw array (`.data` wraps it in a write-counting view), writable.
                data = p._data if p._data.flags.writeable else _memory_of(p, i, self)
                if type(grad) is np.ndarray and grad.shape == data.shape and \
                        grad.dtype.kind == "f":  # what backward leaves: checked in one go
                    work.append((i, p, data, grad))
                    continue
                if type(grad) is not np.ndarray:
                    grad = np.asarray(grad)
                if grad.shape != data.shape:
                    raise ValueError(
                        f"{type(self).__name__}.step: parameter {i} ({_describe(p)}) has a "
                        f"gradient of shape {grad.shape}; expected {data.shape}. Gradients come "
                        "from backward(); reset them with zero_grad() rather than assigning them"
                    )
            else:
                data = np.asarray(float(p.data))
                grad = np.asarray(p.grad)
            if grad.dtype.kind not in "biuf" or grad.shape != data.shape:
                # Checked before any parameter changes: a later failure would leave the model
                # half-updated, and a complex gradient would lose its imaginary part silently.
                raise TypeError(
                    f"{type(self).__name__}.step: parameter {i} ({_describe(p)}) has a gradient "
                    f"that is not real numbers: {p.grad!r}. Gradients come from backward(); "
                    "reset them with zero_grad() rather than assigning other values"
                )
            work.append((i, p, data, grad))
        in_place = self.update_in_place
        states = self.state
        for i, p, data, grad in work:
            state = states.get(i)
            if state is None:
                state = states[i] = {}
            if not isinstance(p, Tensor):
                p.data = float(self.update(state, data, grad))
                continue
            if in_place is not None:
                in_place(state, data, grad)
            else:
                data[...] = self.update(state, data, grad)
            bump_version(p)  # as a write through `.data` would: recorded uses go stale

    def update(self, state: dict[str, Any], data: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """The new value of one parameter from its `data` and `grad` (same shape).

        `state` is this parameter's own dict, kept between steps. Must not modify `data`.
        """
        raise NotImplementedError

    #: Optionally, a method `(state, data, grad) -> None` that writes the new value into
    #: `data` itself, the same numbers `update` would return; `step` uses it for Tensor
    #: parameters, which saves a temporary and a copy of every parameter per step.
    update_in_place: Any = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, {self.describe()})"

    def describe(self) -> str:
        """The hyper-parameters, for the repr."""
        return f"lr={self.lr}"
