"""What a transform touches: only the nodes its function made from its inputs. Hooks and
gradients of tensors the function closes over stay as they were, a freed graph it closes over
does not stop it, and a hook the function puts on its own nodes runs on their gradient."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor


def test_hooks_and_grads_of_closed_over_tensors_are_left_alone():
    calls = []
    w = Tensor([1.0, -2.0], requires_grad=True)
    w.grad = np.array([10.0, 10.0])
    w.register_hook(lambda g: calls.append("w"))
    h = w * 3
    h.retain_grad()
    h.register_hook(lambda g: calls.append("h"))
    x = np.array([3.0, 4.0])
    for transform in (ag.grad, ag.hessian, ag.elementwise_grad):
        transform(lambda x: (x * h).sum())(x)
    ag.jacobian(lambda x: x * h, mode="rev")(x)
    ag.jvp(lambda x: (x * h).sum(), (x,), (x,))
    ag.vjp(lambda x: x * h, x)[1](x)
    ag.gradcheck(lambda x: x * h, x)
    assert calls == []
    np.testing.assert_array_equal(w.grad, [10.0, 10.0])
    assert h.grad is None
    # an ordinary backward still runs them
    (h * 2).sum().backward()
    assert calls == ["h", "w"]


def test_a_freed_graph_the_function_closes_over_is_not_visited():
    w = Tensor([1.0, 2.0], requires_grad=True)
    h = w.exp()
    h.sum().backward()  # frees the buffers of h's op
    g = ag.grad(lambda x: (x * h).sum())(np.array([0.5, 0.5]))
    np.testing.assert_allclose(g, np.exp([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="retain_graph"):
        h.sum().backward()


def test_hooks_the_function_puts_on_its_own_nodes_run():
    seen = []

    def f(x):
        x.register_hook(lambda g: g * 10)  # on the argument: scales its gradient
        y = x * x
        y.register_hook(lambda g: seen.append(g.copy()))
        return y.sum()

    np.testing.assert_allclose(ag.grad(f)(np.array([1.0, 2.0])), [20.0, 40.0])
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    # forward mode runs no hooks (they belong to backward passes)
    assert ag.jvp(f, (np.array([1.0, 2.0]),), (np.array([1.0, 0.0]),))[1] == 2.0
    assert len(seen) == 1


def test_retained_gradients_inside_the_function_are_restored():
    kept = {}

    def f(x):
        y = x * 2
        y.retain_grad()
        kept["y"] = y
        return (y ** 2).sum()

    ag.jacobian(f, mode="rev")(np.array([1.0, 2.0]))
    ag.hessian(f)(np.array([1.0, 2.0]))
    assert kept["y"].grad is None
