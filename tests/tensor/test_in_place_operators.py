"""In-place operators `+= -= *= /= **=` on Tensors, compared with PyTorch float64.

Each program below runs once on autograd_lite and once on PyTorch through a small adapter, so
the two sides are the same code. A program either gives PyTorch's values and gradients, or
(where PyTorch itself refuses, or where autograd_lite refuses what it cannot get right) both
sides raise `RuntimeError` — never a different number.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, nn, no_grad, optim
from autograd_lite.engine.errors import ShapeError

torch = pytest.importorskip("torch")

X = np.array([0.5, -1.25, 2.0])
W = np.array([1.5, 0.25, -0.75])


class Ours:
    """autograd_lite behind the adapter the programs use."""

    name = "ours"

    def t(self, values: Any, grad: bool = False, dtype: Any = np.float64) -> Tensor:
        return Tensor(np.array(values, dtype=dtype), requires_grad=grad)

    def no_grad(self) -> AbstractContextManager[Any]:
        return no_grad()

    def value(self, t: Any) -> np.ndarray:
        return np.array(t.data)

    def grad(self, t: Any) -> np.ndarray | None:
        return None if t.grad is None else np.array(t.grad)

    def flip(self, t: Any) -> Any:
        return t[::-1]


class Torch:
    """PyTorch behind the same adapter."""

    name = "torch"
    DTYPES = {np.float64: torch.float64, np.float32: torch.float32, np.float16: torch.float16}

    def t(self, values: Any, grad: bool = False, dtype: Any = np.float64) -> Any:
        return torch.tensor(np.array(values, dtype=dtype), requires_grad=grad)

    def no_grad(self) -> AbstractContextManager[Any]:
        return torch.no_grad()

    def value(self, t: Any) -> np.ndarray:
        return t.detach().numpy().copy()

    def grad(self, t: Any) -> np.ndarray | None:
        return None if t.grad is None else t.grad.numpy().copy()

    def flip(self, t: Any) -> Any:
        return t.flip(0)


def run(program: Callable[[Any], Any], lib: Any) -> dict[str, Any]:
    """Run `program(lib)`, which returns (leaves, loss, extra tensors to read); backward from
    the loss; the values and gradients as arrays (or the exception raised)."""
    try:
        leaves, loss, extra = program(lib)
        loss.backward()
    except RuntimeError as exc:
        return {"raised": exc}
    return {"loss": lib.value(loss), "grads": [lib.grad(t) for t in leaves],
            "extra": [lib.value(t) for t in extra]}


def assert_same(ours: dict[str, Any], theirs: dict[str, Any], rtol: float = 1e-13) -> None:
    assert "raised" not in ours, f"ours raised {ours.get('raised')!r}; PyTorch gave {theirs}"
    assert "raised" not in theirs, theirs
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=rtol)
    for got, want in zip(ours["grads"], theirs["grads"]):
        assert (got is None) == (want is None), (got, want)
        if want is not None:
            assert got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    for got, want in zip(ours["extra"], theirs["extra"]):
        np.testing.assert_allclose(got, want, rtol=rtol)


# ----- programs where autograd_lite gives PyTorch's numbers ---------------------------------
def chain(L):
    x, w = L.t(X, True), L.t(W, True)
    y = x * 2
    y += w
    y *= w
    return [x, w], (y * y).sum(), [y]


def chain_every_operator(L):
    x, w = L.t(X, True), L.t(W, True)
    y = x * 3
    y -= w
    y += 1.5
    y *= L.t([1.0, -2.0, 0.5])
    y /= w + 2  # last: autograd_lite's div keeps its output, so a later update would refuse
    return [x, w], y.sum(), [y]


def power_last(L):
    x, w = L.t(X, True), L.t(W, True)
    y = x - w
    y **= 3  # pow keeps its output: an update after it would refuse
    return [x, w], y.sum(), [y]


def accumulate_into_a_constant(L):
    x, w = L.t(X, True), L.t(W, True)
    total = L.t(0.0)
    for i in range(3):
        total += ((x * i - w) ** 2).sum()
    total += 1.0  # a plain number in the middle
    return [x, w], total, [total]


def accumulate_batches_into_zeros(L):
    w = L.t(W, True)
    total = L.t(np.zeros(3))
    for batch in (X, X[::-1], X * 2):
        total += (w * L.t(batch)).tanh()
    return [w], total.sum(), [total]


def add_itself(L):
    x = L.t(X, True)
    y = x * 2
    y += y
    return [x], y.sum(), [y]


def subtract_reversed_copy(L):
    x = L.t(X, True)
    y = x * 2
    y -= y.detach() * 0 + x  # an operand made from y, then x
    return [x], (y * y).sum(), [y]


def earlier_user_saved_nothing(L):
    x = L.t(X, True)
    y = x * 2
    z = y + 1  # add keeps nothing for backward
    y *= 3
    return [x], (z + y).sum(), [z, y]


def earlier_sum_then_two_updates(L):
    x = L.t(X, True)
    y = x * 2
    s = y.sum()
    y += 1
    y *= x
    return [x], s + y.sum(), [y]


def constant_updated_with_a_leaf(L):
    x = L.t(X, True)
    with L.no_grad():
        y = x * 2
    y += x
    y *= x
    return [x], y.sum(), [y]


def broadcast_operand(L):
    x, b = L.t(np.outer(X, W), True), L.t(W, True)
    y = x.tanh()
    y = y * 1.0
    y += b
    y *= L.t(2.0, True)
    return [x, b], (y ** 2).sum(), [y]


def zero_d(L):
    x = L.t(1.5, True)
    s = x * x
    s *= x
    s -= L.t(0.25, True)
    return [x], s, [s]


def retain_grad_follows_the_new_values(L):
    x = L.t(X, True)
    y = x * 2
    y.retain_grad()
    y *= 2
    return [x, y], (y * y).sum(), [y]


def detach_updated_while_recording(L):
    x = L.t(X, True)
    d = x.detach()
    d += 1.0  # x's values change too (shared memory), as in PyTorch
    return [x], (x * x).sum(), [x, d]


SAME = [
    chain, chain_every_operator, power_last, accumulate_into_a_constant,
    accumulate_batches_into_zeros, add_itself, subtract_reversed_copy,
    earlier_user_saved_nothing, earlier_sum_then_two_updates, constant_updated_with_a_leaf,
    broadcast_operand, zero_d, retain_grad_follows_the_new_values,
    detach_updated_while_recording,
]


@pytest.mark.parametrize("program", SAME, ids=[p.__name__ for p in SAME])
def test_in_place_programs_give_pytorchs_values_and_gradients(program):
    assert_same(run(program, Ours()), run(program, Torch()))


def test_hooks_registered_before_an_update_get_the_old_values_gradient():
    grads = {}
    for L in (Ours(), Torch()):
        x = L.t(X, True)
        y = x * 2
        seen = []
        y.register_hook(lambda g, seen=seen: seen.append(g.numpy().copy() if hasattr(g, "numpy")
                                                         else np.array(g)))
        y *= 2
        (y * y).sum().backward()
        grads[L.name] = seen
    np.testing.assert_allclose(grads["ours"][0], grads["torch"][0], rtol=1e-14)
    np.testing.assert_allclose(grads["ours"][0], 4 * (4 * X) * 2 / 2)  # d/dy_old = 4 y_new


def test_squaring_in_place_gives_the_gradient_of_y_times_y():
    """PyTorch refuses `y *= y` (mul saved y); autograd_lite reads the operand as y's old
    values, so the result is the gradient of y * y."""
    assert "raised" in run(lambda L: _square(L, in_place=True), Torch())
    assert_same(run(lambda L: _square(L, in_place=True), Ours()),
                run(lambda L: _square(L, in_place=False), Torch()))


def _square(L, in_place):
    x = L.t(X, True)
    y = x * 2
    if in_place:
        y *= y
    else:
        y = y * y
    return [x], y.sum(), [y]


# ----- programs both refuse ------------------------------------------------------------------
def leaf_while_recording(L):
    w = L.t(W, True)
    w -= 0.1
    return [w], w.sum(), []


def updated_after_an_op_saved_it(L):
    x, w = L.t(X, True), L.t(W, True)
    y = x * 2
    z = y * w  # mul keeps y for w's gradient
    y += 1
    return [x, w], z.sum(), []


def updated_after_exp_saved_its_output(L):
    x = L.t(X, True)
    y = x.exp()  # exp keeps its output
    y += 1
    return [x], y.sum(), []


def updated_after_sigmoid_saved_its_output(L):
    x = L.t(X, True)
    y = x.sigmoid()
    y *= 2
    return [x], y.sum(), []


def view_of_a_leaf(L):
    x = L.t(X, True)
    v = x[:2]
    v += 1
    return [x], v.sum(), []


def reshape_of_a_leaf(L):
    x = L.t(X, True)
    v = x.reshape(3, 1)
    v *= 2
    return [x], v.sum(), []


BOTH_REFUSE = [leaf_while_recording, updated_after_an_op_saved_it,
               updated_after_exp_saved_its_output, updated_after_sigmoid_saved_its_output,
               view_of_a_leaf, reshape_of_a_leaf]


@pytest.mark.parametrize("program", BOTH_REFUSE, ids=[p.__name__ for p in BOTH_REFUSE])
def test_what_pytorch_refuses_is_refused(program):
    theirs = run(program, Torch())
    ours = run(program, Ours())
    assert "raised" in theirs
    assert "raised" in ours, f"autograd_lite gave {ours} where PyTorch raised"
    assert "in place" in str(ours["raised"]) or "leaf" in str(ours["raised"]) or \
        "shares its memory" in str(ours["raised"])


def test_a_refused_leaf_update_names_the_fix_and_changes_nothing():
    w = Tensor(W, requires_grad=True, label="w")
    with pytest.raises(RuntimeError, match=r"-=: tensor 'w' is a leaf .* `with no_grad\(\):`"):
        w -= 0.1
    np.testing.assert_array_equal(w.data, W)
    assert w.is_leaf and w._version == 0


# ----- programs autograd_lite refuses where PyTorch rewrites a view's history ---------------
def view_of_a_result_updated_base_used(L):
    x, w = L.t(X, True), L.t(W[:2], True)
    y = x + 1
    v = y[:2]
    v += w
    return [x, w], y.sum(), []


def base_updated_view_used(L):
    x, w = L.t(X, True), L.t(2.0, True)
    y = x + 1
    v = y[:2]
    y *= w
    return [x, w], v.sum(), []


def transposed_result_updated(L):
    x, w = L.t(np.outer(X, W), True), L.t(W, True)
    y = x * 1.0
    v = y.T
    v += w[:, None]
    return [x, w], (y * y).sum(), []


STRICTER = [view_of_a_result_updated_base_used, base_updated_view_used,
            transposed_result_updated]


@pytest.mark.parametrize("program", STRICTER, ids=[p.__name__ for p in STRICTER])
def test_an_update_through_a_view_of_a_graph_tensor_is_refused_not_silently_wrong(program):
    """PyTorch replays the view to give both tensors the new history; autograd_lite keeps no
    view relations in the graph, so it refuses (before the change) with what to write instead.
    Without the refusal the base's gradient would silently miss the update."""
    assert "raised" not in run(program, Torch())
    with pytest.raises(RuntimeError, match=r"shares its memory with .* t = t [-+*/]+ other"):
        program(Ours())


def test_a_refused_view_update_leaves_both_tensors_unchanged():
    x = Tensor(X, requires_grad=True)
    y = x + 1
    v = y[:2]
    with pytest.raises(RuntimeError):
        v += Tensor(W[:2], requires_grad=True)
    np.testing.assert_array_equal(y.data, X + 1)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones(3))


def test_a_view_updated_under_no_grad_changes_its_base_as_in_pytorch():
    for L in (Ours(), Torch()):
        x = L.t(X, True)
        with L.no_grad():
            v = x[:2]
            v += 1.0
            t = x.T if L.name == "ours" else x.permute(0)
            t *= 2.0
        np.testing.assert_array_equal(L.value(x), (X + [1.0, 1.0, 0.0]) * 2)


def test_a_result_updated_under_no_grad_keeps_or_refuses_its_gradient():
    """PyTorch's mul by a number keeps nothing, so its gradient stands; autograd_lite's mul
    recorded the output's version, so backward refuses: loud, never a different number."""
    ours, theirs = (run(_updated_under_no_grad, L) for L in (Ours(), Torch()))
    if "raised" in ours:
        assert "changed in place" in str(ours["raised"])
    else:
        assert_same(ours, theirs)


def _updated_under_no_grad(L):
    x = L.t(X, True)
    y = x * 2
    with L.no_grad():
        y += 1
    return [x], y.sum(), [y]


# ----- the hand-written update step, and modules ----------------------------------------------
def test_the_tutorial_update_step_trains_as_in_pytorch():
    """PyTorch's polynomial tutorial: fit a + b x + c x^2 + d x^3 to sin(x) with
    `with no_grad(): a -= learning_rate * a.grad` and `a.grad = None`."""
    xs = np.linspace(-np.pi, np.pi, 200)
    ys = np.sin(xs)
    start = [0.1, -0.3, 0.2, 0.05]
    runs = {}
    for L in (Ours(), Torch()):
        x, y = L.t(xs), L.t(ys)
        params = [L.t(v, True) for v in start]
        losses = []
        for _ in range(8):
            a, b, c, d = params
            y_pred = a + b * x + c * x ** 2 + d * x ** 3
            loss = ((y_pred - y) ** 2).sum()
            losses.append(float(L.value(loss)))
            loss.backward()
            with L.no_grad():
                for p in params:
                    p -= 1e-5 * p.grad
                    p.grad = None
        runs[L.name] = (losses, [L.value(p) for p in params], params)
    np.testing.assert_allclose(runs["ours"][0], runs["torch"][0], rtol=1e-12)
    np.testing.assert_allclose(runs["ours"][1], runs["torch"][1], rtol=1e-12)
    assert np.all(np.diff(runs["ours"][0]) < 0)  # it trains
    assert all(p.is_leaf and p.requires_grad for p in runs["ours"][2])


def test_scaling_a_layers_weight_in_place_changes_the_model_as_in_pytorch():
    ag.manual_seed(0)
    layer = nn.Linear(3, 2)
    ref = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.weight.data))
        ref.bias.copy_(torch.tensor(layer.bias.data))
    opt, ref_opt = optim.SGD(layer.parameters(), lr=0.1), torch.optim.SGD(ref.parameters(), lr=0.1)
    weight = layer.weight
    before = layer.state_dict()["weight"]
    with no_grad():
        layer.weight *= 0.5
    with torch.no_grad():
        ref.weight *= 0.5
    assert layer.weight is weight and layer.weight.is_leaf and layer.weight.requires_grad
    np.testing.assert_array_equal(layer.state_dict()["weight"], before * 0.5)
    inputs = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])
    for _ in range(3):
        opt.zero_grad()
        ref_opt.zero_grad()
        (layer(inputs) ** 2).sum().backward()
        (ref(torch.tensor(inputs)) ** 2).sum().backward()
        opt.step()
        ref_opt.step()
    np.testing.assert_allclose(layer.weight.data, ref.weight.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(layer.bias.data, ref.bias.detach().numpy(), rtol=1e-13)


def test_an_in_place_update_keeps_the_object_and_its_memory():
    p = Tensor(W, requires_grad=True)
    memory = p._data
    with no_grad():
        p += 1.0
        p -= np.array([0.5, 0.5, 0.5])
        p *= Tensor(2.0)
        p /= [2.0, 4.0, 1.0]
        p **= 2
    assert p._data is memory and p.is_leaf and p.requires_grad and p.grad is None
    np.testing.assert_allclose(p.data, ((W + 0.5) * 2 / [2.0, 4.0, 1.0]) ** 2, rtol=1e-15)
    assert p._version == 5


def test_a_parameter_subclass_updates_in_place_too():
    p = nn.Parameter(np.array(W))
    with no_grad():
        p -= 0.5 * np.ones(3)
    assert isinstance(p, nn.Parameter)
    np.testing.assert_array_equal(p.data, W - 0.5)


# ----- dtypes, shapes, and operators that fail ------------------------------------------------
@pytest.mark.parametrize("mode", ["no_grad", "recording"])
def test_float32_plus_float64_stays_float32_as_in_pytorch(mode):
    results = {}
    for L in (Ours(), Torch()):
        x = L.t(X, mode == "recording", dtype=np.float32)
        y = x * 2
        if mode == "recording":
            y += L.t(W, True)
        else:
            with L.no_grad():
                y += L.t(W)
        results[L.name] = (str(L.value(y).dtype), L.value(y))
    assert results["ours"][0] == results["torch"][0] == "float32"
    np.testing.assert_allclose(results["ours"][1], results["torch"][1], rtol=1e-6)


def test_float16_plus_float32_stays_float16():
    h = Tensor(np.array([1.0, 2.0], dtype=np.float16))
    h += np.array([0.5, 0.25], dtype=np.float32)
    assert h.dtype == np.float16
    np.testing.assert_array_equal(h.data, np.array([1.5, 2.25], dtype=np.float16))


@pytest.mark.parametrize("other", [0.5, np.array([0.5, 0.5]), Tensor([0.5, 0.5]),
                                   Tensor([0.5, 0.5], requires_grad=True)],
                         ids=["float", "ndarray", "Tensor", "Tensor-requires-grad"])
def test_int_plus_float_is_refused_like_numpy_and_changes_nothing(other):
    with pytest.raises(TypeError):
        a = np.array([1, 2])
        a += 0.5
    t = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"int64 cannot hold .* convert the tensor first"):
        t += other
    np.testing.assert_array_equal(t.data, [1, 2])
    assert t.dtype == np.int64 and not t.requires_grad and t._version == 0


def test_integer_and_boolean_updates_numpy_allows_work():
    t = Tensor(np.array([1, 2]))
    t += np.array(3)
    t *= np.array([2, 1])
    t -= Tensor(np.array([1, 1]))
    np.testing.assert_array_equal(t.data, [7, 4])
    assert t.dtype == np.int64
    b = Tensor(np.array([True, False]))
    b *= np.array([True, True])
    np.testing.assert_array_equal(b.data, [True, False])


def test_complex_tensors_update_as_numpy_and_real_plus_complex_is_refused():
    z = Tensor(np.array([1 + 1j, 2.0]))
    z *= 1j
    np.testing.assert_array_equal(z.data, [-1 + 1j, 2j])
    r = Tensor(np.array([1.0, 2.0]))
    with pytest.raises(TypeError):
        r += 1j
    np.testing.assert_array_equal(r.data, [1.0, 2.0])


@pytest.mark.parametrize("shape, other", [
    ((3,), (2, 3)), ((), (3,)), ((2, 1), (2, 3)), ((0,), (2, 0)),
])
@pytest.mark.parametrize("mode", ["no_grad", "recording"])
def test_an_update_that_would_change_the_shape_is_refused(shape, other, mode):
    t = Tensor(np.ones(shape))
    o = Tensor(np.ones(other), requires_grad=mode == "recording")
    with pytest.raises(ShapeError, match="keeps the tensor's shape"):
        t += o
    assert t.shape == shape and t._version == 0
    with pytest.raises(RuntimeError):  # PyTorch refuses too
        tt = torch.ones(shape)
        tt += torch.ones(other)


def test_broadcasting_into_the_tensors_shape_is_allowed():
    t = Tensor(np.zeros((2, 3)))
    t += np.array([1.0, 2.0, 3.0])
    t *= np.array([[1.0], [2.0]])
    t -= Tensor(1.0)
    np.testing.assert_array_equal(t.data, [[0.0, 1.0, 2.0], [1.0, 3.0, 5.0]])


def test_empty_tensors_update_in_place():
    t = Tensor(np.zeros((0, 3)))
    t += np.ones(3)
    assert t.shape == (0, 3)
    x = Tensor(np.zeros((0, 2)), requires_grad=True)
    y = x * 2
    y += 1.0
    y.sum().backward()
    assert x.grad.shape == (0, 2)


@pytest.mark.parametrize("mode", ["no_grad", "recording"])
def test_an_operator_that_fails_half_way_leaves_the_tensor_unchanged(mode):
    """NumPy writes the quotient before it checks np.errstate: the update must not."""
    w = Tensor(W, requires_grad=True)
    x = Tensor(X, requires_grad=mode == "recording")
    y = x * 1.0 if mode == "recording" else x
    saved = (w * y).sum()  # mul keeps y
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        if mode == "recording":
            y /= Tensor([1.0, 0.0, 2.0], requires_grad=True)
        else:
            with no_grad():
                y /= Tensor([1.0, 0.0, 2.0])
    np.testing.assert_array_equal(y.data, X)
    saved.backward()
    np.testing.assert_array_equal(w.grad, X)  # the values mul saw


def test_a_broadcast_view_cannot_be_updated_and_stays_as_it_was():
    x = Tensor(X)
    b = x.broadcast_to((2, 3))
    with pytest.raises(ValueError, match="broadcast view"):
        b += 1.0
    np.testing.assert_array_equal(x.data, X)


def test_an_update_of_a_0d_tensor_from_a_numpy_scalar():
    t = Tensor(1.0)
    t += np.float64(2.0)
    t *= np.float32(2.0)
    assert t.dtype == np.float64 and t.item() == 6.0


# ----- function transforms through in-place operators -----------------------------------------
def updated_in_place(x):
    y = x * 2
    y += x
    y *= x
    y -= x.sin()
    return y


def squared_in_place(x):
    y = x.exp() * 1.0
    y *= y  # PyTorch refuses (mul saved y); the operand is y's earlier values
    total = y.sum() * 0
    total += (y / (x + 3)).sum()
    return total


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.func's own imports
@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobians_and_jvps_through_in_place_operators_are_pytorchs(mode):
    from torch.func import jacrev, jvp

    x = X
    np.testing.assert_allclose(ag.jacobian(updated_in_place, mode=mode)(x),
                               jacrev(updated_in_place)(torch.tensor(x)).numpy(), rtol=1e-14)
    tangent = np.array([1.0, 2.0, -0.5])
    np.testing.assert_allclose(
        ag.jvp(updated_in_place, (x,), (tangent,))[1],
        jvp(updated_in_place, (torch.tensor(x),), (torch.tensor(tangent),))[1].numpy(),
        rtol=1e-14)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_hessians_through_in_place_operators():
    from torch.func import hessian

    np.testing.assert_allclose(ag.hessian(lambda x: updated_in_place(x).sum())(X),
                               hessian(lambda x: updated_in_place(x).sum())(torch.tensor(X)),
                               rtol=1e-13)
    reference = hessian(lambda x: ((x.exp() * x.exp()) / (x + 3)).sum())(torch.tensor(X))
    np.testing.assert_allclose(ag.hessian(squared_in_place)(X), reference.numpy(), rtol=1e-13)
