"""Where an optimizer writes: into each parameter's own memory, also when that memory is shared
with another tensor, as the in-place operators of a hand-written update step do."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, optim

# SGD writes with its `update_in_place`, Adam through `update`: both paths are covered.
OPTIMIZERS = [lambda ps: optim.SGD(ps, lr=0.5), lambda ps: optim.Adam(ps, lr=0.5)]


@pytest.mark.parametrize("make", OPTIMIZERS, ids=["sgd", "adam"])
@pytest.mark.parametrize("share", [lambda t: Tensor(t, requires_grad=True),
                                   lambda t: Tensor(t.data, requires_grad=True)],
                         ids=["Tensor(t)", "Tensor(t.data)"])
def test_a_parameter_sharing_memory_is_updated_in_that_memory(make, share):
    t = Tensor(np.ones(3), requires_grad=True)
    p = share(t)
    y = (t * t).sum()  # saves t's memory for backward
    p.grad = np.ones(3)
    make([p]).step()
    assert p.data[0] < 1.0
    np.testing.assert_array_equal(t.data, p.data)  # one memory, as `p -= ...` would leave it
    with ag.no_grad():
        p_by_hand = Tensor(np.ones(3), requires_grad=True)
        q = Tensor(p_by_hand.data, requires_grad=True)
        q -= 0.5 * np.ones(3)
    np.testing.assert_array_equal(p_by_hand.data, q.data)  # the hand-written step agrees
    with pytest.raises(RuntimeError, match="modified|changed"):
        y.backward()  # the step changed what the graph saved: refused, never a wrong gradient


@pytest.mark.parametrize("make", OPTIMIZERS, ids=["sgd", "adam"])
def test_a_broadcast_parameter_is_refused_before_any_parameter_changes(make):
    first = Tensor(np.zeros(2), requires_grad=True)
    spread = Tensor(ag.broadcast_to(Tensor(np.ones(1)), (3,)), requires_grad=True)
    first.grad = np.ones(2)
    spread.grad = np.arange(3.0)  # three different updates for one memory location
    opt = make([first, spread])
    with pytest.raises(ValueError, match=r"step: parameter 1 \(Tensor of shape \(3,\)\) cannot "
                                         r"be updated: this tensor is a broadcast view"):
        opt.step()
    np.testing.assert_array_equal(first.data, [0.0, 0.0])
    np.testing.assert_array_equal(spread.data, [1.0, 1.0, 1.0])
