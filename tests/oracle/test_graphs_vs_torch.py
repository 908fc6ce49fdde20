"""Random composite graphs against PyTorch in float64: every node's value, the gradients of
every leaf and of retained intermediates, and second derivatives, to 1e-10.

Skipped cleanly where PyTorch is not installed (`.ci/run` installs torch==2.13.0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_lite import Tensor, Value

from .graphs import AgEngine, TorchEngine, generate, run

torch = pytest.importorskip("torch")

TOL = {"rtol": 1e-10, "atol": 1e-10}
N_GRAPHS = 300
N_SECOND_ORDER = 40
N_VALUE_GRAPHS = 60


def as_numpy(x) -> np.ndarray:
    return x.detach().numpy() if hasattr(x, "detach") else np.asarray(x)


@pytest.mark.parametrize("seed", range(N_GRAPHS))
def test_random_graph_matches_torch(seed):
    graph = generate(seed)
    ours_leaves, ours, loss = run(AgEngine(), graph)
    theirs_leaves, theirs, ref = run(TorchEngine(torch), graph)
    for i, (mine, other) in enumerate(zip(ours, theirs)):
        assert tuple(mine.shape) == tuple(other.shape), f"node {i}: shape"
        assert np.all(np.isfinite(mine.data)), f"node {i}: the generator made a non-finite value"
        np.testing.assert_allclose(mine.data, as_numpy(other), err_msg=f"node {i}", **TOL)
    np.testing.assert_allclose(loss.item(), ref.item(), **TOL)

    loss.backward()
    ref.backward()
    for i, (mine, other) in enumerate(zip(ours_leaves, theirs_leaves)):
        expected = np.zeros(mine.shape) if other.grad is None else other.grad.numpy()
        got = np.zeros(mine.shape) if mine.grad is None else mine.grad
        np.testing.assert_allclose(got, expected, err_msg=f"leaf {i}", **TOL)
    for i in graph.retained:
        expected = np.zeros(ours[i].shape) if theirs[i].grad is None else theirs[i].grad.numpy()
        got = np.zeros(ours[i].shape) if ours[i].grad is None else ours[i].grad
        np.testing.assert_allclose(got, expected, err_msg=f"retained node {i}", **TOL)


@pytest.mark.parametrize("seed", range(N_SECOND_ORDER))
def test_random_graph_hessian_vector_products_match_torch(seed):
    """The gradient, recorded with create_graph=True, differentiated along a direction."""
    graph = generate(10_000 + seed, n_steps=10)
    rng = np.random.default_rng(seed)
    ours_leaves, _, loss = run(AgEngine(), graph)
    theirs_leaves, _, ref = run(TorchEngine(torch), graph)
    directions = [rng.standard_normal(x.shape) for x in ours_leaves]

    loss.backward(create_graph=True)
    total = None
    for leaf, v in zip(ours_leaves, directions):
        if isinstance(leaf.grad, Tensor) and leaf.grad.requires_grad:
            term = (leaf.grad * v).sum()
            total = term if total is None else total + term
        leaf.grad = None
    if total is not None:
        total.backward()

    grads = torch.autograd.grad(ref, theirs_leaves, create_graph=True, allow_unused=True)
    total_t = sum((g * torch.tensor(v)).sum() for g, v in zip(grads, directions)
                  if g is not None and g.requires_grad)
    hvps = (torch.autograd.grad(total_t, theirs_leaves, allow_unused=True)
            if isinstance(total_t, torch.Tensor) else [None] * len(theirs_leaves))
    for i, (mine, h) in enumerate(zip(ours_leaves, hvps)):
        expected = np.zeros(mine.shape) if h is None else h.numpy()
        got = np.zeros(mine.shape) if mine.grad is None else np.asarray(mine.grad)
        np.testing.assert_allclose(got, expected, err_msg=f"leaf {i}", **TOL)


# ----- Value graphs ---------------------------------------------------------------------------
VALUE_UNARY = ["tanh", "sigmoid", "exp_tanh", "relu_shift", "soft_log", "neg", "square",
               "pow_const", "rpow", "scale", "shift", "rsub", "rdiv"]
VALUE_BINARY = ["add", "sub", "mul", "safe_div", "pow_pos"]


def value_step(name: str, a, b, c: float):
    """One step on Values or on 0-d torch tensors (the same Python operators)."""
    if name in ("tanh", "sigmoid"):
        return getattr(a, name)()
    if name == "exp_tanh":
        return a.tanh().exp()
    if name == "relu_shift":
        return (a - c).relu()
    if name == "soft_log":
        return (a * a + 0.5).log()
    if name == "neg":
        return -a
    if name == "square":
        return a * a
    if name == "pow_const":
        return (a * a + 0.5) ** c
    if name == "rpow":
        return (abs(c) + 0.5) ** a.tanh()
    if name == "scale":
        return a * c
    if name == "shift":
        return c + a
    if name == "rsub":
        return c - a
    if name == "rdiv":
        return c / (a * a + 0.5)
    if name == "add":
        return a + b
    if name == "sub":
        return a - b
    if name == "mul":
        return a * b
    if name == "safe_div":
        return a / (b * b + 0.5)
    if name == "pow_pos":
        return (a * a + 0.5) ** b.tanh()
    raise ValueError(name)


@pytest.mark.parametrize("seed", range(N_VALUE_GRAPHS))
def test_random_value_graph_matches_torch(seed):
    rng = np.random.default_rng(20_000 + seed)
    xs = rng.uniform(-1.5, 1.5, int(rng.integers(2, 5)))
    steps = []
    for k in range(20):
        n = len(xs) + k
        binary = rng.random() < 0.45
        name = str(rng.choice(VALUE_BINARY if binary else VALUE_UNARY))
        args = (int(rng.integers(n)), int(rng.integers(n)))
        steps.append((name, args, float(rng.uniform(-1.5, 1.5))))

    def build(leaves):
        nodes = list(leaves)
        for name, (i, j), c in steps:
            nodes.append(value_step(name, nodes[i], nodes[j], c))
        total = nodes[len(leaves)]
        for k, node in enumerate(nodes[len(leaves) + 1:]):
            total = total + node * (0.1 * (k + 2))
        return nodes, total

    ours = [Value(x) for x in xs]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    our_nodes, out = build(ours)
    their_nodes, ref = build(theirs)
    for i, (mine, other) in enumerate(zip(our_nodes, their_nodes)):
        assert math.isclose(mine.data, other.item(), rel_tol=1e-10, abs_tol=1e-10), f"node {i}"
    out.backward()
    ref.backward()
    for i, (mine, other) in enumerate(zip(ours, theirs)):
        expected = 0.0 if other.grad is None else other.grad.item()
        assert math.isclose(mine.grad, expected, rel_tol=1e-10, abs_tol=1e-10), f"leaf {i}"
