"""`Module`: the base class of layers and models, with automatic parameter discovery.

A module finds its parameters by looking at its attributes: a leaf Tensor that requires grad
or a Value is a parameter, a `Module` is a sub-module, and lists, tuples and dicts of these are
searched too. Nothing has to be registered, so a user's subclass works as written:

    class TwoLayer(nn.Module):
        def __init__(self):
            self.hidden = nn.Linear(2, 8)
            self.out = nn.Linear(8, 1)
        def forward(self, x):
            return self.out(self.hidden(x).tanh())

The order of `parameters()` is the order in which the attributes were first set (then list
order, then dict insertion order), so it is the same on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..tensor import Tensor
from ..value import Value

__all__ = ["Module"]

Parameter = Tensor | Value

# A key stored beside the parameters in a saved file, so that `load` can tell a saved model from
# any other .npz file. It is not a valid parameter name (parameter names never start with "__").
FORMAT_KEY = "__autograd_lite_format__"
FORMAT_VERSION = "autograd_lite.nn.Module/1"


def is_parameter(obj: object) -> bool:
    """True for what a module treats as a parameter: a leaf Tensor that requires grad (an
    `nn.Parameter` is one), a Value.

    A Value counts only when it is a leaf (a Value computed from others is an intermediate
    result someone kept, not a weight).
    """
    if isinstance(obj, Tensor):
        return obj.requires_grad and obj.op == ""
    if isinstance(obj, Value):
        return obj.op == ""
    return False


class Module:
    """Base class for layers and models: subclasses set attributes and define `forward`.

    Calling a module calls its `forward`. Subclasses need not call `super().__init__()`.
    """

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; subclasses must define it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ---- discovery -------------------------------------------------------------------------

    def named_members(self) -> Iterator[tuple[str, Any]]:
        """The attributes to search for parameters and sub-modules, as `(name, object)` pairs.

        By default the instance's attributes in the order they were set; containers such as
        `Sequential` override this to name their items `0`, `1`, ...
        """
        return iter(vars(self).items())

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their dotted names relative to this module.

        A sub-module in a list `blocks` is named `blocks.0`, in a dict under key `k`, `blocks.k`.
        """
        for path, item in self._flat_members():
            if isinstance(item, Module):
                yield path, item

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Parameter]]:
        """Every parameter with its dotted name (`layers.0.weight`), in a stable order.

        A parameter reachable twice (shared between two layers) is listed once, under the first
        name found.
        """
        result: list[tuple[str, Parameter]] = []
        seen: set[int] = set()
        visited = {id(self)}  # a module reachable twice (or holding itself) is searched once
        # Depth first in attribute order, with an explicit stack of iterators (no recursion).
        stack = [(prefix, self._flat_members())]
        while stack:
            base, members = stack[-1]
            for path, item in members:
                full = f"{base}.{path}" if base else path
                if isinstance(item, Module):
                    if id(item) not in visited:
                        visited.add(id(item))
                        stack.append((full, item._flat_members()))
                        break
                elif is_parameter(item) and id(item) not in seen:
                    seen.add(id(item))
                    result.append((full, item))
            else:
                stack.pop()
        return result

    def _flat_members(self) -> Iterator[tuple[str, Any]]:
        """`(path, object)` for every attribute, with lists and dicts opened up."""
        for name, obj in self.named_members():
            yield from _walk(name, obj)

    def parameters(self) -> list[Parameter]:
        """Every parameter, in the order of `named_parameters()`."""
        return [p for _, p in self.named_parameters()]

    def modules(self) -> list[Module]:
        """This module and every sub-module below it, each once, parents first."""
        result: list[Module] = []
        seen: set[int] = set()
        stack: list[Module] = [self]
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            result.append(module)
            stack.extend(reversed([child for _, child in module.named_children()]))
        return result

    def zero_grad(self) -> None:
        """Reset every parameter's gradient: `None` for a Tensor, `0.0` for a Value."""
        for p in self.parameters():
            p.grad = None if isinstance(p, Tensor) else 0.0

    def num_parameters(self) -> int:
        """The number of trainable numbers (a Value counts as one)."""
        return sum(p.size if isinstance(p, Tensor) else 1 for p in self.parameters())

    # ---- state -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's value by dotted name (a Value's is a 0-d float64 array)."""
        return {name: _value_of(p).copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy values from `state` (as made by `state_dict`) into this module's parameters.

        Values may be anything NumPy reads (arrays, lists, CPU PyTorch tensors, also ones that
        require grad) and are copied: the module never shares memory with them.
        Keys must match exactly and each value must have its parameter's shape. Every mismatch
        is listed in one `ValueError` (missing keys, unexpected keys, wrong shapes, values that
        are not numbers), and then no parameter has been changed.
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                "load_state_dict: expected a mapping of names to arrays, "
                f"got {type(state).__name__}"
            )
        params = dict(self.named_parameters())
        problems: list[str] = []
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if missing:
            problems.append("missing keys: " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected keys: " + ", ".join(map(str, unexpected)))
        converted: dict[str, np.ndarray] = {}
        for name, p in params.items():
            if name not in state:
                continue
            current = _value_of(p)
            try:
                value = _as_array(state[name])
            except (TypeError, ValueError, RuntimeError) as exc:  # a ragged list, a GPU tensor
                problems.append(f"{name}: cannot be read as an array ({exc})")
                continue
            if value.dtype.kind not in "biuf":
                problems.append(f"{name}: expected numbers, got an array of dtype {value.dtype}")
            elif value.shape != current.shape:
                problems.append(
                    f"{name}: shape {value.shape} in the state dict, {current.shape} in the model"
                )
            else:
                converted[name] = value.astype(current.dtype)
        if problems:
            raise ValueError(
                f"load_state_dict: the state dict does not fit {type(self).__name__}:\n  "
                + "\n  ".join(problems)
                + "\nNo parameter was changed. Load a state dict saved from a model of the same "
                "architecture (its keys and shapes are in model.state_dict())"
            )
        for name, value in converted.items():
            p = params[name]
            if isinstance(p, Tensor):
                # A new array (astype above copied: the caller's array is never aliased) rather
                # than a write into the old one: a graph recorded before the load keeps the
                # values it was built with.
                p.data = value
            else:
                p.data = float(value)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to `path` (exactly that name) as a NumPy `.npz` file.

        The file holds plain arrays only, so loading it never runs pickle.
        """
        arrays = self.state_dict()
        arrays[FORMAT_KEY] = np.array(FORMAT_VERSION)
        with open(path, "wb") as f:
            np.savez(f, **arrays)

    def load(self, path: str | os.PathLike[str]) -> Module:
        """Load parameters saved by `save` into this module (see `load_state_dict`); returns it.

        Raises `ValueError` for a file that is not a model saved by autograd_lite (including
        any file that would need pickle to read) and `FileNotFoundError` for a missing file.
        """
        try:
            loaded = np.load(path, allow_pickle=False)
            if not hasattr(loaded, "files"):
                reason = "it holds a single array, not an .npz archive"
            else:
                with loaded as npz:
                    names = list(npz.files)
                    reason = "" if FORMAT_KEY in names else "it has no autograd_lite format marker"
                    if not reason and str(npz[FORMAT_KEY]) != FORMAT_VERSION:
                        reason = (f"its format is {str(npz[FORMAT_KEY])!r}; this version reads "
                                  f"{FORMAT_VERSION!r}")
                    state = {name: npz[name] for name in names if name != FORMAT_KEY}
        except FileNotFoundError:
            raise FileNotFoundError(
                f"load: there is no file {os.fspath(path)!r}; check the path (save writes "
                "exactly the name it is given, without adding .npz)"
            ) from None
        except Exception as exc:  # noqa: BLE001 - any way a damaged or foreign file fails to read
            # zipfile alone raises BadZipFile, EOFError, NotImplementedError (a damaged version or
            # compression field), RuntimeError ("encrypted"), zlib.error; some have no message.
            reason = str(exc) or type(exc).__name__
        if reason:
            raise ValueError(
                f"load: {os.fspath(path)!r} is not a model saved with Module.save ({reason}); "
                "files that need pickle are never loaded. Load a file written by module.save(path)"
            )
        self.load_state_dict(state)
        return self

    # ---- display ---------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The module's own settings, shown in its repr (`in_features=2, ...`)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = [f"{type(self).__name__}({extra}" if extra else f"{type(self).__name__}("]
        for name, child in children:
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {text}")
        lines.append(")")
        return "\n".join(lines)


def _walk(name: str, obj: Any) -> Iterator[tuple[str, Any]]:
    """`(dotted path, item)` for `obj` itself or, for lists, tuples and dicts, their items."""
    if isinstance(obj, (list, tuple)):
        stack: list[tuple[str, Any]] = [(name, obj)]
    elif isinstance(obj, dict):
        stack = [(name, obj)]
    else:
        yield name, obj
        return
    # Containers may nest (a list of lists); walk them without recursion, in order.
    while stack:
        path, item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed([(f"{path}.{i}", x) for i, x in enumerate(item)]))
        elif isinstance(item, dict):
            stack.extend(reversed([(f"{path}.{k}", x) for k, x in item.items()]))
        else:
            yield path, item


def _as_array(value: Any) -> np.ndarray:
    """`value` as an ndarray: anything NumPy reads, and a Tensor of another library that
    refuses NumPy while it requires grad (a PyTorch parameter) through its `detach()`."""
    if isinstance(value, Tensor):
        return value._data
    try:
        return np.asarray(value)
    except (TypeError, ValueError, RuntimeError):
        detach = getattr(value, "detach", None)
        if not callable(detach):
            raise
        return np.asarray(detach())


def _value_of(p: Parameter) -> np.ndarray:
    """The parameter's value as an array (0-d float64 for a Value)."""
    if isinstance(p, Tensor):
        return np.asarray(p.data)
    return np.asarray(float(p.data))
