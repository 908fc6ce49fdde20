"""nn.scalar: neurons, layers and MLPs on Value, checked against floats and the Tensor MLP."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_lite import Tensor, Value, nn
from autograd_lite.engine import run_backward
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


def product_by_product(neuron: scalar.Neuron, x: list) -> Value:
    """The neuron's output on the micrograd-style graph: a mul and an add node per weight."""
    total = neuron.b
    for wi, xi in zip(neuron.w, x):
        total = total + wi * xi
    return total if neuron.activation == "linear" else getattr(total, neuron.activation)()


def test_neuron_records_one_linear_node_whose_parents_are_weights_inputs_and_bias():
    neuron = scalar.Neuron(3, activation="relu")
    x0 = Value(0.5)
    out = neuron([x0, -1.0, 2])
    linear = out.parents[0]
    assert out.op == "relu" and linear.op == "linear"
    assert linear.parents[:3] == tuple(neuron.w) and linear.parents[-1] is neuron.b
    inputs = linear.parents[3:6]
    assert inputs[0] is x0 and [v.data for v in inputs] == [0.5, -1.0, 2.0]
    assert not inputs[1].requires_grad  # numbers in the input are constants


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_neuron_gradients_equal_the_product_by_product_graph_and_differences(activation):
    manual_seed(3)
    neuron = scalar.Neuron(4, activation=activation)
    if activation == "relu":
        neuron.b.data = 2.0  # away from the kink
    xs = [Value(v) for v in (0.5, -1.0, 2.0, 0.25)]
    out = neuron(xs)
    out.backward()
    fused = [p.grad for p in (*neuron.parameters(), *xs)]
    neuron.zero_grad()
    for v in xs:
        v.grad = 0.0
    hand = product_by_product(neuron, xs)
    hand.backward()
    assert hand.data == out.data  # the same sum in the same order: equal to the last bit
    assert [p.grad for p in (*neuron.parameters(), *xs)] == fused

    eps = 1e-6
    for i, p in enumerate((*neuron.parameters(), *xs)):
        p.data += eps
        up = neuron(xs).data
        p.data -= 2 * eps
        down = neuron(xs).data
        p.data += eps
        assert fused[i] == pytest.approx((up - down) / (2 * eps), rel=1e-6, abs=1e-9)


def test_linear_function_numbers_no_bias_and_errors():
    w = [Value(0.5), Value(-2.0)]
    out = scalar.linear(w, [3.0, Value(0.25)])
    assert out.op == "linear" and out.data == 0.5 * 3.0 - 2.0 * 0.25 and len(out.parents) == 4
    out.backward()
    assert [wi.grad for wi in w] == [3.0, 0.25]
    assert scalar.linear([2.0], [Value(3.0)], bias=1).data == 7.0
    with pytest.raises(ValueError, match="got 2 weights but 1 inputs"):
        scalar.linear(w, [1.0])
    with pytest.raises(TypeError, match="unsupported operand"):
        scalar.linear(w, [1.0, "2"])


def test_linear_backward_twice_doubles_and_keeps_every_grad():
    w, x, b = Value(1.5), Value(-0.5), Value(0.25)
    out = scalar.linear([w, w], [x, x], b).tanh()
    out.backward()
    first = (w.grad, x.grad, b.grad, out.parents[0].grad)
    out.backward()
    assert (w.grad, x.grad, b.grad, out.parents[0].grad) == tuple(2 * g for g in first)


def test_linear_second_derivatives_match_the_product_graph():
    def build(fused):
        w = [Value(0.3), Value(-1.2)]
        x = [Value(0.5), Value(2.0)]
        b = Value(0.1)
        z = scalar.linear(w, x, b) if fused else b + w[0] * x[0] + w[1] * x[1]
        return (z.tanh() * z), [*w, *x, b]

    hessians = []
    for fused in (True, False):
        y, leaves = build(fused)
        run_backward(y, 1.0, create_graph=True)  # gradients recorded as a graph of Values
        grads = [v.grad for v in leaves]
        rows = []
        for g in grads:
            for v in leaves:
                v.grad = 0.0
            g.backward()
            rows.append([v.grad for v in leaves])
        hessians.append(rows)
    np.testing.assert_allclose(hessians[0], hessians[1], rtol=1e-12, atol=1e-14)
    assert hessians[0][0][2] != 0.0  # d2y / dw0 dx0: the mixed term of the product


def test_mlp_inputs_become_one_constant_each_shared_by_the_first_layer():
    model = scalar.MLP(2, [3, 1])
    out = model([0.5, -1.0])
    assert out.op == "linear"  # the last layer has no activation
    hidden = out.parents[3:6]  # after the 3 weights: the hidden layer's relu outputs
    linears = [h.parents[0] for h in hidden]
    for i in (2, 3):  # after the 2 weights of each hidden neuron: the 2 inputs
        assert all(lin.parents[i] is linears[0].parents[i] for lin in linears)
    assert [v.data for v in linears[0].parents[2:4]] == [0.5, -1.0]


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
