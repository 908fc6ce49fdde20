"""SGD (plain, momentum, weight decay) against hand-computed NumPy updates."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import Tensor, Value, optim

GRADS = [np.array([[0.5, -1.0], [2.0, 0.1]]), np.array([[-0.3, 0.4], [1.0, -2.0]]),
         np.array([[0.2, 0.2], [-0.5, 0.7]]), np.array([[1.0, -0.6], [0.0, 0.3]])]
START = np.array([[1.0, -2.0], [0.5, 3.0]])


def reference_sgd(p, grads, lr, momentum=0.0, weight_decay=0.0):
    """PyTorch's SGD written out: g += wd p; v = g (first) or m v + g; p -= lr v."""
    p = p.copy()
    v = None
    history = []
    for g in grads:
        g = g + weight_decay * p
        if momentum:
            v = g.copy() if v is None else momentum * v + g
            g = v
        p = p - lr * g
        history.append(p.copy())
    return history


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.1),
                                                    (0.8, 0.05)])
def test_sgd_tensor_updates_match_numpy(momentum, weight_decay):
    p = Tensor(START.copy(), requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=momentum, weight_decay=weight_decay)
    expected = reference_sgd(START, GRADS, 0.1, momentum, weight_decay)
    for g, want in zip(GRADS, expected):
        p.grad = g.copy()
        opt.step()
        np.testing.assert_allclose(p.data, want, rtol=1e-14)


def test_sgd_on_values_matches_the_same_numbers():
    values = [Value(float(x)) for x in START.ravel()]
    opt = optim.SGD(values, lr=0.1, momentum=0.9, weight_decay=0.05)
    expected = reference_sgd(START, GRADS, 0.1, 0.9, 0.05)
    for g, want in zip(GRADS, expected):
        for v, gi in zip(values, g.ravel()):
            v.grad = float(gi)
        opt.step()
        assert all(isinstance(v.data, float) for v in values)
        np.testing.assert_allclose([v.data for v in values], want.ravel(), rtol=1e-14)


def test_sgd_step_after_backward_follows_the_gradient():
    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    v = Value(4.0)
    opt = optim.SGD([w, v], lr=0.25)
    ((w * w).sum() * 0.5).backward()
    (v * v).backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.75, -1.5, 2.25])
    assert v.data == pytest.approx(4.0 - 0.25 * 8.0)
    opt.zero_grad()
    assert w.grad is None and v.grad == 0.0


def test_tensor_without_grad_is_skipped_and_float32_stays_float32():
    a = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    b = Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([a, b], lr=0.5)
    a.grad = np.full(2, 2.0, dtype=np.float32)
    opt.step()
    assert a.data.dtype == np.float32
    np.testing.assert_array_equal(a.data, [0.0, 0.0])
    np.testing.assert_array_equal(b.data, [1.0, 1.0])  # no gradient: untouched


def test_lr_can_change_between_steps_and_is_checked():
    p = Tensor(np.zeros(1), requires_grad=True)
    opt = optim.SGD([p], lr=1.0)
    opt.lr = 0.5
    p.grad = np.ones(1)
    opt.step()
    np.testing.assert_allclose(p.data, [-0.5])
    with pytest.raises(ValueError, match="lr must be a positive number, got 0.0"):
        opt.lr = 0
    assert opt.lr == 0.5


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0.0}, ValueError, "lr must be a positive number"),
    ({"lr": -0.1}, ValueError, "lr must be a positive number"),
    ({"lr": float("nan")}, ValueError, "lr must be a positive number"),
    ({"lr": "0.1"}, TypeError, "lr must be a positive number"),
    ({"lr": True}, TypeError, "lr must be a positive number"),
    ({"lr": 0.1, "momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\)"),
    ({"lr": 0.1, "momentum": -0.5}, ValueError, r"momentum must be in \[0, 1\)"),
    ({"lr": 0.1, "weight_decay": -1}, ValueError, "weight_decay must be a finite number >= 0"),
])
def test_sgd_rejects_bad_hyperparameters(kwargs, error, message):
    with pytest.raises(error, match=message):
        optim.SGD([Tensor(np.zeros(1), requires_grad=True)], **kwargs)
