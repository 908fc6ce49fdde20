"""`DataView`: what `Tensor.data` returns, an ndarray view that counts in-place writes.

Reading it behaves like the tensor's own array (arithmetic on it gives plain ndarrays).
Writing into it (`t.data[0] = 5`, `t.data += 1`, `np.add(a, b, out=t.data)`) changes the
tensor's values as usual and bumps the tensor's version counter, so a recorded op that saved
the old values refuses to run backward instead of returning a silently wrong gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """`value` as a plain ndarray if it is a DataView, else unchanged."""
    return value.view(np.ndarray) if isinstance(value, DataView) else value


class DataView(np.ndarray):
    """A view of a tensor's data that bumps the tensor's version when written into."""

    def __array_finalize__(self, obj: Any) -> None:
        self._owner = getattr(obj, "_owner", None)

    def _bump(self) -> None:
        owner = self._owner
        if owner is not None:
            owner._version += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        self._bump()
        self.view(np.ndarray)[key] = plain(value)

    def __getitem__(self, key: Any) -> Any:
        result = self.view(np.ndarray)[key]
        if isinstance(result, np.ndarray) and np.may_share_memory(result, self):
            result = result.view(DataView)
            result._owner = self._owner
        return result

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        if out:
            for target in out:
                if isinstance(target, DataView):
                    target._bump()
            kwargs["out"] = tuple(plain(target) for target in out)
        result = getattr(ufunc, method)(*(plain(x) for x in inputs), **kwargs)
        if out:
            return out[0] if len(out) == 1 else out
        return result

    # The in-place operators an optimizer uses, without the generic ufunc dispatch.
    def __iadd__(self, other: Any) -> DataView:
        self._bump()
        base = self.view(np.ndarray)
        base += plain(other)
        return self

    def __isub__(self, other: Any) -> DataView:
        self._bump()
        base = self.view(np.ndarray)
        base -= plain(other)
        return self

    def __imul__(self, other: Any) -> DataView:
        self._bump()
        base = self.view(np.ndarray)
        base *= plain(other)
        return self

    def __itruediv__(self, other: Any) -> DataView:
        self._bump()
        base = self.view(np.ndarray)
        base /= plain(other)
        return self

    def fill(self, value: Any) -> None:
        self._bump()
        self.view(np.ndarray).fill(value)

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._bump()
        self.view(np.ndarray).sort(*args, **kwargs)

    def put(self, *args: Any, **kwargs: Any) -> None:
        self._bump()
        self.view(np.ndarray).put(*args, **kwargs)

    def copy(self, order: str = "C") -> np.ndarray:  # type: ignore[override]
        return self.view(np.ndarray).copy(order)

    def astype(self, *args: Any, **kwargs: Any) -> np.ndarray:  # type: ignore[override]
        return self.view(np.ndarray).astype(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))

    def __reduce__(self) -> Any:
        return self.view(np.ndarray).copy().__reduce__()
