"""Every write route into a tensor's memory (API §7), on graphs whose ops keep their inputs or
outputs: refused, or backward raises naming the tensor and the op, or the gradient is
PyTorch's — never silently wrong. Writes into copies are never reported. The property test
tests/property/test_write_routes.py draws random combinations of the same routes."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from autograd_lite import Function, Tensor, no_grad

from ..write_routes import COPY_ROUTES, ROUTES, TIMINGS, VICTIMS, Program, check_write

pytest.importorskip("torch")

PROGRAMS = {
    # exp keeps its output h; mul keeps h and c: every victim is saved
    "exp-mul": Program("exp", "mul", np.array([[0.3, -0.7, 1.1], [0.2, 0.5, -1.4]]),
                       np.array([[1.5, 0.6, 1.2], [0.9, 1.1, 0.7]]), 1),
    # x * 1.5 keeps x; add keeps nothing: a write into h or c is harmless
    "scale-add": Program("scale", "add", np.array([0.3, -0.7, 1.1]), np.array([1.5, 0.6, 1.2]),
                         2),
    # x * x keeps x; matmul keeps h and c
    "square-matmul": Program("square", "matmul", np.array([[0.3, -0.7], [1.1, 0.4]]),
                             np.array([[1.5, 0.6], [1.2, 0.8]]), 3),
    "sin-div-0d": Program("sin", "div", np.array(0.4), np.array(1.3), 4),
}


# h does not exist before the graph is built
CASES = [(victim, timing) for victim in VICTIMS for timing in TIMINGS
         if not (victim == "h" and timing == "before")]


@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("victim, timing", CASES, ids=[f"{v}-{t}" for v, t in CASES])
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_a_write_is_refused_or_reported_never_silently_wrong(route, victim, timing, program):
    check_write(PROGRAMS[program], victim, route, timing, k=0, delta=0.75)


@pytest.mark.parametrize("victim", VICTIMS)
@pytest.mark.parametrize("route", COPY_ROUTES, ids=[r.name for r in COPY_ROUTES])
def test_a_write_into_a_copy_changes_nothing_and_is_not_reported(route, victim):
    for program in PROGRAMS.values():
        assert check_write(program, victim, route, "after", k=0, delta=0.75,
                           into_copy=True) == "correct"


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_writes_into_saved_memory_through_every_route_are_caught(program):
    """The other side of the contract: a write into memory that was saved is never let
    through as a "correct" gradient by luck — every route that writes x (saved by every
    program's first op) is refused or raises."""
    outcomes = {r.name: check_write(PROGRAMS[program], "x", r, "after", 0, 0.75)
                for r in ROUTES if program != "exp-mul" or r.name != "t+=-recording"}
    assert set(outcomes.values()) <= {"refused", "raised"}, outcomes


def test_the_issue_example_raises_instead_of_20_4_6():
    for write in (lambda x: np.copyto(x.data, [10.0, 2.0, 3.0]),
                  lambda x: x.detach().data.__setitem__(0, 10.0),
                  lambda x: Tensor(x).data.__setitem__(0, 10.0)):
        x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
        loss = (x * x).sum()
        write(x)
        with pytest.raises(RuntimeError, match=r"tensor 'x' .* op 'mul'"):
            loss.backward()


def test_writing_the_callers_array_after_making_a_tensor_is_not_a_change():
    a = np.array([1.0, 2.0, 3.0])
    x = Tensor(a, requires_grad=True)
    loss = (x * x).sum()
    a[0] = 100.0
    loss.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])


def test_a_view_of_data_kept_from_before_the_graph_is_seen():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
    kept, kept_detached = x.data[1:], x.detach()
    loss = (x * x).sum()
    kept[0] = 7.0
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()
    loss = (x * x).sum()  # a new graph, on the new values
    kept_detached.data[2] = 1.0
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


def test_version_sharing_survives_many_views_made_and_dropped():
    x = Tensor(np.ones(4), requires_grad=True, label="x")
    for _ in range(100):
        x.T.detach().reshape(2, 2)  # each joins x's group, then is gone
    alias = x.reshape(2, 2).detach()
    loss = (x * x).sum()
    alias.data[0, 0] = 3.0
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


def test_writes_after_backward_and_into_unsaved_memory_are_fine():
    x = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, 4.0])
    loss = (x + c).sum()  # add keeps nothing
    c.data[0] = 100.0
    loss.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])
    x.data[0] = 5.0  # after backward: an optimizer's write
    np.testing.assert_array_equal(x.data, [5.0, 2.0])


def test_data_and_views_refuse_numpys_own_writes():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    for write in (lambda: np.asarray(x).__setitem__(0, 1.0),
                  lambda: np.ndarray.sort(x.data),
                  lambda: np.ravel(x.data).__setitem__(0, 1.0),
                  lambda: x.data.view(np.ndarray).__setitem__(0, 1.0),
                  lambda: memoryview(x.data).cast("B").__setitem__(0, 1),
                  lambda: np.random.default_rng(0).shuffle(x.data),
                  lambda: x.data.byteswap(inplace=True),
                  lambda: np.lib.stride_tricks.as_strided(x.data, writeable=True)
                  .__setitem__(0, 1.0),
                  lambda: [cell.__setitem__(..., 0.0)
                           for cell in np.nditer(x.data, op_flags=["readwrite"])]):
        with pytest.raises((ValueError, TypeError)):
            write()
    np.testing.assert_array_equal(x.data, np.arange(6.0).reshape(2, 3))
    assert x._version == 0


def test_custom_function_inputs_are_read_only_in_forward():
    class Doubler(Function):
        def forward(self, a):
            a *= 2
            return a

        def vjp(self, grad_out):
            return 2 * grad_out

    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"Doubler\.forward wrote into one of its inputs"):
        Doubler.apply(x)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    assert x._data.flags.writeable  # unlocked again
    x.data[0] = 3.0


def test_a_custom_function_returning_its_input_shares_its_version():
    class Identity(Function):
        def forward(self, a):
            return a

        def vjp(self, grad_out):
            return grad_out

    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    loss = (x * x).sum()
    Identity.apply(x).data[0] = 100.0
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


def test_a_thread_that_writes_before_backward_is_seen():
    x = Tensor(np.ones(3), requires_grad=True, label="x")
    loss = (x * x).sum()
    thread = threading.Thread(target=lambda: x.data.__setitem__(0, 2.0))
    thread.start()
    thread.join()
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


# ----- known holes ---------------------------------------------------------------------------
@pytest.mark.parametrize("writer", ["thread", "vjp"])
def test_a_write_during_backward_is_seen(writer):
    go, written = threading.Event(), threading.Event()
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")

    class Pause(Function):
        def forward(self, a):
            return a * 1.0

        def vjp(self, grad_out):
            if writer == "vjp":
                x.data[0] = 100.0
            else:
                go.set()
                written.wait(5)
            return grad_out

    loss = Pause.apply(x * x).sum()  # mul (keeps x) runs after Pause in backward
    thread = threading.Thread(target=lambda: (go.wait(5), x.data.__setitem__(0, 100.0),
                                              written.set()))
    thread.start()
    try:
        with pytest.raises(RuntimeError, match="'x'"):
            loss.backward()
    finally:
        go.set()
        written.set()
        thread.join()


@pytest.mark.xfail(strict=True, reason=(
    "the read-only views handed out are views of the tensor's own (writable) array, so their "
    "`.base` is that array, and NumPy lets a view be made writable again "
    "(`a.flags.writeable = True`) when its base is writable: both write silently. Views of a "
    "read-only memoryview of the array would close both (their base is the read-only buffer)"))
@pytest.mark.parametrize("write", [
    lambda x: x.data.base.__setitem__(0, 100.0),
    lambda x: np.asarray(x).base.__setitem__(0, 100.0),
    lambda x: (setattr((a := np.asarray(x)).flags, "writeable", True), a.__setitem__(0, 100.0)),
], ids=["data.base", "asarray.base", "flags.writeable"])
def test_a_write_through_the_base_or_a_re_enabled_flag_is_seen(write):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
    loss = (x * x).sum()
    try:
        write(x)
    except (ValueError, AttributeError, TypeError):
        return
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


@pytest.mark.xfail(strict=True, reason=(
    "NumPy's ufunc.at ignores the read-only flag (numpy 2.4: np.add.at on a read-only array "
    "writes), and np.asarray(t) is a plain ndarray, so np.add.at(np.asarray(t), i, v) writes "
    "into the tensor unseen (np.add.at(t.data, ...) is caught)"))
def test_ufunc_at_on_asarray_is_refused_or_seen():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
    loss = (x * x).sum()
    try:
        np.add.at(np.asarray(x), 0, 99.0)
    except ValueError:
        return
    with pytest.raises(RuntimeError, match="'x'"):
        loss.backward()


def test_no_grad_writes_through_every_shared_tensor_bump_one_counter():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    sharers = [x.detach(), x.T, x.reshape(6), x[:], x[0], Tensor(x), Tensor(x.data)]
    versions = [x._version]
    for s in sharers:
        with no_grad():
            s += 1.0
        versions.append(x._version)
    assert versions == sorted(set(versions))  # each write moved x's counter
    np.testing.assert_array_equal(
        x.data, np.arange(6.0).reshape(2, 3) + [[7, 7, 7], [6, 6, 6]])


VIEWS = {
    "T": lambda x: x.T,
    "slice": lambda x: x[1:],
    "step": lambda x: x[:, ::2],
    "reshape": lambda x: x.reshape(3, 2),
    "Tensor(x)": lambda x: x * Tensor(x),  # a constant sharing x's memory
    "expand_dims": lambda x: np.expand_dims(x, 0),
    "np.transpose": lambda x: np.transpose(x),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_a_write_into_the_base_reaches_a_saved_view(route, view):
    """The graph saved a view of x (non-contiguous, or sharing x's memory as another tensor);
    every route that writes x is refused or makes backward raise."""
    base = np.arange(1.0, 7.0).reshape(2, 3)
    x = Tensor(base, requires_grad=True, label="x")
    v = VIEWS[view](x)
    loss = (v * v).sum()  # mul keeps v
    new = base.copy()
    new[1, 2] += 0.5
    try:
        route.write(route.take(x), new, 5)
    except (ValueError, TypeError, RuntimeError):
        np.testing.assert_array_equal(x.data, base)
        loss.backward()
        return
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_assigning_an_array_to_data_takes_a_copy_as_the_constructor_does():
    """`x.data = a` used the caller's array itself: a later `a[0] = 50` changed the values a
    recorded op had saved, unseen (x.grad [100, 4, 6] for [2, 4, 6])."""
    x = Tensor([0.0, 0.0, 0.0], requires_grad=True)
    a = np.array([1.0, 2.0, 3.0])
    x.data = a
    loss = (x * x).sum()
    a[0] = 50.0
    loss.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])
    other = Tensor([7.0, 8.0, 9.0])
    x.data = other.data  # another tensor's memory: copied too
    other.data[0] = 0.0
    np.testing.assert_array_equal(x.data, [7.0, 8.0, 9.0])
