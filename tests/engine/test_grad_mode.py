"""Grad mode belongs to the thread, and `no_grad`, `enable_grad`, `set_grad_enabled` work as
blocks and as decorators (bare or called, on plain and generator functions), compared with
PyTorch's `torch.no_grad` & co. wherever PyTorch defines the behaviour.

Each scenario runs against an adapter (`Ours`, `Torch`) and returns what it observed; the two
lists must be equal.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value, enable_grad, no_grad, set_grad_enabled
from autograd_lite.engine.grad_mode import is_grad_enabled

torch = pytest.importorskip("torch")


class Ours:
    no_grad, enable_grad, set_grad_enabled = no_grad, enable_grad, set_grad_enabled
    is_grad_enabled = staticmethod(is_grad_enabled)

    @staticmethod
    def leaf() -> Tensor:
        return Tensor([1.0, 2.0], requires_grad=True)

    @staticmethod
    def records() -> bool:
        """Whether an op made now, in this thread, records a graph."""
        return (Ours.leaf() * 2).requires_grad


class Torch:
    no_grad, enable_grad, set_grad_enabled = torch.no_grad, torch.enable_grad, \
        torch.set_grad_enabled
    is_grad_enabled = staticmethod(torch.is_grad_enabled)

    @staticmethod
    def leaf() -> Any:
        return torch.tensor([1.0, 2.0], requires_grad=True)

    @staticmethod
    def records() -> bool:
        return (Torch.leaf() * 2).requires_grad


LIBS = [Ours, Torch]


def same_in_both(scenario) -> list[Any]:
    ours, theirs = scenario(Ours), scenario(Torch)
    assert ours == theirs, f"autograd_lite {ours} != PyTorch {theirs}"
    assert is_grad_enabled() and torch.is_grad_enabled()
    return ours


# ----- threads ---------------------------------------------------------------------------------
def two_threads(L) -> list[Any]:
    """A no_grad block in one thread while the other records."""
    inside, recorded = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def quiet() -> None:
        with L.no_grad():
            inside.set()
            recorded.wait(5)
            seen["quiet records"] = L.records()
        seen["quiet after"] = L.records()

    def loud() -> None:
        inside.wait(5)
        seen["loud records"] = L.records()
        recorded.set()

    threads = [threading.Thread(target=quiet), threading.Thread(target=loud)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(seen.items()) + [("main", L.records())]


def overlapping_blocks(L) -> list[Any]:
    """A enters, B enters, A leaves, B leaves: both threads record afterwards."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def a() -> None:
        with L.no_grad():
            a_in.set()
            b_in.wait(5)
        seen["a after"] = L.records()
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with L.no_grad():
            b_in.set()
            a_out.wait(5)
            seen["b inside after a left"] = L.records()
        seen["b after"] = L.records()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(seen.items()) + [("main", L.records())]


def new_thread_inside_no_grad(L) -> list[Any]:
    """A thread started inside a no_grad block starts with recording on (its own mode)."""
    seen = []
    with L.no_grad():
        t = threading.Thread(target=lambda: seen.append(L.records()))
        t.start()
        t.join()
        seen.append(L.records())
    return seen


def set_grad_enabled_in_a_thread(L) -> list[Any]:
    """A plain set_grad_enabled(False) in a thread leaves the others alone."""
    seen = []

    def off() -> None:
        L.set_grad_enabled(False)
        seen.append(L.records())

    t = threading.Thread(target=off)
    t.start()
    t.join()
    seen.append(L.records())
    return seen


@pytest.mark.parametrize("scenario", [two_threads, overlapping_blocks, new_thread_inside_no_grad,
                                      set_grad_enabled_in_a_thread],
                         ids=lambda s: s.__name__)
def test_grad_mode_belongs_to_the_thread_as_in_pytorch(scenario):
    same_in_both(scenario)


def test_overlapping_blocks_leave_recording_on_in_both_threads():
    assert dict(overlapping_blocks(Ours)) == {
        "a after": True, "b inside after a left": False, "b after": True, "main": True}


def test_a_thread_pool_with_mixed_blocks():
    barrier = threading.Barrier(4, timeout=5)

    def task(i: int) -> tuple[bool, bool]:
        if i % 2:
            with no_grad():
                barrier.wait()  # every worker is inside its own mode at once
                return True, (Ours.leaf() * i).requires_grad
        barrier.wait()
        return False, (Ours.leaf() * i).requires_grad

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(task, range(16)))
    assert all(quiet != records for quiet, records in results)
    assert is_grad_enabled()


def test_one_block_object_entered_by_two_threads_restores_each_threads_mode():
    """PyTorch keeps one `prev` per object, so it cannot share one between threads; here each
    thread gets its own mode back."""
    shared = no_grad()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def a() -> None:
        with shared:
            a_in.set()
            b_in.wait(5)
        seen["a after"] = is_grad_enabled()
        a_out.set()

    def b() -> None:
        with no_grad():
            a_in.wait(5)
            with shared:
                b_in.set()
                a_out.wait(5)
            seen["b back in its own no_grad"] = is_grad_enabled()
        seen["b after"] = is_grad_enabled()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a after": True, "b back in its own no_grad": False, "b after": True}


def test_backward_and_recording_in_two_threads_at_once():
    """create_graph switches recording on inside backward: only in the thread running it."""
    started, done = threading.Event(), threading.Event()
    seen = []

    def quiet_worker() -> None:
        with no_grad():
            started.set()
            done.wait(5)
            seen.append((Ours.leaf() * 3).requires_grad)

    t = threading.Thread(target=quiet_worker)
    t.start()
    started.wait(5)
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    done.set()
    t.join()
    assert seen == [False]
    assert isinstance(x.grad, Tensor) and x.grad.requires_grad
    np.testing.assert_array_equal(x.grad.data, [3.0, 12.0])


def test_values_follow_the_threads_mode_too():
    seen = []

    def worker() -> None:
        seen.append(len((Value(2.0) * Value(3.0)).parents))

    with no_grad():
        seen.append(len((Value(2.0) * Value(3.0)).parents))
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == [0, 2]  # off in this thread's block, on in the new thread


# ----- decorators --------------------------------------------------------------------------
def decorators(L) -> list[Any]:
    seen = []

    @L.no_grad()
    def called() -> bool:
        return L.records()

    @L.enable_grad()
    def enabled_called() -> bool:
        return L.records()

    @L.enable_grad
    def enabled_bare() -> bool:
        return L.records()

    @L.set_grad_enabled(False)
    def switched_off() -> bool:
        return L.records()

    @L.set_grad_enabled(True)
    def switched_on() -> bool:
        return L.records()

    seen.append(("decorating changed nothing", L.records()))
    seen += [("no_grad()", called()), ("set_grad_enabled(False)", switched_off())]
    with L.no_grad():
        seen += [("enable_grad()", enabled_called()), ("enable_grad", enabled_bare()),
                 ("set_grad_enabled(True)", switched_on()), ("still off", L.records())]
    seen.append(("after", L.records()))
    return seen


def test_decorators_with_and_without_parentheses_as_in_pytorch():
    seen = same_in_both(decorators)
    assert seen == [("decorating changed nothing", True), ("no_grad()", False),
                    ("set_grad_enabled(False)", False), ("enable_grad()", True),
                    ("enable_grad", True), ("set_grad_enabled(True)", True),
                    ("still off", False), ("after", True)]


def test_bare_no_grad_decorator():
    """PyTorch's no_grad takes no function (`@torch.no_grad` fails there); here it works."""

    @no_grad
    def bare(x: Tensor) -> Tensor:
        return x * 2

    assert bare.__name__ == "bare"
    assert not bare(Ours.leaf()).requires_grad
    assert Ours.records()


def plain_set_grad_enabled(L) -> list[Any]:
    seen = []
    L.set_grad_enabled(False)
    seen.append(L.records())
    with L.enable_grad():
        seen.append(L.records())
    seen.append(L.records())
    L.set_grad_enabled(True)
    seen.append(L.records())
    with L.no_grad():
        L.set_grad_enabled(True)  # inside a block: until the block ends
        seen.append(L.records())
    seen.append(L.records())
    with L.set_grad_enabled(False):
        seen.append(L.records())
    seen.append(L.records())
    block = L.set_grad_enabled(False)  # switches at once, as a call
    seen.append(L.records())
    L.set_grad_enabled(True)
    with block:  # entering switches again; leaving restores the mode from before the call
        seen.append(L.records())
    seen.append(L.records())
    return seen


def test_set_grad_enabled_as_a_plain_call_as_in_pytorch():
    assert same_in_both(plain_set_grad_enabled) == [
        False, True, False, True, True, True, False, True, False, False, True]


def nesting(L) -> list[Any]:
    seen = []
    with L.no_grad():
        seen.append(L.records())
        with L.enable_grad():
            seen.append(L.records())
            with L.no_grad():
                seen.append(L.records())
                with L.set_grad_enabled(True):
                    seen.append(L.records())
                seen.append(L.records())
            seen.append(L.records())
        seen.append(L.records())
    seen.append(L.records())
    try:
        with L.no_grad():
            raise KeyError("inside")
    except KeyError:
        seen.append(L.records())
    return seen


def test_nesting_and_exceptions_as_in_pytorch():
    assert same_in_both(nesting) == [False, True, False, True, False, True, False, True, True]


def recursion(L) -> list[Any]:
    seen = []

    @L.no_grad()
    def down(n: int) -> None:
        seen.append((n, "in", L.records()))
        if n:
            with L.enable_grad():
                seen.append((n, "enabled", L.records()))
                down(n - 1)
                seen.append((n, "back", L.records()))
        seen.append((n, "out", L.records()))

    down(3)
    seen.append(("after", L.records()))

    @L.no_grad()
    def fails(n: int) -> None:
        if n == 0:
            raise ValueError("bottom")
        fails(n - 1)

    with pytest.raises(ValueError):
        fails(4)
    seen.append(("after a failure", L.records()))
    return seen


def test_recursion_of_decorated_functions_as_in_pytorch():
    same_in_both(recursion)


# ----- generators -------------------------------------------------------------------------
def generator(L) -> list[Any]:
    seen = []

    @L.no_grad()
    def gen(n: int):
        try:
            for i in range(n):
                try:
                    received = yield (i, L.records())
                    seen.append(("received", received, L.records()))
                except KeyError as exc:
                    seen.append(("caught", str(exc), L.records()))
                    yield ("after throw", L.records())
        finally:
            seen.append(("finally", L.records()))
        return "done"

    g = gen(3)
    seen.append(("made, not started", L.records()))
    seen.append(("first", next(g), L.records()))
    with L.no_grad():  # the caller's own mode changes between resumes
        seen.append(("send", g.send("hello"), L.records()))
    seen.append(("throw", g.throw(KeyError("k")), L.records()))
    seen.append(("next", next(g), L.records()))
    with pytest.raises(StopIteration) as stop:
        next(g)
    seen.append(("returned", stop.value.value, L.records()))

    g2 = gen(5)
    next(g2)
    g2.close()
    seen.append(("closed", L.records()))

    with L.no_grad():
        g3 = gen(2)
        with L.enable_grad():
            seen.append(("resumed under enable_grad", next(g3), L.records()))
        seen.append(("caller still off", L.records()))
        g3.close()
    return seen


def test_a_decorated_generator_never_records_and_restores_the_caller_as_in_pytorch():
    seen = same_in_both(generator)
    inside = [item for item in seen if item[0] in ("received", "caught", "finally")]
    assert inside and all(item[-1] is False for item in inside)  # nothing inside records
    for item in seen:  # every yielded value was made without recording
        if item[0] in ("first", "send", "throw", "next", "resumed under enable_grad"):
            assert item[1][-1] is False, item
    assert ("returned", "done", True) in seen


def test_a_decorated_generator_makes_no_graph():
    @no_grad()
    def batches(x: Tensor):
        for scale in (1.0, 2.0):
            yield x * scale

    x = Ours.leaf()
    outs = list(batches(x))
    assert all(not out.requires_grad and out.op == "" for out in outs)
    assert (x * 2).requires_grad


def test_a_decorated_generator_driven_from_two_threads():
    @no_grad()
    def gen():
        while True:
            yield Ours.records()

    g = gen()
    seen = [next(g)]
    t = threading.Thread(target=lambda: seen.append((next(g), Ours.records())))
    t.start()
    t.join()
    seen.append(Ours.records())
    assert seen == [False, (False, True), True]


# ----- refused uses ------------------------------------------------------------------------
@pytest.mark.parametrize("block", [no_grad, enable_grad, lambda f: set_grad_enabled(False)(f)],
                         ids=["no_grad", "enable_grad", "set_grad_enabled"])
def test_async_functions_are_refused_with_what_to_do(block):
    async def coro() -> bool:
        await asyncio.sleep(0)
        return Ours.records()

    async def agen():
        yield Ours.records()

    for func in (coro, agen):
        with pytest.raises(TypeError, match=r"async function .* grad mode belongs to the thread"):
            block(func)
    assert is_grad_enabled()


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="decorator needs a function"):
        no_grad()(3)
    with pytest.raises(TypeError, match=r"must be a bool .* got numpy.bool"):
        set_grad_enabled(np.False_)
    with pytest.raises(TypeError, match="got str"):
        set_grad_enabled("no")
    assert is_grad_enabled()


def test_transforms_work_inside_no_grad_as_torch_func_does():
    with no_grad():
        got = ag.grad(lambda x: (x * x).sum())(np.array([1.0, 2.0]))
        with torch.no_grad():
            want = torch.func.grad(lambda x: (x * x).sum())(torch.tensor([1.0, 2.0]))
        assert not is_grad_enabled()
    np.testing.assert_array_equal(got, want.numpy())


def nested_generators(L) -> list[Any]:
    seen = []

    @L.enable_grad()
    def inner():
        seen.append(("inner", L.records()))
        yield 1
        seen.append(("inner again", L.records()))

    @L.no_grad()
    def outer():
        seen.append(("outer", L.records()))
        yield from inner()
        seen.append(("outer again", L.records()))
        yield 2

    for value in outer():
        seen.append(("caller", value, L.records()))
    abandoned = outer()
    next(abandoned)
    del abandoned  # closed by the garbage collector
    seen.append(("end", L.records()))
    return seen


def test_nested_decorated_generators_as_in_pytorch():
    seen = same_in_both(nested_generators)
    assert seen[:6] == [("outer", False), ("inner", True), ("caller", 1, True),
                        ("inner again", True), ("outer again", False), ("caller", 2, True)]
