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


# ----- gradcheck catches a hand-derived backward pass with mistakes --------------------------
class HandDerivedNet(ag.Function):
    """mean((sigmoid(X W^T + b) v + c - y)^2) with a hand-written vjp: `slope` is the factor
    in the sigmoid's derivative (1 is right), `bias` how the bias collects its gradient."""

    def __init__(self, X, y, slope=1.0, bias="sum"):
        self.X, self.y, self.slope, self.bias = X, y, slope, bias

    def forward(self, W, b, v, c):
        self.h = 1 / (1 + np.exp(-(self.X @ W.T + b)))
        self.v = v
        self.err = self.h @ v + c - self.y
        return np.mean(self.err ** 2)

    def vjp(self, grad_out):
        d_pred = grad_out * 2 * self.err / len(self.y)
        d_a = np.outer(d_pred, self.v) * self.slope * self.h * (1 - self.h)
        grad_b = d_a.sum(axis=0) if self.bias == "sum" else d_a.mean(axis=0)
        return d_a.T @ self.X, grad_b, self.h.T @ d_pred, d_pred.sum()


def hand_network(slope, bias, lesson=False):
    """The loss by hand, the same loss by autodiff, and starting parameters: 40 points and 5
    hidden units, or the lesson's 100 points and 8 hidden units."""
    if lesson:
        X, labels = ag.datasets.make_moons(100, noise=0.1, seed=0)
        rng = np.random.default_rng(0)
        start = [rng.normal(size=(8, 2)), np.zeros(8), rng.normal(size=8), np.zeros(())]
    else:
        X, labels = ag.datasets.make_moons(40, noise=0.1, seed=3)
        rng = np.random.default_rng(2)
        start = [rng.normal(size=(5, 2)), rng.normal(size=5) * 0.1, rng.normal(size=5),
                 np.zeros(())]

    def loss(W, b, v, c):
        return HandDerivedNet.apply(W, b, v, c, X=X, y=labels * 1.0, slope=slope, bias=bias)

    def reference(W, b, v, c):
        h = (Tensor(X) @ W.T + b).sigmoid()
        return ((h @ v + c - labels) ** 2).mean()

    return loss, reference, start


def test_gradcheck_names_the_argument_and_entry_of_a_stray_factor():
    loss, reference, start = hand_network(slope=2.0, bias="sum")
    with pytest.raises(ag.GradcheckError) as caught:
        ag.gradcheck(loss, *start, argnums=0)
    error = caught.value
    assert error.argname == "W" and error.argnum == 0 and error.mismatches == 10
    assert error.analytic == pytest.approx(2 * error.numeric, rel=1e-6)
    # the numeric value is the true derivative: autodiff's, at that entry
    true = ag.grad(reference)(*start)
    assert error.numeric == pytest.approx(true[error.index], rel=1e-6)
    assert f"index {error.index}" in str(error) and "'W'" in str(error)
    assert ag.gradcheck(loss, *start, argnums=(2, 3))  # v and c come before the mistake


def test_gradcheck_catches_a_mean_where_the_bias_needs_a_sum():
    loss, reference, start = hand_network(slope=1.0, bias="mean")
    assert ag.gradcheck(loss, *start, argnums=(0, 2, 3))
    with pytest.raises(ag.GradcheckError) as caught:
        ag.gradcheck(loss, *start, argnums=1)
    assert caught.value.argname == "b"
    assert caught.value.analytic == pytest.approx(caught.value.numeric / 40, rel=1e-6)
    correct, _, _ = hand_network(slope=1.0, bias="sum")
    assert ag.gradcheck(correct, *start)  # the derivation without the mistakes passes


def test_the_wrong_gradients_still_train_a_little_and_autodiff_trains_better():
    """The lesson's network: 100 points, 8 hidden units, 1000 steps of size 0.5."""
    loss, reference, start = hand_network(slope=2.0, bias="mean", lesson=True)

    def train(fn, steps=1000, lr=0.5):
        params = [p.copy() for p in start]
        gradient = ag.grad(fn, argnums=(0, 1, 2, 3))
        for _ in range(steps):
            params = [p - lr * g for p, g in zip(params, gradient(*params))]
        return reference(*params).item()

    initial = reference(*start).item()
    wrong, right = train(loss), train(reference)
    assert wrong < 0.2 * initial  # no error, and the loss went down: the mistake hides
    assert right < 0.5 * wrong
