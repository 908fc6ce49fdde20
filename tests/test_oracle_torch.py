"""Forward values and gradients of random expression graphs against PyTorch (float64).

Skipped cleanly where PyTorch is not installed (`.ci/run` installs torch==2.13.0).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value

torch = pytest.importorskip("torch")

LEAF_SHAPES = [(3, 4), (4,), (3, 1), ()]


# Each recipe step: (name, number of operands); the same name is replayed in both engines.
UNARY = ["exp_tanh", "sin", "cos", "tanh", "sigmoid", "neg", "square", "soft_sqrt", "soft_log",
         "sum_rows", "mean_cols", "max_all", "softmax", "log_softmax", "lse_rows", "abs_shift",
         "relu_shift", "matvec", "transpose_back", "index_rows", "clip"]
BINARY = ["add", "sub", "mul", "safe_div", "maximum", "pow_pos", "concat_sum", "stack_sum",
          "where"]


def apply(lib, name, a, b=None):
    """One recipe step with `lib` = "ag" or "torch"; shapes stay broadcastable to (3, 4)."""
    T = lib == "torch"
    if name == "exp_tanh":
        return a.tanh().exp()
    if name == "sin":
        return a.sin()
    if name == "cos":
        return a.cos()
    if name == "tanh":
        return a.tanh()
    if name == "sigmoid":
        return a.sigmoid()
    if name == "neg":
        return -a
    if name == "square":
        return a * a
    if name == "soft_sqrt":
        return (a * a + 1.0).sqrt()
    if name == "soft_log":
        return (a * a + 1.0).log()
    if name == "abs_shift":
        return (a + 0.123).abs()
    if name == "relu_shift":
        return (a - 0.0771).relu()
    if name == "clip":
        return a.clip(-0.61, 0.73) if not T else a.clamp(-0.61, 0.73)
    full = a + (torch.zeros(3, 4, dtype=torch.float64) if T else Tensor(np.zeros((3, 4))))
    if name == "sum_rows":
        return full.sum(1, keepdim=True) if T else full.sum(axis=1, keepdims=True)
    if name == "mean_cols":
        return full.mean(0) if T else full.mean(axis=0)
    if name == "max_all":
        return full.max() if T else full.max()
    if name == "softmax":
        return full.softmax(-1) if T else full.softmax(axis=-1)
    if name == "log_softmax":
        return full.log_softmax(-1) if T else full.log_softmax(axis=-1)
    if name == "lse_rows":
        return full.logsumexp(1, keepdim=True) if T else full.logsumexp(axis=1, keepdims=True)
    if name == "matvec":
        v = (torch.arange(4, dtype=torch.float64) if T else Tensor(np.arange(4.0))) * 0.1
        return (full @ v).reshape(3, 1)
    if name == "transpose_back":
        return full.T.reshape(4, 3).T if not T else full.T.reshape(4, 3).T
    if name == "index_rows":
        idx = [0, 2, 2]
        picked = full[torch.tensor(idx)] if T else full[np.array(idx)]
        return picked.sum(0) if T else picked.sum(axis=0)
    if name == "add":
        return a + b
    if name == "sub":
        return a - b
    if name == "mul":
        return a * b
    if name == "safe_div":
        return a / (b * b + 0.5)
    if name == "maximum":
        return torch.maximum(a, b) if T else ag.maximum(a, b)
    if name == "pow_pos":
        return (a * a + 0.5) ** (b.tanh())
    if name == "concat_sum":
        fa, fb = full, b + (torch.zeros(3, 4, dtype=torch.float64) if T else Tensor(np.zeros((3, 4))))
        cat = torch.cat([fa, fb], 0) if T else ag.concatenate([fa, fb], axis=0)
        return cat.sum(0) if T else cat.sum(axis=0)
    if name == "stack_sum":
        fb = b + (torch.zeros(3, 4, dtype=torch.float64) if T else Tensor(np.zeros((3, 4))))
        st = torch.stack([full, fb], 1) if T else ag.stack([full, fb], axis=1)
        return st.mean(1) if T else st.mean(axis=1)
    if name == "where":
        cond = np.array([[True, False, True, False]] * 3)
        return torch.where(torch.tensor(cond), a, b) if T else ag.where(cond, a, b)
    raise ValueError(name)


def random_recipe(rng, steps=12):
    recipe = []
    count = 3
    for _ in range(steps):
        if rng.random() < 0.5:
            recipe.append((str(rng.choice(UNARY)), (int(rng.integers(count)),)))
        else:
            recipe.append((str(rng.choice(BINARY)), (int(rng.integers(count)), int(rng.integers(count)))))
        count += 1
    return recipe


def run(lib, recipe, leaves):
    nodes = list(leaves)
    for name, args in recipe:
        nodes.append(apply(lib, name, *[nodes[i] for i in args]))
    total = None
    for k, node in enumerate(nodes[3:]):
        term = node.sum() * (0.1 * (k + 1))
        total = term if total is None else total + term
    return total


@pytest.mark.parametrize("seed", range(60))
def test_random_graph_matches_torch(seed):
    rng = np.random.default_rng(seed)
    shapes = [LEAF_SHAPES[i] for i in rng.choice(len(LEAF_SHAPES), 3)]
    arrays = [rng.standard_normal(s) for s in shapes]
    recipe = random_recipe(rng)
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = run("ag", recipe, ours)
    ref = run("torch", recipe, theirs)
    np.testing.assert_allclose(out.item(), ref.item(), rtol=1e-10, atol=1e-12)
    out.backward()
    ref.backward()
    for mine, other in zip(ours, theirs):
        expected = np.zeros(mine.shape) if other.grad is None else other.grad.numpy()
        got = np.zeros(mine.shape) if mine.grad is None else mine.grad
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("seed", range(10))
def test_random_value_graph_matches_torch(seed):
    rng = np.random.default_rng(100 + seed)
    xs = rng.uniform(0.3, 1.5, 3)
    ours = [Value(x) for x in xs]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]

    def build(a, b, c):
        h = (a * b + c).tanh()
        k = (h * a - b / c).sigmoid() + (c ** 2.5) * h
        m = (k.exp() + (a * c).relu()).log() - 2 ** b
        return m * h + a ** b

    out = build(*ours)
    ref = build(*theirs)
    assert out.data == pytest.approx(ref.item(), rel=1e-12)
    out.backward()
    ref.backward()
    for mine, other in zip(ours, theirs):
        assert mine.grad == pytest.approx(other.grad.item(), rel=1e-10)


def test_second_derivatives_match_torch():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((3, 4))
    x = Tensor(a, requires_grad=True)
    xt = torch.tensor(a, requires_grad=True)

    def f(t, lib):
        sm = t.softmax(axis=-1) if lib == "ag" else t.softmax(-1)
        return ((t.tanh() * sm).sum() + (t * t).sum() ** 0.5)

    f(x, "ag").backward(create_graph=True)
    (gx,) = torch.autograd.grad(f(xt, "torch"), xt, create_graph=True)
    g = x.grad
    x.grad = None
    (g * g).sum().backward()
    (hx,) = torch.autograd.grad((gx * gx).sum(), xt)
    np.testing.assert_allclose(x.grad, hx.numpy(), rtol=1e-9, atol=1e-11)
