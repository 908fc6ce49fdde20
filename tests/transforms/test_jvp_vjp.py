"""jvp and vjp: J @ v and v @ J on random functions, the jvp rule of every registered op
against its vjp rule (so forward and reverse mode describe one Jacobian), errors, torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import SCALAR_OPS, TENSOR_OPS, Tensor, Value
from autograd_lite.forward_mode import forward_sweep

from ..ops.cases import CASES
from .samples import SAMPLES, central_jacobian


def builtin(table):
    return sorted(name for name, cls in table.items()
                  if cls.__module__.startswith("autograd_lite.ops"))


def flat_jacobian(sample, args):
    blocks = [central_jacobian(sample.fn, args, i) for i in range(len(args))]
    out_size = int(np.prod(blocks[0].shape[:blocks[0].ndim - args[0].ndim]))
    return np.concatenate([b.reshape(out_size, -1) for b in blocks], axis=1)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_jvp_is_jacobian_times_tangent(sample):
    args = sample.args()
    rng = np.random.default_rng(1)
    tangents = [rng.standard_normal(a.shape) for a in args]
    out, tangent_out = ag.jvp(sample.fn, tuple(args), tuple(tangents))
    expected = flat_jacobian(sample, args) @ np.concatenate([t.ravel() for t in tangents])
    np.testing.assert_allclose(np.ravel(tangent_out), expected, rtol=1e-6, atol=1e-8)
    with ag.no_grad():
        np.testing.assert_allclose(out, sample.fn(*[Tensor(a) for a in args]).data)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_vjp_is_cotangent_times_jacobian(sample):
    args = sample.args()
    out, vjp_fn = ag.vjp(sample.fn, *args)
    rng = np.random.default_rng(2)
    cotangent = rng.standard_normal(np.shape(out))
    grads = vjp_fn(cotangent)
    assert isinstance(grads, tuple) and len(grads) == len(args)
    expected = cotangent.ravel() @ flat_jacobian(sample, args)
    np.testing.assert_allclose(np.concatenate([np.ravel(g) for g in grads]), expected,
                               rtol=1e-6, atol=1e-8)
    again = vjp_fn(cotangent)  # the graph is kept: vjp_fn can be called again
    for g, h in zip(grads, again):
        np.testing.assert_array_equal(g, h)


def test_jvp_costs_one_sweep_and_needs_no_jacobian():
    x = np.linspace(-1, 1, 1000)
    v = np.ones_like(x)
    _, tangent = ag.jvp(lambda x: (x.sin() * x).sum(), (x,), (v,))
    assert tangent == pytest.approx(float(np.sum(np.cos(x) * x + np.sin(x))))


def test_single_primal_shorthand_and_floats():
    out, tangent = ag.jvp(lambda x: x ** 3, 2.0, 1.0)
    assert (type(out), type(tangent)) == (float, float)
    assert (out, tangent) == (8.0, pytest.approx(12.0))
    out, vjp_fn = ag.vjp(lambda x, y: x * y, 2.0, 5.0)
    assert out == 10.0 and vjp_fn(1.0) == (5.0, 2.0)


def test_jvp_errors():
    with pytest.raises(ValueError, match="2 primal.*1 tangent"):
        ag.jvp(lambda x, y: x * y, (1.0, 2.0), (1.0,))
    with pytest.raises(ValueError, match=r"tangent 0 has shape \(2,\).*\(3,\)"):
        ag.jvp(lambda x: x, (np.ones(3),), (np.ones(2),))
    with pytest.raises(TypeError, match="integer"):
        ag.jvp(lambda x: x, (np.arange(3),), (np.ones(3),))


def test_vjp_cotangent_shape_error():
    _, vjp_fn = ag.vjp(lambda x: x * 2, np.ones(3))
    with pytest.raises(ValueError, match=r"cotangent has shape \(2,\).*\(3,\)"):
        vjp_fn(np.ones(2))


# ----- every op: the jvp rule and the vjp rule describe the same Jacobian --------------------
def jacobian_by_vjp(case, arrays):
    """The dense Jacobian of the case's output w.r.t. every input, from backward passes."""
    inputs = [Tensor(a, requires_grad=True) for a in arrays]
    out = case.fn(*inputs)
    rows = []
    for index in np.ndindex(out.shape):
        seed = np.zeros(out.shape)
        seed[index] = 1.0
        for t in inputs:
            t.grad = None
        out.backward(seed, retain_graph=True)
        rows.append(np.concatenate([np.zeros(t.size) if t.grad is None else t.grad.ravel()
                                    for t in inputs]))
    return np.array(rows).reshape(out.size, -1)


@pytest.mark.parametrize("op", builtin(TENSOR_OPS))
def test_every_tensor_op_jvp_equals_jacobian_times_tangent(op):
    cases = [case for case in CASES if case.op == op]
    assert cases, f"op {op!r} has no sample case in tests/ops/cases.py"
    for case in cases:
        rng = np.random.default_rng(0)
        arrays = case.sample(rng)
        jac = jacobian_by_vjp(case, arrays)
        for trial in range(2):
            tangents = [rng.standard_normal(a.shape) for a in arrays]
            if trial == 1 and len(arrays) > 1:
                tangents[0] = None  # an input without a tangent contributes nothing
            inputs = [Tensor(a, requires_grad=True) for a in arrays]
            out = case.fn(*inputs)
            seeds = {id(t): v for t, v in zip(inputs, tangents) if v is not None}
            tangent_out = forward_sweep(out, seeds)
            assert tangent_out is not None and tangent_out.shape == out.shape, case.id
            full = np.concatenate([np.zeros(a.size) if v is None else v.ravel()
                                   for a, v in zip(arrays, tangents)])
            np.testing.assert_allclose(tangent_out.ravel(), jac @ full, rtol=1e-12, atol=1e-12,
                                       err_msg=case.id)


def test_value_graphs_are_reverse_mode_only():
    """Forward mode runs on Tensors: the transforms refuse Values (a float is traced as a 0-d
    Tensor instead), so the Value ops carry no jvp rule that nothing could reach."""
    assert all("jvp" not in vars(cls) for cls in SCALAR_OPS.values())
    with pytest.raises(TypeError, match=r"jvp: argument 0 is a Value; .*pass \.data"):
        ag.jvp(lambda x: x.tanh(), (Value(0.5),), (1.0,))
    _, slope = ag.jvp(lambda x: x.tanh(), (0.5,), (1.0,))
    assert slope == pytest.approx(1.0 - math.tanh(0.5) ** 2, rel=1e-15)


def test_forward_mode_refuses_a_freed_graph():
    x = Tensor(np.ones(2), requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        forward_sweep(y, {id(x): np.ones(2)})


# ----- against torch -----------------------------------------------------------------------
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_agrees_with_torch(sample):
    torch = pytest.importorskip("torch")
    args = sample.args(seed=7)
    rng = np.random.default_rng(8)
    tangents = tuple(rng.standard_normal(a.shape) for a in args)
    primals_t = tuple(torch.tensor(a) for a in args)
    out_t, jvp_t = torch.autograd.functional.jvp(
        sample.torch_fn, primals_t, tuple(torch.tensor(v) for v in tangents))
    out, tangent_out = ag.jvp(sample.fn, tuple(args), tangents)
    np.testing.assert_allclose(out, out_t.numpy(), rtol=1e-13)
    np.testing.assert_allclose(tangent_out, jvp_t.numpy(), rtol=1e-11, atol=1e-12)
    cotangent = rng.standard_normal(np.shape(out))
    _, vjp_t = torch.autograd.functional.vjp(sample.torch_fn, primals_t, torch.tensor(cotangent))
    vjp_t = vjp_t if isinstance(vjp_t, tuple) else (vjp_t,)
    for ours, theirs in zip(ag.vjp(sample.fn, *args)[1](cotangent), vjp_t):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-11, atol=1e-12)


SMOOTH_CASES = [case for case in CASES if TENSOR_OPS[case.op].smooth]


@pytest.mark.parametrize("case", SMOOTH_CASES, ids=lambda c: c.id)
def test_every_smooth_op_jvp_rule_is_differentiable(case):
    """grad of a jvp (reverse over forward, the rules run on graph nodes) and jvp of a grad
    (forward over reverse) both give the Hessian-vector product of the reverse-mode Hessian."""
    rng = np.random.default_rng(3)
    arrays = case.sample(rng)
    with ag.no_grad():
        weights = rng.standard_normal(case.fn(*[Tensor(a) for a in arrays]).shape)
    directions = tuple(rng.standard_normal(a.shape) for a in arrays)
    argnums = tuple(range(len(arrays)))

    def f(*xs):
        return (case.fn(*xs) * weights).sum()

    def directional(*xs):
        return ag.jvp(f, xs, directions)[1]

    blocks = ag.hessian(f, argnums=argnums, mode="rev")(*arrays)
    expected = [sum(np.tensordot(blocks[i][j], directions[j], axes=directions[j].ndim)
                    for j in argnums) for i in argnums]
    reverse_over_forward = ag.grad(directional, argnums=argnums)(*arrays)
    for i in argnums:
        forward_over_reverse = ag.jvp(ag.grad(f, argnums=i), tuple(arrays), directions)[1]
        np.testing.assert_allclose(reverse_over_forward[i], expected[i], rtol=1e-10,
                                   atol=1e-11, err_msg=f"{case.id} grad of jvp, input {i}")
        np.testing.assert_allclose(forward_over_reverse, expected[i], rtol=1e-10,
                                   atol=1e-11, err_msg=f"{case.id} jvp of grad, input {i}")
