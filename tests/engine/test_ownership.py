"""The speed trick of `engine.ownership` rests on CPython's reference counts: these tests pin
that it holds here (the trick is in use) and that it is never wrong (a gradient something
else can still reach is copied)."""

from __future__ import annotations

import numpy as np

from autograd_lite import Tensor
from autograd_lite.engine import ownership


def test_reference_counts_here_are_what_the_trick_expects():
    assert list(ownership.probe_sole_owner()) == ownership.EXPECTED_PROBE
    assert ownership.COUNTS_REFERENCES, (
        "sole_owner's probe failed on this Python: gradients are now always copied (correct, "
        "but T2's step gets about 40% slower); look at how reference counts changed")


def test_a_leaf_keeps_the_array_its_only_gradient_came_in():
    w = Tensor(np.ones((3, 4)), requires_grad=True)
    x = Tensor(np.arange(12.0).reshape(4, 3))
    (x @ w).sum().backward()
    # matmul's vjp made the gradient; nothing else holds it, so it is kept without a copy
    assert w.grad.base is None and w.grad.flags.writeable
    np.testing.assert_array_equal(w.grad, np.broadcast_to(x.data.sum(axis=0)[:, None], (3, 4)))


def test_a_gradient_the_caller_still_holds_is_copied():
    w = Tensor(np.ones(3), requires_grad=True)
    seed = np.array([1.0, 2.0, 3.0])
    w.backward(seed)  # the leaf is the root: its gradient is the caller's own array
    assert w.grad is not seed and not np.shares_memory(w.grad, seed)
    seed[0] = 100.0
    np.testing.assert_array_equal(w.grad, [1.0, 2.0, 3.0])


def test_a_gradient_shared_by_two_leaves_is_copied_for_each():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    (a + b).sum().backward()  # add sends the same array to both inputs
    assert not np.shares_memory(a.grad, b.grad)
    a.grad[0] = 7.0
    assert b.grad[0] == 1.0


def test_when_the_probe_fails_every_gradient_is_copied(monkeypatch):
    monkeypatch.setattr(ownership, "COUNTS_REFERENCES", False)
    assert not ownership.sole_owner(np.zeros(2))
    w = Tensor(np.ones(3), requires_grad=True)
    (w * 2.0).sum().backward()
    np.testing.assert_array_equal(w.grad, [2.0, 2.0, 2.0])
