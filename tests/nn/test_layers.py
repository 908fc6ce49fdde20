"""Linear, MLP, Sequential and the activation modules against hand-written NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import ShapeError, Tensor, Value, nn
from autograd_lite.random import manual_seed

from .numeric import numeric_grad

rng = np.random.default_rng(42)


def np_act(name, z):
    return {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh,
            "sigmoid": lambda z: 1 / (1 + np.exp(-z))}[name](z)


def np_act_grad(name, z):
    if name == "relu":
        return (z > 0).astype(float)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


# ---- Linear ---------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 4, 3)])
def test_linear_forward_and_gradients_match_numpy(shape):
    layer = nn.Linear(3, 4)
    W, b = layer.weight.data.copy(), layer.bias.data.copy()
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    upstream = rng.normal(size=shape[:-1] + (4,))
    y = layer(x)
    np.testing.assert_allclose(y.data, x.data @ W.T + b, rtol=1e-12)
    (y * upstream).sum().backward()
    g2 = upstream.reshape(-1, 4)
    x2 = x.data.reshape(-1, 3)
    np.testing.assert_allclose(layer.weight.grad, g2.T @ x2, rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, g2.sum(axis=0), rtol=1e-12)
    # what the layer sends back is the upstream gradient times W (W^T g for one column vector)
    np.testing.assert_allclose(x.grad, upstream @ W, rtol=1e-12)


def test_linear_layout_init_and_no_bias():
    layer = nn.Linear(5, 3, bias=False)
    assert layer.weight.shape == (3, 5) and layer.bias is None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    big = nn.Linear(100, 50)
    k = 1 / np.sqrt(100)
    for p in (big.weight, big.bias):
        assert p.requires_grad and p.data.dtype == np.float64
        assert np.all(np.abs(p.data) <= k) and np.abs(p.data).max() > 0.9 * k
    x = rng.normal(size=(2, 5))
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data.T)


def test_manual_seed_gives_the_same_model():
    manual_seed(123)
    a = nn.MLP(2, [8, 1])
    manual_seed(123)
    b = nn.MLP(2, [8, 1])
    c = nn.MLP(2, [8, 1])
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters()):
        np.testing.assert_array_equal(pa.data, pb.data)
        assert not np.array_equal(pa.data, pc.data)
    with pytest.raises(ValueError, match="non-negative"):
        manual_seed(-1)
    with pytest.raises(TypeError, match="non-negative integer"):
        manual_seed(1.5)


def test_linear_wrong_input_width_names_in_features_and_records_nothing():
    layer = nn.Linear(3, 2)
    x = Tensor(np.ones((4, 5)), requires_grad=True)
    with pytest.raises(ShapeError, match=r"in_features=3, got an input of shape \(4, 5\)"):
        layer(x)
    with pytest.raises(ValueError, match="in_features=3"):
        layer(np.float64(1.0))
    assert layer.weight.grad is None and x.grad is None


@pytest.mark.parametrize("bad", [0, -2, 2.5, True, "3"])
def test_linear_rejects_bad_sizes(bad):
    with pytest.raises((TypeError, ValueError), match="in_features must be a positive integer"):
        nn.Linear(bad, 2)


# ---- MLP ------------------------------------------------------------------------------------


def numpy_mlp(params, x, act):
    """Forward of an MLP from a list [W0, b0, W1, b1, ...]; returns output and pre-activations."""
    h, pre = x, []
    n = len(params) // 2
    for i in range(n):
        z = h @ params[2 * i].T + params[2 * i + 1]
        pre.append((h, z))
        h = np_act(act, z) if i < n - 1 else z
    return h, pre


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid"])
def test_mlp_forward_and_backprop_match_numpy(act):
    model = nn.MLP(3, [5, 4, 2], activation=act)
    assert [type(m) for m in model.layers] == [nn.Linear] * 3
    assert [m.weight.shape for m in model.layers] == [(5, 3), (4, 5), (2, 4)]
    params = [p.data.copy() for p in model.parameters()]
    x = rng.normal(size=(6, 3))
    upstream = rng.normal(size=(6, 2))
    out = model(x)
    expected, pre = numpy_mlp(params, x, act)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    (out * upstream).sum().backward()

    # the chain rule by hand, layer by layer from the top
    g = upstream
    grads = []
    for i in reversed(range(3)):
        h, z = pre[i]
        if i < 2:
            g = g * np_act_grad(act, z)
        grads = [g.T @ h, g.sum(axis=0)] + grads
        g = g @ params[2 * i]
    for p, expected_grad in zip(model.parameters(), grads):
        np.testing.assert_allclose(p.grad, expected_grad, rtol=1e-10, atol=1e-12)


def test_mlp_gradients_match_central_differences():
    model = nn.MLP(2, [3, 1], activation="tanh")
    x = rng.normal(size=(4, 2))
    arrays = [p.data.copy() for p in model.parameters()]

    def loss_value():
        out, _ = numpy_mlp(arrays, x, "tanh")
        return float(np.sum(out ** 2))

    (model(x) ** 2).sum().backward()
    for p, array in zip(model.parameters(), arrays):
        np.testing.assert_allclose(p.grad, numeric_grad(loss_value, array), rtol=1e-6, atol=1e-8)


def test_mlp_errors():
    with pytest.raises(ValueError, match="unknown activation 'gelu'; valid ones are 'relu', "
                                         "'tanh', 'sigmoid'"):
        nn.MLP(2, [3, 1], activation="gelu")
    with pytest.raises(ValueError, match="at least one layer"):
        nn.MLP(2, [])
    with pytest.raises(TypeError, match="layer_sizes must be a list"):
        nn.MLP(2, 3)
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be a positive integer"):
        nn.MLP(2, [3, 0])
    with pytest.raises(ShapeError, match="in_features=2"):
        nn.MLP(2, [3, 1])(np.ones((4, 3)))


# ---- Sequential and activations -------------------------------------------------------------


def test_sequential_composes_and_names_items_by_position():
    a, b = nn.Linear(2, 3), nn.Linear(3, 1)
    seq = nn.Sequential(a, nn.Tanh(), b)
    x = rng.normal(size=(4, 2))
    np.testing.assert_allclose(seq(x).data, b(a(x).tanh()).data)
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(seq) == 3 and seq[2] is b and next(iter(seq)) is a
    with pytest.raises(TypeError, match="item 1 is a function, not a Module"):
        nn.Sequential(a, lambda x: x.tanh())


@pytest.mark.parametrize("module, name", [(nn.ReLU(), "relu"), (nn.Tanh(), "tanh"),
                                          (nn.Sigmoid(), "sigmoid")])
def test_activation_modules_on_tensors_arrays_and_values(module, name):
    z = np.array([[-2.0, -0.5, 0.0], [0.3, 1.0, 4.0]])
    np.testing.assert_allclose(module(z).data, np_act(name, z), rtol=1e-12)
    t = Tensor(z, requires_grad=True)
    module(t).sum().backward()
    np.testing.assert_allclose(t.grad, np_act_grad(name, z), rtol=1e-12)
    v = module(Value(0.7))
    assert isinstance(v, Value)
    assert v.data == pytest.approx(float(np_act(name, np.array(0.7))), rel=1e-12)
    assert module.parameters() == []
