"""The shared engine: accumulation, fan-out, diamonds, repeated backward, freeing, depth."""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value
from autograd_lite.engine import topological_order


def test_value_fan_out_x_times_x():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_tensor_fan_out_x_times_x():
    x = Tensor([1.0, -2.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, -4.0])


def test_value_diamond():
    a = Value(2.0)
    b = a * 3.0
    c = a + 1.0
    d = b * c  # 3a(a + 1): d' = 6a + 3 = 15
    d.backward()
    assert a.grad == 15.0
    assert b.grad == 3.0 and c.grad == 6.0


def test_tensor_diamond_with_broadcasting():
    a = Tensor(np.array([[1.0], [2.0]]), requires_grad=True)  # (2, 1)
    row = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)  # (3,)
    left = a * row  # (2, 3)
    right = a + row
    (left * right).sum().backward()
    # d/da sum(a r (a + r)) = sum_r (2 a r + r^2); d/dr = sum_a (a^2 + 2 a r)
    r = row.data
    expected_a = (2 * a.data * r + r**2).sum(axis=1, keepdims=True)
    expected_r = (a.data**2 + 2 * a.data * r).sum(axis=0)
    np.testing.assert_allclose(a.grad, expected_a)
    np.testing.assert_allclose(row.grad, expected_r)


def test_reuse_of_a_non_leaf_node():
    x = Value(1.5)
    h = x.tanh()
    y = h * h + h  # dy/dh = 2h + 1
    y.backward()
    t = np.tanh(1.5)
    assert x.grad == pytest.approx((2 * t + 1) * (1 - t * t), rel=1e-12)


def test_repeated_value_backward_is_exact():
    # d/da of 3*a*a at a=2 is 12 per call; a tiny engine that reuses the intermediate
    # gradients from the first call gets 36 after two calls.
    a = Value(2.0)
    c = 3 * a * a
    c.backward()
    assert a.grad == 12.0
    c.backward()
    assert a.grad == 24.0


def test_repeated_value_backward_doubles_every_node_once():
    a = Value(2.0)
    b = Value(-3.0)
    mid = a * b
    out = mid + a**2
    out.backward()
    first = (a.grad, b.grad, mid.grad, out.grad)
    out.backward()
    assert (a.grad, b.grad, mid.grad, out.grad) == tuple(2 * g for g in first)


def test_value_grads_kept_on_every_node():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + a**2
    c.backward()
    assert a.grad == 1.0 and b.grad == 2.0  # b + 2a, a
    assert c.grad == 1.0
    assert all(p.grad != 0.0 for p in c.parents)


def test_tensor_second_backward_through_freed_graph_raises():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_tensor_retain_graph_doubles_leaf_grads():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])


def test_only_leaves_keep_grad_unless_retained():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    k = x * 2.0
    k.retain_grad()
    (h * k).sum().backward()
    assert h.grad is None
    np.testing.assert_array_equal(k.grad, h.data)
    np.testing.assert_array_equal(x.grad, 12.0 * x.data)


def test_grad_reset_by_assigning_none():
    x = Tensor([1.0], requires_grad=True)
    (x * 2.0).sum().backward()
    x.grad = None
    (x * 5.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [5.0])


def test_grad_does_not_alias_internal_buffers():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()
    x.grad[0] = 100.0
    assert y.grad[0] == 1.0


def test_no_grad_records_nothing():
    x = Tensor([1.0], requires_grad=True)
    with ag.no_grad():
        y = x * 2.0
        v = Value(1.0) * 2.0
    assert not y.requires_grad and y.parents == () and y.op == ""
    assert v.parents == ()
    assert ag.is_grad_enabled()


def test_no_grad_as_decorator():
    @ag.no_grad()
    def double(t):
        return t * 2.0

    x = Tensor([1.0], requires_grad=True)
    assert not double(x).requires_grad
    assert (x * 2.0).requires_grad


def test_detach_cuts_the_graph():
    x = Tensor([2.0], requires_grad=True)
    y = x * x.detach()  # d/dx = x (the detached factor is a constant)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0])


def test_hooks_see_and_replace_gradients():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    seen = []
    handle = h.register_hook(lambda g: seen.append(g.copy()))
    x.register_hook(lambda g: g * 10.0)
    h.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [30.0, 30.0])
    handle.remove()
    x.grad = None
    (x * 3.0).sum().backward()  # a new graph: no hook on the new intermediate
    h2 = x * 1.0
    h2.register_hook(lambda g: seen.append(g))
    assert len(seen) == 1


def test_removed_hook_is_not_called():
    x = Tensor([1.0], requires_grad=True)
    calls = []
    handle = x.register_hook(lambda g: calls.append(1))
    handle.remove()
    handle.remove()
    (x * 2.0).sum().backward()
    assert calls == []


def test_create_graph_gives_differentiable_gradients():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    (x.sin() * x).sum().backward(create_graph=True)
    g = x.grad  # cos(x) x + sin(x)
    assert isinstance(g, Tensor) and g.requires_grad
    np.testing.assert_allclose(g.data, np.cos(x.data) * x.data + np.sin(x.data))
    x.grad = None
    g.sum().backward()  # -sin(x) x + 2 cos(x)
    np.testing.assert_allclose(x.grad, -np.sin(x.data) * x.data + 2 * np.cos(x.data))


def test_third_derivative():
    x = Tensor(np.array(0.7), requires_grad=True)
    (x**4).backward(create_graph=True)
    g1 = x.grad
    x.grad = None
    g1.backward(create_graph=True)
    g2 = x.grad
    x.grad = None
    g2.backward()
    assert float(x.grad) == pytest.approx(24 * 0.7, rel=1e-12)


def test_topological_order_is_deterministic_and_parents_first():
    def build():
        a = Tensor([1.0, 2.0], requires_grad=True, label="a")
        b = Tensor([3.0, 4.0], requires_grad=True, label="b")
        c = a * b
        d = c + a
        e = (d * c).sum()
        return e

    orders = []
    for _ in range(5):
        root = build()
        order = topological_order(root)
        position = {id(n): i for i, n in enumerate(order)}
        for node in order:
            for parent in node.parents:
                assert position[id(parent)] < position[id(node)]
        orders.append([(n.op, n.label) for n in order])
    assert all(o == orders[0] for o in orders)


def test_topological_order_does_not_compare_tensors():
    # Tensor.__eq__ is elementwise; the order must track nodes by identity.
    a = Tensor([1.0, 1.0], requires_grad=True)
    b = Tensor([1.0, 1.0], requires_grad=True)  # equal values, different node
    (a * b).sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 1.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_value_chain_one_million_deep():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    assert sys.getrecursionlimit() < 1_000_000


def test_tensor_chain_hundred_thousand_deep():
    x = Tensor(np.array([0.5, -0.5]), requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_graph_freed_by_reference_counting_without_gc():
    gc.disable()
    try:
        x = Tensor(np.ones(3), requires_grad=True)
        y = (x * 2.0).exp().sum()
        ref = weakref.ref(y)
        inner = weakref.ref(y.parents[0])
        del y
        assert ref() is None and inner() is None
        v = Value(1.0)
        w = (v * 2.0).tanh()
        wref = weakref.ref(w)
        del w
        assert wref() is None
    finally:
        gc.enable()


def test_saved_buffers_released_after_backward():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x * Tensor(np.full(3, 2.0))
    z = y.sum()
    z.backward()
    assert y._op.freed and y._op.x is None and y._op.y is None
    # forward values and structure stay readable (for drawing)
    np.testing.assert_array_equal(y.data, [2.0, 2.0, 2.0])
    assert y.op == "mul" and y.parents[0] is x


def test_non_float_tensor_requiring_grad_is_a_type_error():
    with pytest.raises(TypeError, match="floating-point"):
        Tensor(np.array([1, 2]), requires_grad=True)
    with pytest.raises(TypeError, match="floating-point"):
        Tensor([1, 2], dtype=np.int32, requires_grad=True)


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_a_failed_backward_changes_no_gradient():
    x = Tensor([0.1, 0.2], requires_grad=True)
    a = Tensor([1.0, 1.0], requires_grad=True)
    h = x.exp()
    h.sum().backward()  # frees h's buffers
    x_before = x.grad.copy()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        (h.sum() + (a * 3.0).sum()).backward()
    assert a.grad is None
    np.testing.assert_array_equal(x.grad, x_before)


def test_a_backward_refused_for_an_in_place_change_changes_no_gradient():
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    b = Tensor([1.0, 1.0], requires_grad=True)
    loss = (b * 2.0).sum() + (w * w).sum()
    w.data[0] = 3.0
    with pytest.raises(RuntimeError, match="'w'"):
        loss.backward()
    assert b.grad is None and w.grad is None


def test_unpickled_and_copied_nodes_come_after_their_parents_in_backward():
    """Backward orders nodes by creation number; a node unpickled from another process (whose
    counter ran further) or deep-copied must still reach the gradient."""
    import copy
    import pickle

    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    w.id = 10**12  # as if made by a process that had already made that many nodes
    w2 = pickle.loads(pickle.dumps(w))
    (w2 * w2).sum().backward()
    np.testing.assert_array_equal(w2.grad, [2.0, -4.0, 6.0])

    v = Value(3.0)
    v.id = 10**12
    v2 = pickle.loads(pickle.dumps(v))
    (v2 * v2 + v2).backward()
    assert v2.grad == 7.0

    a = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    h = (a * a).tanh()
    h2 = copy.deepcopy(h)
    a2 = h2.parents[0].parents[0]
    assert a2.id < h2.parents[0].id < h2.id
    (h2 * 3.0).sum().backward()
    np.testing.assert_allclose(a2.grad, 3.0 * 2 * a.data * (1 - np.tanh(a.data ** 2) ** 2))
    assert a.grad is None
