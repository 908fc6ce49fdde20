"""The backpropagation lesson: backpropagation is the chain rule, one Jacobian (W^T) per layer."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, nn, optim
from autograd_lite.nn import functional as F


def test_l13_autodiff_equals_the_chain_rule_by_hand():
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal(3), 0.25
    Wv, bv, uv, cv = (rng.standard_normal((4, 3)), rng.standard_normal(4),
                      rng.standard_normal(4), rng.standard_normal(()))
    W, b, u, c = (Tensor(a, requires_grad=True) for a in (Wv, bv, uv, cv))
    xt = Tensor(x, requires_grad=True)
    y = ((W @ xt + b).tanh() @ u + c).sigmoid()
    ((y - t) ** 2).backward()

    h = np.tanh(Wv @ x + bv)
    yv = 1 / (1 + np.exp(-(h @ uv + cv)))
    dz = 2 * (yv - t) * yv * (1 - yv)
    da = dz * uv * (1 - h**2)
    for got, want in [(W.grad, np.outer(da, x)), (b.grad, da), (u.grad, dz * h),
                      (c.grad, dz), (xt.grad, Wv.T @ da)]:
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_l13_on_the_scalar_engine():
    n = nn.scalar.Neuron(2, activation="tanh")
    w, b = n.parameters()[:2], n.parameters()[2]
    x = [0.5, -1.5]
    out = n(x)
    out.backward()
    pre = w[0].data * x[0] + w[1].data * x[1] + b.data
    dpre = 1 - np.tanh(pre) ** 2
    assert abs(out.data - np.tanh(pre)) <= 1e-12
    assert abs(w[0].grad - dpre * x[0]) <= 1e-9
    assert abs(w[1].grad - dpre * x[1]) <= 1e-9
    assert abs(b.grad - dpre) <= 1e-9


@pytest.fixture(scope="module")
def moons_model():
    X, y = ag.datasets.make_moons(200, noise=0.1, seed=0)
    ag.manual_seed(0)
    model = nn.MLP(2, [16, 16, 1], activation="relu")
    opt = optim.Adam(model.parameters(), lr=0.03)
    for _ in range(300):
        loss = F.binary_cross_entropy_with_logits(model(Tensor(X)).reshape(-1), y.astype(float))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, X, y


def test_l5_mlp_with_two_hidden_layers_separates_two_moons(moons_model):
    model, X, y = moons_model
    assert len(model.layers) == 3  # two hidden layers and the output layer
    with ag.no_grad():
        accuracy = np.mean((model(Tensor(X)).numpy()[:, 0] > 0) == (y == 1))
    assert accuracy >= 0.97


def test_l5_a_linear_layer_sends_back_w_transpose_times_grad_out(moons_model):
    model, X, _ = moons_model
    x = Tensor(X[3], requires_grad=True)
    weights = [layer.weight.numpy().copy() for layer in reversed(model.layers)]
    root = model(x).sum()
    linears = 0
    for step in ag.backward_steps(root):
        if step.op != "linear":
            continue
        W = weights[linears]
        linears += 1
        J = step.local_jacobian(0)
        np.testing.assert_array_equal(J, W)  # d(x @ W.T + b)/dx = W: (out, in)
        np.testing.assert_allclose(step.input_grads[0], W.T @ step.grad_out, rtol=0, atol=1e-12)
        np.testing.assert_allclose(step.input_grads[0], step.grad_out @ J, rtol=0, atol=1e-12)
    assert linears == 3
    # stepping to the end leaves the same gradient as backward()
    x2 = Tensor(X[3], requires_grad=True)
    model(x2).sum().backward()
    np.testing.assert_allclose(x.grad, x2.grad, rtol=0, atol=1e-12)
