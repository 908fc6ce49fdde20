"""backward_steps: one step per non-leaf node in reverse topological order, the same gradients
as backward(), local Jacobians that reproduce each step's vector-Jacobian product."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_lite import Tensor, Value, backward_steps, nn
from autograd_lite.debug import Step
from autograd_lite.engine.backward import topological_order
from autograd_lite.random import manual_seed
from autograd_lite.text import format_number


def value_graph() -> tuple[Value, list[Value]]:
    """d = a*b + a**2 (+ a fan-out through a), with a tanh on top: leaves a, b."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = (c + a ** 2).tanh()
    d.label = "d"
    return d, [a, b, c]


def tensor_graph() -> tuple[Tensor, list[Tensor]]:
    """A small two-layer net with broadcasting, a reduction and a constant input."""
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(4, 3)), label="x")
    W = Tensor(rng.normal(size=(3, 2)), requires_grad=True, label="W")
    b = Tensor(rng.normal(size=(2,)), requires_grad=True, label="b")
    v = Tensor(rng.normal(size=(2,)), requires_grad=True, label="v")
    h = (x @ W + b).tanh()
    loss = ((h * v).sum(axis=1) ** 2).mean()
    return loss, [W, b, v]


def test_one_step_per_non_leaf_in_reverse_topological_order():
    root, _ = tensor_graph()
    expected = [n for n in reversed(topological_order(root)) if n._op is not None]
    steps = list(backward_steps(root))
    assert [s.node for s in steps] == expected
    assert [s.index for s in steps] == list(range(1, len(expected) + 1))
    assert all(isinstance(s, Step) and s.op == s.node.op for s in steps)
    assert steps[0].node is root


@pytest.mark.parametrize("make", [value_graph, tensor_graph])
def test_exhausting_the_steps_leaves_the_gradients_of_backward(make):
    root, nodes = make()
    root.backward()
    expected = [np.copy(n.grad) for n in nodes]
    twin_root, twin_nodes = make()
    for _ in backward_steps(twin_root):
        pass
    for got, want in zip(twin_nodes, expected):
        assert np.array_equal(np.asarray(got.grad), want)


def test_stopping_early_leaves_the_gradients_so_far():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    d = c + a
    steps = backward_steps(d)
    first = next(steps)
    assert first.op == "add" and d.grad == 1.0
    assert c.grad == 0.0 and a.grad == 0.0  # not reached yet
    second = next(steps)
    assert second.op == "mul" and c.grad == 1.0
    assert list(steps) == []
    assert a.grad == b.data + 1.0 and b.grad == a.data


def test_step_carries_grad_out_and_input_grads_in_each_parents_shape():
    x = Tensor(np.ones((3, 2)), requires_grad=True, label="x")
    y = Tensor(np.arange(2.0), requires_grad=True, label="y")
    z = x * y
    steps = list(backward_steps(z.sum()))
    mul = steps[1]
    assert mul.op == "mul" and mul.node is z
    assert mul.grad_out.shape == (3, 2)
    assert [g.shape for g in mul.input_grads] == [(3, 2), (2,)]  # broadcasting undone
    np.testing.assert_array_equal(mul.input_grads[1], [3.0, 3.0])
    assert mul.parents == (x, y)


def test_input_grads_is_none_where_no_gradient_is_sent():
    x = Tensor(np.ones(3), requires_grad=True)
    c = Tensor(np.full(3, 2.0))  # a constant
    (_, mul) = list(backward_steps((x - c).sum()))
    assert mul.op == "sub" and mul.input_grads[1] is None


def test_linear_layer_local_jacobian_is_W_and_sends_W_transpose_times_grad_out():
    """The backpropagation lesson: the gradient a Linear layer sends back equals W^T times the
    upstream gradient."""
    manual_seed(0)
    layer = nn.Linear(3, 2)
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True, label="x")
    loss = (layer(x).tanh() ** 2).sum()
    (matmul,) = [s for s in backward_steps(loss) if s.op == "linear" and s.parents[0] is x]
    W = layer.weight.data
    J = matmul.local_jacobian(0)
    np.testing.assert_allclose(J, W)
    np.testing.assert_allclose(matmul.input_grads[0], W.T @ matmul.grad_out)
    np.testing.assert_allclose(matmul.grad_out @ J, matmul.input_grads[0])


def test_batched_linear_jacobian_is_block_diagonal_in_W():
    manual_seed(1)
    layer = nn.Linear(3, 2)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    (matmul,) = [s for s in backward_steps(layer(x).sum()) if s.op == "linear"]
    J = matmul.local_jacobian(0)
    assert J.shape == (4, 6)
    np.testing.assert_allclose(J, np.kron(np.eye(2), layer.weight.data))


@pytest.mark.parametrize("method", ["tanh", "exp", "sigmoid", "relu", "sin"])
def test_elementwise_local_jacobian_is_diagonal(method):
    x = Tensor([-1.5, 0.3, 2.0, 0.7], requires_grad=True)
    y = getattr(x, method)()
    step = next(iter(list(backward_steps(y.sum(), retain_graph=True))[1:]))
    J = step.local_jacobian(0)
    assert J.shape == (4, 4)
    np.testing.assert_allclose(J, np.diag(np.diag(J)))
    np.testing.assert_allclose(np.diag(J), step.input_grads[0])  # grad_out is all ones


def test_local_jacobian_reproduces_every_vjp_of_a_broadcasting_graph():
    root, _ = tensor_graph()
    for step in backward_steps(root):
        for i, grad in enumerate(step.input_grads):
            if grad is None:
                continue
            J = step.local_jacobian(i)
            assert J.shape == (step.node._data.size, step.parents[i]._data.size)
            np.testing.assert_allclose(np.ravel(step.grad_out) @ J, np.ravel(grad), atol=1e-12)


def test_local_jacobian_of_a_constant_input_and_flags_restored():
    x = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, -4.0])
    steps = list(backward_steps((x * c).sum(), retain_graph=True))
    mul = steps[1]
    np.testing.assert_allclose(mul.local_jacobian(1), np.diag([1.0, 2.0]))
    assert mul.node._op.needs_grad == (True, False)
    assert mul.input_grads[1] is None


def test_value_steps_have_one_by_one_jacobians():
    root, (a, b, _) = value_graph()
    steps = {s.node.label or s.op: s for s in backward_steps(root)}
    mul = steps["c"]
    np.testing.assert_array_equal(mul.local_jacobian(0), [[b.data]])
    np.testing.assert_array_equal(mul.local_jacobian(1), [[a.data]])
    assert mul.input_grads == (mul.grad_out * b.data, mul.grad_out * a.data)


def test_local_jacobian_of_a_step_kept_after_the_iterator_moved_on():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    steps = list(backward_steps(y.sum()))
    assert y._op.freed  # released as backward() releases it
    np.testing.assert_allclose(steps[1].local_jacobian(0), np.diag([1.0, 2.0]))  # d(x*y)/dx
    assert y._op.freed and y._op.x is None  # and released again afterwards


def test_local_jacobian_after_an_earlier_backward_released_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="freed"):
        next(backward_steps(y))  # the engine refuses a second pass, as backward() does
    z = x.exp()
    z.sum().backward(retain_graph=True)
    steps = list(backward_steps(z.sum()))
    np.testing.assert_allclose(steps[1].local_jacobian(0), np.diag(np.exp([1.0, 2.0])))


def test_local_jacobian_errors():
    x = Tensor(np.ones((200, 100)), requires_grad=True)
    step = next(backward_steps(x.exp().sum()))
    inner = Step(2, step.node.parents[0], None, (None,))
    with pytest.raises(ValueError, match="smaller shapes"):
        inner.local_jacobian(0)
    with pytest.raises(IndexError, match="1 input"):
        step.local_jacobian(3)


def test_str_names_every_node_with_its_id_and_writes_the_formula():
    root, (a, b, c) = value_graph()
    texts = [str(s) for s in backward_steps(root)]
    assert texts[0].splitlines()[0] == f"step 1: d#{root.id} = tanh(#{root.parents[0].id})"
    mul = next(t for t in texts if "(mul)" in t)
    assert mul.splitlines() == [
        f"step 4 (mul): c#{c.id} = a#{a.id} * b#{b.id}",
        f"    c#{c.id}  value     -6",
        f"    c#{c.id}  grad_out  {format_number(1 - np.tanh(-2.0) ** 2)}",
        f"    a#{a.id}  gets      {format_number(-3 * (1 - np.tanh(-2.0) ** 2))}",
        f"    b#{b.id}  gets      {format_number(2 * (1 - np.tanh(-2.0) ** 2))}",
    ]
    power = next(t for t in texts if "(pow)" in t)
    assert f"= a#{a.id} ** 2" in power.splitlines()[0]  # a constant by its value
    assert "const#" in power and "gets      none" in power
    for text in texts:  # every line after the first names a node by its id
        assert all(re.match(r"    \S*#\d+ ", line) for line in text.splitlines()[1:])


def test_str_of_a_tensor_step_shows_shapes_and_small_values():
    x = Tensor(np.array([[1.0, -2.0, 0.5]]), requires_grad=True, label="x")
    scaled = x * 2.0
    _, mul = [str(s) for s in backward_steps(scaled.sum())]
    lines = mul.splitlines()
    assert lines[0] == f"step 2 (mul): #{scaled.id} = x#{x.id} * 2"
    assert re.fullmatch(rf"    #{scaled.id} +\(1, 3\)  value     \[\[2, -4, 1\]\]", lines[1])
    assert re.fullmatch(rf"    #{scaled.id} +\(1, 3\)  grad_out  \[\[1, 1, 1\]\]", lines[2])
    assert re.fullmatch(rf"    x#{x.id} +\(1, 3\)  gets      \[\[2, 2, 2\]\]", lines[3])
    assert re.fullmatch(r"    const#\d+ +\(\) +gets      none", lines[4])
    big = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    (total,) = [str(s) for s in backward_steps((big * 1.0).sum())][1:]
    # more than 8 elements: min, max and norm instead of the values
    assert f"value     min 0  max 11  norm {format_number(np.linalg.norm(np.arange(12)))}" in total
    assert re.search(rf"    #{big.id} +\(3, 4\)  gets      min 1  max 1  norm 3.464\n", total)


def test_module_names_parameters_by_their_dotted_names():
    manual_seed(0)
    model = nn.MLP(2, [3, 1])
    x = Tensor(np.array([[0.5, -1.0], [1.0, 2.0]]), label="x")
    loss = (model(x) ** 2).mean()
    text = "\n".join(str(s) for s in backward_steps(loss, module=model))
    first, last = model.layers[0], model.layers[-1]
    assert f"= linear(x#{x.id}, layers.0.weight#{first.weight.id}, " \
        f"layers.0.bias#{first.bias.id})" in text
    assert re.search(rf"    layers\.0\.weight#{first.weight.id} +\(3, 2\) +gets      \[\[", text)
    assert f"layers.1.bias#{last.bias.id}" in text
    with pytest.raises(TypeError, match="named_parameters"):
        backward_steps(model(x).sum(), module=object())


def test_bad_roots_fail_before_the_first_step():
    with pytest.raises(RuntimeError, match="not a single number"):
        backward_steps(Tensor(np.ones(3), requires_grad=True) * 2)
    with pytest.raises(RuntimeError, match="does not require grad"):
        backward_steps(Tensor(np.ones(3)))
    with pytest.raises(ValueError, match="shape"):
        backward_steps(Tensor(np.ones(3), requires_grad=True) * 2, grad=np.ones(2))


def test_non_scalar_root_with_grad_matches_backward():
    x = Tensor(np.arange(3.0), requires_grad=True)
    seed = np.array([1.0, -2.0, 0.5])
    for _ in backward_steps(x * x, grad=seed):
        pass
    np.testing.assert_allclose(x.grad, 2 * np.arange(3.0) * seed)


def test_str_columns_stay_aligned_past_step_nine():
    x = Value(0.3)
    y = x
    for _ in range(12):
        y = y * 1.0
    texts = [str(s) for s in backward_steps(y)]
    assert len(texts) == 12
    for text in texts:
        lines = text.splitlines()[1:]
        assert len({line.index("  value") if "value" in line else line.index("  grad_out")
                    if "grad_out" in line else line.index("  gets") for line in lines}) == 1
