"""nn.scalar: neurons, layers and MLPs on Value, checked against floats and the Tensor MLP."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_lite import Tensor, Value, nn
from autograd_lite.nn import scalar
from autograd_lite.random import manual_seed


def test_neuron_computes_activation_of_weighted_sum_and_its_gradient():
    neuron = scalar.Neuron(3, activation="tanh")
    w = [p.data for p in neuron.w]
    b = neuron.b.data
    x = [0.5, -1.0, 2.0]
    out = neuron(x)
    z = sum(wi * xi for wi, xi in zip(w, x)) + b
    assert out.data == pytest.approx(math.tanh(z), rel=1e-12)
    out.backward()
    for wi, xi in zip(neuron.w, x):
        assert wi.grad == pytest.approx((1 - math.tanh(z) ** 2) * xi, rel=1e-12)
    assert neuron.b.grad == pytest.approx(1 - math.tanh(z) ** 2, rel=1e-12)
    assert neuron.parameters() == [*neuron.w, neuron.b]


def test_neuron_takes_values_and_linear_activation():
    neuron = scalar.Neuron(2, activation=None)
    x0 = Value(1.5)
    out = neuron([x0, 2])
    assert out.data == pytest.approx(neuron.w[0].data * 1.5 + neuron.w[1].data * 2 + neuron.b.data)
    out.backward()
    assert x0.grad == pytest.approx(neuron.w[0].data)


def test_layer_and_mlp_output_types():
    layer = scalar.Layer(2, 3)
    outs = layer([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 3
    assert all(isinstance(o, Value) for o in outs)
    assert len(layer.parameters()) == 3 * (2 + 1)
    assert isinstance(scalar.MLP(2, [4, 1])([0.1, 0.2]), Value)
    wide = scalar.MLP(2, [4, 3])(np.array([0.1, 0.2]))
    assert isinstance(wide, list) and len(wide) == 3


def test_mlp_matches_the_tensor_mlp_with_the_same_weights():
    model = scalar.MLP(2, [4, 3, 1])
    assert len(model.parameters()) == (2 * 4 + 4) + (4 * 3 + 3) + (3 * 1 + 1)
    assert model.layers[0].neurons[2].w[1].label == "L0.n2.w1"
    twin = nn.MLP(2, [4, 3, 1])
    for layer, linear in zip(model.layers, twin.layers):
        linear.weight.data = np.array([[w.data for w in n.w] for n in layer.neurons])
        linear.bias.data = np.array([n.b.data for n in layer.neurons])
    x = [0.3, -0.7]
    out = model(x)
    out.backward()
    t_out = twin(Tensor(np.array([x])))
    t_out.sum().backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    for layer, linear in zip(model.layers, twin.layers):
        np.testing.assert_allclose([[w.grad for w in n.w] for n in layer.neurons],
                                   linear.weight.grad, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose([n.b.grad for n in layer.neurons], linear.bias.grad,
                                   rtol=1e-12, atol=1e-15)


def test_zero_grad_and_seeded_init():
    manual_seed(9)
    a = scalar.MLP(2, [3, 1])
    manual_seed(9)
    b = scalar.MLP(2, [3, 1])
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert all(abs(p.data) <= 1 / math.sqrt(2) for p in a.layers[0].parameters())
    a([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in a.parameters())
    a.zero_grad()
    assert all(p.grad == 0.0 for p in a.parameters())


def test_scalar_errors():
    with pytest.raises(ValueError, match="unknown activation 'softplus'; valid ones are 'relu', "
                                         "'tanh', 'sigmoid', 'linear'"):
        scalar.Neuron(2, activation="softplus")
    with pytest.raises(ValueError, match="unknown activation 'linear'"):
        scalar.MLP(2, [3, 1], activation="linear")
    with pytest.raises(ValueError, match=r"expected 2 inputs \(nin=2\), got 3"):
        scalar.MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="sequence of 2 numbers"):
        scalar.Neuron(2)(1.0)
    with pytest.raises(TypeError, match="nouts must be a non-empty list"):
        scalar.MLP(2, [])


def test_scalar_losses_match_numpy_and_their_gradients():
    zs = [Value(v) for v in (-800.0, -1.0, 0.0, 0.5, 800.0)]
    ys = [1.0, 0.0, 1.0, 0.3, 0.0]
    loss = scalar.binary_cross_entropy_with_logits(zs, ys)
    z = np.array([v.data for v in zs])
    y = np.array(ys)
    assert loss.data == pytest.approx(np.mean(np.logaddexp(0, z) - z * y), rel=1e-12)
    loss.backward()
    expected = (0.5 * (1 + np.tanh(z / 2)) - y) / 5
    np.testing.assert_allclose([v.grad for v in zs], expected, rtol=1e-12, atol=1e-15)

    scores = [Value(2.0), Value(0.5), Value(-0.5)]
    hinge = scalar.hinge_loss(scores, [1, -1, -1], reduction="sum")
    assert hinge.data == pytest.approx(0 + 1.5 + 0.5)
    hinge.backward()
    assert [s.grad for s in scores] == [0.0, 1.0, 1.0]

    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        scalar.hinge_loss(scores, [0, 1, 1])
    with pytest.raises(ValueError, match="got 3 outputs but 2 targets"):
        scalar.binary_cross_entropy_with_logits(scores, [0, 1])
