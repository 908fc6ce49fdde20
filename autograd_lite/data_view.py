"""The write guard: what `Tensor.data` returns, and the version counters it bumps.

A recorded op may keep a tensor's array for its backward. If the values in that memory change
before backward runs, the gradient would be computed from values the forward pass never saw:
a wrong number with no error. Two things together make every such write either seen or
refused:

- **Read-only to NumPy.** `t.data`, `t.numpy()` and `np.asarray(t)` hand out views of the
  tensor's memory that NumPy itself refuses to write into. So every route NumPy offers —
  `np.copyto`, `.flat`, `np.place`, `np.putmask`, `np.fill_diagonal`, an `out=` argument, a
  view made with `np.asarray(t.data)` or kept from earlier, `memoryview` — fails with NumPy's
  "assignment destination is read-only" unless it goes through a `DataView` method below.
- **A version counter per memory.** The `DataView` methods that write (`t.data[0] = 5`,
  `t.data += 1`, `np.copyto(t.data, a)`, `out=t.data`, `t.data.flat[i] = v`, `.fill`, ...)
  write through a writable view of the same memory and bump the tensor's `_version`. Tensors
  that share memory (`t.detach()`, `t.T`, `t.reshape(...)`, `t[:]`, `Tensor(t)`) share their
  bumps, so a write through any of them is seen by ops that saved any of them. Backward
  compares each op's recorded versions with the current ones and raises, naming the tensor
  and the op.

This is PyTorch's version counter shared by views, with MyGrad's idea of read-only memory
closing the routes a counter cannot see (NumPy writes straight into memory without asking
the tensor). Unlike MyGrad's locking, nothing is locked or unlocked as graphs come and go:
the views handed out are always read-only, so there is no bookkeeping on the hot path.
Writing into a copy (`t.data.flatten()`, `t.data.repeat(2)`, `t.data.copy()`) is writing into
the user's own array: not a change.

The caller's own arrays are never a way in either: `Tensor(array)` (and a plain array used as
an operand, `x * array`) takes a copy, as `torch.tensor` does, so writing into `array` later
changes nothing the graph holds. Only `Tensor(t)` and `Tensor(t.data)` share memory, and they
share the version counter with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np


# ----- version counters shared by tensors on one memory --------------------------------------
def bump_version(tensor: Any) -> None:
    """Record a write into `tensor`'s memory: its version and those of every tensor sharing
    that memory go up by one."""
    try:
        group = tensor._shares
    except AttributeError:  # an op's output or an unpickled tensor: shares no memory yet
        group = None
    if group is None:
        tensor._version += 1
        return
    for ref in group:
        member = ref()
        if member is not None:
            member._version += 1


def share_versions(view: Any, base: Any) -> None:
    """Make `view` and `base` (two tensors on overlapping memory) share version bumps."""
    if not np.may_share_memory(view._data, base._data):
        return
    group = getattr(base, "_shares", None)
    if group is None:
        group = [weakref.ref(base)]
        base._shares = group
    elif len(group) % 32 == 0:  # drop members that are gone, now and then
        group[:] = [ref for ref in group if ref() is not None]
    old = getattr(view, "_shares", None)
    if old is group:
        return
    group.append(weakref.ref(view))
    view._shares = group
    if old is not None:  # `view` already shared memory with others: merge the two groups
        for ref in old:
            member = ref()
            if member is not None and member is not view:
                group.append(ref)
                member._shares = group


def graph_sharer(tensor: Any) -> Any:
    """Another live tensor on `tensor`'s memory that requires grad (a view of it, or what it is
    a view of), or None. An in-place operator recorded on `tensor` would change that one's
    values without changing its history."""
    group = getattr(tensor, "_shares", None)
    if group is None:
        return None
    for ref in group:
        member = ref()
        if member is not None and member is not tensor and member.requires_grad:
            return member
    return None


def leave_shared(tensor: Any) -> None:
    """`tensor` got a new array of its own: its writes no longer concern the others."""
    group = getattr(tensor, "_shares", None)
    if group is not None:
        group[:] = [ref for ref in group if ref() is not None and ref() is not tensor]
        tensor._shares = None


# ----- read-only views -----------------------------------------------------------------------
def plain(value: Any) -> Any:
    """`value` as a plain ndarray if it is a DataView, else unchanged (still read-only)."""
    return value.view(np.ndarray) if isinstance(value, DataView) else value


def read_only(array: np.ndarray) -> np.ndarray:
    """A view of `array` that NumPy will not write into."""
    view = array.view()
    view.flags.writeable = False
    return view


def writable(view: np.ndarray) -> np.ndarray:
    """A plain, writable view of the same memory as the read-only `view`."""
    array = view.view(np.ndarray)
    if array.size > 1 and 0 in array.strides:  # a broadcast view: one number, many places
        raise ValueError(
            "this tensor is a broadcast view (several elements share one memory location), so "
            "it cannot be written into; copy it first, e.g. Tensor(np.array(t.data))"
        )
    try:
        array.flags.writeable = True
    except ValueError:
        raise ValueError(
            "this tensor's memory is read-only (it was made from a read-only array); copy it "
            "first, e.g. Tensor(np.array(a))"
        ) from None
    return array


def data_view(array: np.ndarray, owner: Any) -> DataView:
    """`array` as a read-only DataView that reports writes to `owner` (a Tensor)."""
    view = array.view(DataView)
    view._owner = owner
    view.flags.writeable = False
    return view


class DataView(np.ndarray):
    """A read-only view of a tensor's memory whose own writing methods bump its version.

    Reading behaves like the tensor's array (arithmetic on it gives plain ndarrays). Views
    taken from it (`t.data[1:]`, `t.data.T`, `t.data.reshape(...)`) are DataViews of the same
    tensor; copies (`flatten()`, `repeat`, `take`, `copy()`) belong to the caller.
    """

    _owner: Any

    def __array_finalize__(self, obj: Any) -> None:
        owner = getattr(obj, "_owner", None)
        # A view of the tensor's memory reports to its tensor; a copy is the caller's own.
        if owner is not None and not (self.base is not None and np.may_share_memory(self, obj)):
            owner = None
        self._owner = owner

    def _bump(self) -> None:
        owner = self._owner
        if owner is not None:
            bump_version(owner)

    def __setitem__(self, key: Any, value: Any) -> None:
        target = writable(self)
        self._bump()
        target[key] = plain(value)

    def __getitem__(self, key: Any) -> Any:
        result = self.view(np.ndarray)[key]
        if isinstance(result, np.ndarray) and np.may_share_memory(result, self):
            view = result.view(DataView)
            view._owner = self._owner
            return view
        return result

    @property
    def flat(self) -> FlatView:  # type: ignore[override]
        """A flat iterator whose item assignment counts as a write into the tensor."""
        return FlatView(self)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "at" and isinstance(inputs[0], DataView):
            # `np.add.at(t.data, i, v)` writes into its first argument (and NumPy's `at`
            # ignores the read-only flag, so it must be caught here)
            target = inputs[0]
            array = writable(target)
            target._bump()
            ufunc.at(array, *(plain(x) for x in inputs[1:]), **kwargs)
            return None
        out = kwargs.get("out")
        if out:
            targets = []
            for target in out:
                if isinstance(target, DataView):
                    writable_target = writable(target)
                    target._bump()
                    targets.append(writable_target)
                else:
                    targets.append(target)
            kwargs["out"] = tuple(targets)
        result = getattr(ufunc, method)(*(plain(x) for x in inputs), **kwargs)
        if out:
            return out[0] if len(out) == 1 else out
        return result

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        """NumPy functions on a DataView: the ones that write into their first argument
        (`np.copyto`, `np.place`, `np.putmask`, `np.put`, `np.put_along_axis`,
        `np.fill_diagonal`) and an `out=` DataView count as writes; every other function
        reads plain, read-only arrays and returns plain results."""
        args = list(args)
        if func in WRITERS and args and isinstance(args[0], DataView):
            target = args[0]
            args[0] = writable(target)
            target._bump()
            func(*[plain(a) for a in args], **{k: plain(v) for k, v in kwargs.items()})
            return None
        out = kwargs.get("out")
        if out is not None:
            kwargs = dict(kwargs)
            if isinstance(out, tuple):
                kwargs["out"] = tuple(self._out_target(o) for o in out)
            else:
                kwargs["out"] = self._out_target(out)
            func(*[plain(a) for a in args], **{k: v if k == "out" else plain(v)
                                               for k, v in kwargs.items()})
            return out
        return func(*[plain_deep(a) for a in args],
                    **{k: plain_deep(v) for k, v in kwargs.items()})

    @staticmethod
    def _out_target(target: Any) -> Any:
        if isinstance(target, DataView):
            array = writable(target)
            target._bump()
            return array
        return target

    # The in-place operators and methods that write.
    def __iadd__(self, other: Any) -> DataView:  # type: ignore[override, misc]
        target = writable(self)
        self._bump()
        target += plain(other)
        return self

    def __isub__(self, other: Any) -> DataView:  # type: ignore[override, misc]
        target = writable(self)
        self._bump()
        target -= plain(other)
        return self

    def __imul__(self, other: Any) -> DataView:  # type: ignore[override, misc]
        target = writable(self)
        self._bump()
        target *= plain(other)
        return self

    def __itruediv__(self, other: Any) -> DataView:  # type: ignore[override, misc]
        target = writable(self)
        self._bump()
        target /= plain(other)
        return self

    def __ipow__(self, other: Any) -> DataView:  # type: ignore[override, misc]
        target = writable(self)
        self._bump()
        target **= plain(other)
        return self

    def fill(self, value: Any) -> None:
        target = writable(self)
        self._bump()
        target.fill(value)

    def sort(self, *args: Any, **kwargs: Any) -> None:
        target = writable(self)
        self._bump()
        target.sort(*args, **kwargs)

    def partition(self, *args: Any, **kwargs: Any) -> None:
        target = writable(self)
        self._bump()
        target.partition(*args, **kwargs)

    def put(self, *args: Any, **kwargs: Any) -> None:
        target = writable(self)
        self._bump()
        target.put(*args, **kwargs)

    def copy(self, order: Any = "C") -> np.ndarray:  # type: ignore[override]
        return self.view(np.ndarray).copy(order)

    def astype(self, *args: Any, **kwargs: Any) -> np.ndarray:  # type: ignore[override]
        result = self.view(np.ndarray).astype(*args, **kwargs)
        return result.copy() if not result.flags.writeable else result

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))

    def __reduce__(self) -> Any:
        return self.view(np.ndarray).copy().__reduce__()


class FlatView:
    """`t.data.flat`: reads like `ndarray.flat`; assigning an item writes into the tensor."""

    __slots__ = ("_view",)

    def __init__(self, view: DataView) -> None:
        self._view = view

    def __getitem__(self, key: Any) -> Any:
        return self._view.view(np.ndarray).flat[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        target = writable(self._view)
        self._view._bump()
        target.flat[key] = plain(value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._view.view(np.ndarray).flat)

    def __len__(self) -> int:
        return int(self._view.size)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self._view.view(np.ndarray).ravel(), dtype=dtype)

    def copy(self) -> np.ndarray:
        return self._view.view(np.ndarray).flatten()


def plain_deep(value: Any) -> Any:
    """DataViews inside lists and tuples (arguments of np.concatenate, say) as plain arrays."""
    if isinstance(value, DataView):
        return value.view(np.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(plain_deep(item) for item in value)
    return value


#: NumPy functions that write into their first argument.
WRITERS = frozenset({np.copyto, np.place, np.putmask, np.put, np.put_along_axis,
                     np.fill_diagonal})
