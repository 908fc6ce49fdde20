"""Adam against a hand-written NumPy reference, and the checks every optimizer makes."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import Tensor, Value, nn, optim

rng = np.random.default_rng(0)
GRADS = [rng.normal(size=(3, 2)) for _ in range(5)]
START = rng.normal(size=(3, 2))


def reference_adam(p, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    p = p.copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    history = []
    for t, g in enumerate(grads, start=1):
        g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        history.append(p.copy())
    return history


@pytest.mark.parametrize("kwargs", [{}, {"betas": (0.5, 0.9), "eps": 1e-3},
                                    {"weight_decay": 0.1, "lr": 0.05}])
def test_adam_tensor_updates_match_numpy(kwargs):
    lr = kwargs.pop("lr", 0.01)
    p = Tensor(START.copy(), requires_grad=True)
    opt = optim.Adam([p], lr=lr, **kwargs)
    for g, want in zip(GRADS, reference_adam(START, GRADS, lr, **kwargs)):
        p.grad = g.copy()
        opt.step()
        np.testing.assert_allclose(p.data, want, rtol=1e-13)


def test_adam_on_values_matches_the_same_numbers():
    values = [Value(float(x)) for x in START.ravel()]
    opt = optim.Adam(values, lr=0.02, betas=(0.8, 0.99))
    for g, want in zip(GRADS, reference_adam(START, GRADS, 0.02, betas=(0.8, 0.99))):
        for v, gi in zip(values, g.ravel()):
            v.grad = float(gi)
        opt.step()
        np.testing.assert_allclose([v.data for v in values], want.ravel(), rtol=1e-13)


def test_adam_counts_steps_per_parameter():
    a = Tensor(START.copy(), requires_grad=True)
    b = Tensor(START.copy(), requires_grad=True)
    opt = optim.Adam([a, b], lr=0.01)
    a.grad = GRADS[0].copy()
    opt.step()  # b has no gradient yet: skipped, its step count stays 0
    a.grad, b.grad = GRADS[1].copy(), GRADS[0].copy()
    opt.step()
    np.testing.assert_allclose(a.data, reference_adam(START, GRADS[:2], 0.01)[1], rtol=1e-13)
    np.testing.assert_allclose(b.data, reference_adam(START, GRADS[:1], 0.01)[0], rtol=1e-13)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0}, ValueError, "lr must be a positive number"),
    ({"lr": None}, TypeError, "lr must be a positive number"),
    ({"betas": (0.9, 1.0)}, ValueError, r"betas\[1\] must be in \[0, 1\)"),
    ({"betas": (-0.1, 0.9)}, ValueError, r"betas\[0\] must be in \[0, 1\)"),
    ({"betas": 0.9}, TypeError, "betas must be a pair"),
    ({"betas": (0.9, 0.99, 0.9)}, TypeError, "betas must be a pair"),
    ({"eps": 0.0}, ValueError, "eps must be a positive number"),
    ({"weight_decay": float("inf")}, ValueError, "weight_decay must be a finite number"),
])
def test_adam_rejects_bad_hyperparameters(kwargs, error, message):
    with pytest.raises(error, match=message):
        optim.Adam([Tensor(np.zeros(1), requires_grad=True)], **kwargs)


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam])
def test_bad_parameter_lists(make):
    with pytest.raises(ValueError, match="empty parameter list"):
        make([], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        make(nn.ReLU().parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"did you mean model.parameters\(\)"):
        make(nn.Linear(2, 1), lr=0.1)
    with pytest.raises(TypeError, match="wrap it in a list"):
        make(Tensor(np.zeros(1), requires_grad=True), lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is a ndarray; expected a Tensor or a Value"):
        make([Value(1.0), np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="parameter 0 .* does not require grad"):
        make([Tensor(np.zeros(2))], lr=0.1)


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam])
def test_duplicates_are_updated_once(make):
    p = Tensor(np.zeros(2), requires_grad=True)
    opt = make([p, p], lr=0.1)
    assert len(opt.params) == 1
    p.grad = np.ones(2)
    opt.step()
    np.testing.assert_allclose(p.data, [-0.1, -0.1])


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam])
def test_a_gradient_of_the_wrong_shape_changes_nothing(make):
    a = Tensor(np.ones(2), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    opt = make([a, b], lr=0.1)
    a.grad = np.ones(2)
    b.grad = np.ones(4)
    with pytest.raises(ValueError, match=r"parameter 1 .* gradient of shape \(4,\); expected "
                                         r"\(3,\)"):
        opt.step()
    np.testing.assert_array_equal(a.data, [1.0, 1.0])
    np.testing.assert_array_equal(b.data, [1.0, 1.0, 1.0])
