"""Every way to write into a tensor's memory, and small programs that save that memory, run on
autograd_lite and on PyTorch alike (shared by tests/engine/test_write_guard.py and the
property test tests/property/test_write_routes.py).

A route is two steps: `take(t)` gets hold of the memory (a view of `.data`, `np.asarray(t)`, a
tensor sharing it...), and `write(handle, new, k)` changes element `k` (flat index) of the
victim to `new.flat[k]` through that handle. Taking the handle early ("kept") and writing
later is how a view kept from before the graph was built is tested. `COPY_ROUTES` write into
copies: the tensor must not change and nothing must be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_lite import Tensor, no_grad


def at(new: np.ndarray, k: int) -> tuple[int, ...]:
    return np.unravel_index(k, new.shape) if new.ndim else ()


def changed(handle: Any, new: np.ndarray) -> np.ndarray:
    """The mask of the element that differs (the victim's values are in `handle`)."""
    return np.asarray(handle) != new


def old_of(handle: Any) -> np.ndarray:
    return np.array(handle.data if isinstance(handle, Tensor) else handle)


def nograd_iadd(t: Tensor, delta: np.ndarray) -> None:
    with no_grad():
        t += delta


@dataclass(frozen=True)
class Route:
    name: str
    take: Callable[[Tensor], Any]
    write: Callable[[Any, np.ndarray, int], None]


def data_setitem(h: Any, new: np.ndarray, k: int) -> None:
    h[at(new, k)] = new[at(new, k)]


def full_setitem(h: Any, new: np.ndarray, k: int) -> None:
    h[...] = new


def data_iadd(h: Any, new: np.ndarray, k: int) -> None:
    h += new - np.asarray(h)


def memoryview_write(h: Any, new: np.ndarray, k: int) -> None:
    view = memoryview(h).cast("B")
    view[:] = np.ascontiguousarray(new).tobytes()


def tensor_data_setitem(h: Tensor, new: np.ndarray, k: int) -> None:
    h.data[at(new, k)] = new[at(new, k)]


def tensor_data_full(h: Tensor, new: np.ndarray, k: int) -> None:
    h.data[...] = new


def transposed_write(h: Tensor, new: np.ndarray, k: int) -> None:
    h.data[...] = new.T


def transposed_iadd_nograd(h: Tensor, new: np.ndarray, k: int) -> None:
    nograd_iadd(h, new.T - old_of(h))


def reshaped_write(h: Tensor, new: np.ndarray, k: int) -> None:
    h.data[k] = new.flat[k]


def iadd_same_shape(h: Tensor, new: np.ndarray, k: int) -> None:
    h += new - old_of(h)  # grad mode on: the handle needs no grad (detach, Tensor(t))


def iadd_nograd(h: Tensor, new: np.ndarray, k: int) -> None:
    nograd_iadd(h, new - old_of(h))


def iadd_recording(h: Tensor, new: np.ndarray, k: int) -> None:
    h += Tensor(new - old_of(h))


#: Routes that write into the victim's own memory: each must be refused (memory unchanged) or
#: make a backward that needs the old values raise.
ROUTES = [
    Route("data[k]=", lambda t: t.data, data_setitem),
    Route("data[...]=", lambda t: t.data, full_setitem),
    Route("data+=", lambda t: t.data, data_iadd),
    Route("copyto", lambda t: t.data, lambda h, new, k: np.copyto(h, new)),
    Route("copyto-where", lambda t: t.data,
          lambda h, new, k: np.copyto(h, new, where=changed(h, new))),
    Route("ufunc-out", lambda t: t.data, lambda h, new, k: np.add(new, 0.0, out=h)),
    Route("ufunc-out-tuple", lambda t: t.data,
          lambda h, new, k: np.multiply(new, 1.0, out=(h,))),
    Route("ufunc.at", lambda t: t.data,
          lambda h, new, k: np.add.at(h, at(new, k), new[at(new, k)] - old_of(h)[at(new, k)])),
    Route("sum-out", lambda t: t.data,
          lambda h, new, k: np.sum(new[None], axis=0, out=h)),
    Route("clip-out", lambda t: t.data, lambda h, new, k: np.clip(new, -1e9, 1e9, out=h)),
    Route("flat", lambda t: t.data, lambda h, new, k: h.flat.__setitem__(k, new.flat[k])),
    Route("place", lambda t: t.data,
          lambda h, new, k: np.place(h, changed(h, new), new[changed(h, new)])),
    Route("putmask", lambda t: t.data, lambda h, new, k: np.putmask(h, changed(h, new), new)),
    Route("put", lambda t: t.data, lambda h, new, k: np.put(h, [k], [new.flat[k]])),
    Route("fill", lambda t: t.data, lambda h, new, k: h.fill(new.flat[k])),
    Route("fill_diagonal", lambda t: t.data.reshape(1, -1),
          lambda h, new, k: np.fill_diagonal(h, new.flat[0])),
    Route("sort", lambda t: t.data.reshape(-1), lambda h, new, k: h[::-1].sort()),
    Route("view-of-data", lambda t: t.data.reshape(-1),
          lambda h, new, k: h.__setitem__(k, new.flat[k])),
    Route("asarray(t)", lambda t: np.asarray(t), data_setitem),
    Route("asarray(t.data)", lambda t: np.asarray(t.data), data_setitem),
    Route("numpy()", lambda t: t.numpy(), data_setitem),
    Route("memoryview", lambda t: t.data, memoryview_write),
    Route("detach", lambda t: t.detach(), tensor_data_setitem),
    Route("detach+=", lambda t: t.detach(), iadd_same_shape),
    Route("T", lambda t: t.T, transposed_write),
    Route("T+=-no-grad", lambda t: t.T, transposed_iadd_nograd),
    Route("reshape", lambda t: t.reshape(-1), reshaped_write),
    Route("t[...]", lambda t: t[...], tensor_data_full),
    Route("t[:]-no-grad", lambda t: t[...] if t.ndim == 0 else t[:], iadd_nograd),
    Route("Tensor(t)", lambda t: Tensor(t), tensor_data_setitem),
    Route("Tensor(t)+=", lambda t: Tensor(t), iadd_same_shape),
    Route("Tensor(t.data)", lambda t: Tensor(t.data), tensor_data_full),
    Route("Tensor(t.T).T.detach()", lambda t: Tensor(t.T).T.detach(), tensor_data_setitem),
    Route("Tensor(t.data[...])+=", lambda t: Tensor(t.data[...]), iadd_same_shape),
    Route("t+=-no-grad", lambda t: t, iadd_nograd),
    Route("t+=-recording", lambda t: t, iadd_recording),
]

#: Routes that write into a copy: the victim must not change and no backward may raise.
COPY_ROUTES = [
    Route("flatten", lambda t: t.data.flatten(), lambda h, new, k: h.__setitem__(k, 99.0)),
    Route("repeat", lambda t: t.data.repeat(2), lambda h, new, k: h.__setitem__(k, 99.0)),
    Route("take", lambda t: t.data.take([0]), lambda h, new, k: h.__setitem__(0, 99.0)),
    Route("copy", lambda t: t.data.copy(), lambda h, new, k: h.fill(99.0)),
    Route("np.array(t)", lambda t: np.array(t), lambda h, new, k: h.fill(99.0)),
    Route("np.copy(t.data)", lambda t: np.copy(t.data), lambda h, new, k: h.fill(99.0)),
    Route("astype", lambda t: t.data.astype(np.float64), lambda h, new, k: h.fill(99.0)),
    Route("fancy-index", lambda t: t.data.reshape(-1)[[0]], lambda h, new, k: h.fill(99.0)),
    Route("arithmetic", lambda t: t.data * 1.0, lambda h, new, k: h.fill(99.0)),
    Route("flat.copy()", lambda t: t.data.flat.copy(), lambda h, new, k: h.fill(99.0)),
    Route("Tensor(np.array(t))", lambda t: Tensor(np.array(t)),
          lambda h, new, k: h.data.fill(99.0)),
    Route("Tensor(t.data.copy())", lambda t: Tensor(t.data.copy()), iadd_same_shape),
]


# ----- the programs ---------------------------------------------------------------------------
#: First op, on the leaf x: what each keeps for backward differs (its input, its output).
FIRST = {
    "exp": (lambda x: x.exp(), lambda x: x.exp()),
    "tanh": (lambda x: x.tanh(), lambda x: x.tanh()),
    "sin": (lambda x: x.sin(), lambda x: x.sin()),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    "scale": (lambda x: x * 1.5, lambda x: x * 1.5),
    "square": (lambda x: x * x, lambda x: x * x),
}
#: Second op, on h and the constant c.
SECOND = {
    "mul": (lambda h, c: h * c, lambda h, c: h * c),
    "div": (lambda h, c: h / c, lambda h, c: h / c),
    "add": (lambda h, c: h + c, lambda h, c: h + c),
    "matmul": (lambda h, c: h @ (c.T if c.ndim == 2 else c),
               lambda h, c: h @ (c.T if c.ndim == 2 else c)),
}


@dataclass
class Program:
    """x (a leaf that requires grad) -> h = first(x) -> out = second(h, c); loss = sum(out*w)."""

    first: str
    second: str
    x: np.ndarray
    c: np.ndarray
    w_seed: int

    def weights(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.random.default_rng(self.w_seed).standard_normal(shape)


def torch_gradient(program: Program, x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """d loss / dx by PyTorch float64, for the values x and c."""
    import torch

    xt = torch.tensor(x, requires_grad=True)
    ct = torch.tensor(c)
    h = FIRST[program.first][1](xt)
    out = SECOND[program.second][1](h, ct)
    w = torch.tensor(program.weights(tuple(out.shape)))
    (out * w).sum().backward()
    return xt.grad.numpy()


#: What a refused write raises: NumPy's read-only errors, and autograd_lite's refusals.
REFUSED = (ValueError, TypeError, RuntimeError)
VICTIMS = ("x", "c", "h")
#: When the write happens: after the graph is built (handle taken then, or kept from before
#: the victim was used), or before the graph is built.
TIMINGS = ("after", "kept", "before")


def check_write(program: Program, victim: str, route: Route, timing: str, k: int,
                delta: float, into_copy: bool = False) -> str:
    """Build the program, write through `route`, run backward, and assert the contract:
    a write into memory the graph saved is refused (the memory unchanged, and backward then
    gives PyTorch's gradient) or makes backward raise `RuntimeError` naming the tensor and the
    op; otherwise backward gives PyTorch's gradient for the values the forward pass saw. A write
    into a copy changes nothing and is never reported. Returns what happened (for the
    property test's statistics)."""
    first = FIRST[program.first][0]
    second = SECOND[program.second][0]
    x = Tensor(program.x, requires_grad=True, label="x")
    c = Tensor(program.c, label="c")
    tensors = {"x": x, "c": c}
    handle: Any = None
    refused = False

    def write(target: Tensor) -> None:
        nonlocal handle, refused
        old = np.array(target._data)
        new = old.copy()
        new.flat[k] += delta
        try:
            if handle is None:
                handle = route.take(target)
            route.write(handle, new, k)
        except REFUSED:
            refused = True
            assert np.array_equal(target._data, old), f"{route.name}: refused, but wrote"
        if into_copy:
            assert np.array_equal(target._data, old), f"{route.name}: a copy reached the tensor"

    if timing == "before":
        write(tensors[victim])
    elif timing == "kept" and victim != "h":
        handle = route.take(tensors[victim])
    seen_x, seen_c = np.array(x._data), np.array(c._data)  # what the forward pass sees
    h = first(x)
    h.label = "h"
    tensors["h"] = h
    if timing == "kept" and victim == "h":
        handle = route.take(h)
    out = second(h, c)
    loss = (out * program.weights(out.shape)).sum()
    if timing != "before":
        write(tensors[victim])
    expected = torch_gradient(program, seen_x, seen_c)
    try:
        loss.backward()
    except RuntimeError as exc:
        message = str(exc)
        assert not into_copy, f"{route.name}: a write into a copy was reported: {message}"
        assert not refused, f"{route.name}: a refused write was reported: {message}"
        assert timing != "before", f"{route.name}: a write before the graph was reported"
        assert "changed in place" in message and "op '" in message, message
        names = {"x": "'x'", "c": "'c'", "h": "'h'"}
        assert names[victim] in message or "tensor id" in message, message
        return "raised"
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12, atol=1e-13,
                               err_msg=f"{route.name} into {victim} ({timing}): silently wrong")
    return "refused" if refused else "correct"
