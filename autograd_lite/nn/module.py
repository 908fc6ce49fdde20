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
from .checkpoint import (
    FORMAT_KEY,
    FORMAT_VERSION,
    Archive,
    NotAModelFile,
    open_archive,
    write_archive,
)

__all__ = ["Module"]

Parameter = Tensor | Value


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
        name found. Two different parameters whose paths give the same name (dict keys `1` and
        `"1"`, or a key with a dot that repeats a nested path) raise `ValueError`: saving or
        loading would lose one of them.
        """
        result: list[tuple[str, Parameter]] = []
        seen: set[int] = set()
        names: set[str] = set()
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
                    if full in names:
                        raise name_collision_error(full)
                    names.add(full)
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
        arrays: dict[Any, Any] = {}
        unreadable: list[str] = []
        for name in params:
            if name in state:
                try:
                    arrays[name] = _as_array(state[name])
                except (TypeError, ValueError, RuntimeError) as exc:  # a ragged list, a GPU tensor
                    unreadable.append(f"{name}: cannot be read as an array ({exc})")
        problems = mismatches(params, list(state), arrays, "state dict") + unreadable
        if problems:
            raise does_not_fit("load_state_dict: the state dict", self, problems, "a state dict")
        # astype makes a new array: a graph recorded before the load keeps the values it was
        # built with, and a later change to the caller's arrays does not reach the model.
        converted = {name: value.astype(_value_of(params[name]).dtype)
                     for name, value in arrays.items()}
        for name, value in converted.items():
            p = params[name]
            if isinstance(p, Tensor):
                p.data = value
            else:
                p.data = float(value)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to `path` (exactly that name) as a NumPy `.npz` file.

        The file holds plain arrays only, so loading it never runs pickle. Every parameter is
        stored under its dotted name, whatever the name (`numpy.load(path)` reads it back by
        that name). The file is written beside `path` and then moved over it, so a save that
        fails leaves an existing file exactly as it was.
        """
        arrays = self.state_dict()
        for name in arrays:
            if name == FORMAT_KEY or "\0" in name:
                reason = ("is reserved for the file's format marker" if name == FORMAT_KEY
                          else "contains a NUL character, which a zip archive cannot store")
                raise ValueError(
                    f"save: the parameter name {name!r} {reason}; rename the attribute or "
                    "dict key that holds it"
                )
        arrays[FORMAT_KEY] = np.array(FORMAT_VERSION)
        write_archive(path, arrays)

    def load(self, path: str | os.PathLike[str]) -> Module:
        """Load parameters saved by `save` into this module (see `load_state_dict`); returns it.

        The file's names, shapes and dtypes are checked from the archive's directory and the
        arrays' headers before any array is read: a file that does not fit this module raises
        `ValueError` listing every mismatch, without reading the arrays. Raises `ValueError`
        for a file that is not a model saved by autograd_lite (including any file that would
        need pickle to read) and `FileNotFoundError` for a missing file. Nothing is changed
        unless the whole file loads.
        """
        where = os.fspath(path)
        params = dict(self.named_parameters())  # (two parameters with one name raise here)
        try:
            with open_archive(path) as archive:
                state, problems = self._read_state(archive, params)
        except FileNotFoundError:
            raise FileNotFoundError(
                f"load: there is no file {where!r}; check the path (save writes "
                "exactly the name it is given, without adding .npz)"
            ) from None
        except IsADirectoryError:
            reason = "it is a folder"
        except (PermissionError, MemoryError):
            raise
        except Exception as exc:  # any way a damaged or foreign file fails to read
            # zipfile alone raises BadZipFile, EOFError, NotImplementedError (a damaged version or
            # compression field), RuntimeError ("encrypted"), zlib.error, OSError (a seek to a
            # damaged offset); some have no message. NotAModelFile says what it found.
            reason = str(exc) or type(exc).__name__
        else:
            if problems:
                raise does_not_fit(f"load: {where!r}", self, problems, "a file")
            self.load_state_dict(state)
            return self
        raise ValueError(
            f"load: {where!r} is not a model saved with Module.save ({reason}); "
            "files that need pickle are never loaded. Load a file written by module.save(path)"
        )

    def _read_state(self, archive: Archive, params: dict[str, Parameter]
                    ) -> tuple[dict[str, np.ndarray], list[str]]:
        """The arrays of an opened archive, and what keeps them from fitting this module.

        The names, shapes and dtypes are checked from the archive's directory and the arrays'
        headers first; the arrays are read only when everything fits (else the dict is empty).
        """
        if FORMAT_KEY not in archive.entries:
            raise NotAModelFile("it has no autograd_lite format marker")
        marker = archive.header(FORMAT_KEY)
        if marker.dtype.kind != "U" or marker.shape != () or marker.dtype.itemsize > 1024:
            raise NotAModelFile("its format marker is not a short text")
        version = str(archive.read(marker))
        if version != FORMAT_VERSION:
            raise NotAModelFile(f"its format is {version!r}; this version reads "
                                f"{FORMAT_VERSION!r}")
        keys = [name for name in archive.entries if name != FORMAT_KEY]
        headers = {name: archive.header(name) for name in params if name in archive.entries}
        for entry in headers.values():
            if entry.dtype.hasobject:
                raise NotAModelFile(f"{entry.name!r} is an array of Python objects, which "
                                    "needs pickle")
        problems = mismatches(params, keys, headers, "file")
        if problems:
            return {}, problems
        return {name: archive.read(entry) for name, entry in headers.items()}, []

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


def name_collision_error(name: str) -> ValueError:
    """The error for two different parameters that would share the dotted name `name`."""
    return ValueError(
        f"named_parameters: two different parameters are both named {name!r} (for example "
        "dict keys 1 and '1', or a key or attribute with a dot that repeats a nested path), so "
        "state_dict, save and load would lose one of them. Give them distinct names (use "
        "distinct string keys without dots)"
    )


def mismatches(params: Mapping[str, Parameter], keys: list[Any], found: Mapping[str, Any],
               source: str) -> list[str]:
    """What keeps `found` (name -> array, or anything with `.shape` and `.dtype`) with the
    names `keys` from fitting `params`: missing and unexpected keys, wrong shapes, dtypes that
    are not numbers (`source` names where the values come from). Empty when it fits."""
    problems: list[str] = []
    missing = [k for k in params if k not in keys]
    unexpected = [k for k in keys if k not in params]
    if missing:
        problems.append("missing keys: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected keys: " + ", ".join(map(str, unexpected)))
    for name, p in params.items():
        if name not in found:
            continue
        value, current = found[name], _value_of(p)
        if value.dtype.kind not in "biuf":
            problems.append(f"{name}: expected numbers, got an array of dtype {value.dtype}")
        elif tuple(value.shape) != current.shape:
            problems.append(
                f"{name}: shape {tuple(value.shape)} in the {source}, {current.shape} in the "
                "model"
            )
    return problems


def does_not_fit(what: str, module: Module, problems: list[str], source: str) -> ValueError:
    """The error listing every way a state dict or a file does not fit `module`."""
    listed = "\n  ".join(problems)
    return ValueError(
        f"{what} does not fit {type(module).__name__}:\n  {listed}\nNo parameter was "
        f"changed. Load {source} saved from a model of the same architecture (its keys and "
        "shapes are in model.state_dict())"
    )


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
