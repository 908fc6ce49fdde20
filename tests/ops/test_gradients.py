"""Every registered Tensor op: forward against NumPy-free recomputation, first derivatives
against central differences (float64 and float32), second derivatives of smooth ops."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import TENSOR_OPS, Tensor

from ..helpers import analytic_grads, central_difference, weighted_sum_value
from .cases import CASES


def case_inputs(case, seed: int = 0):
    rng = np.random.default_rng(seed)
    arrays = case.sample(rng)
    with_grad = [Tensor(a) for a in arrays]
    out_shape = case.fn(*with_grad).shape
    weights = rng.standard_normal(out_shape)
    return arrays, weights


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_first_derivative_float64(case):
    arrays, weights = case_inputs(case)
    analytic = analytic_grads(case.fn, arrays, weights)
    numeric = central_difference(weighted_sum_value(case.fn, weights), arrays)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        assert a.shape == arrays[i].shape, f"input {i}: gradient shape {a.shape}"
        assert a.dtype == np.float64
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-7, err_msg=f"input {i}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_first_derivative_float32_keeps_dtype(case):
    arrays, weights = case_inputs(case)
    tensors = [Tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    out = case.fn(*tensors)
    assert out.dtype == np.float32, f"{case.id}: float32 inputs gave {out.dtype}"
    (out * weights.astype(np.float32)).sum().backward()
    numeric = central_difference(weighted_sum_value(case.fn, weights), arrays)
    for i, (t, n) in enumerate(zip(tensors, numeric)):
        assert t.grad.dtype == np.float32, f"input {i}: gradient dtype {t.grad.dtype}"
        np.testing.assert_allclose(t.grad, n, rtol=2e-3, atol=2e-4, err_msg=f"input {i}")


def grad_dot(case, arrays, weights, directions) -> float:
    """sum_i <d/dx_i sum(f(x) * w), v_i>, by a plain (first-order) backward."""
    grads = analytic_grads(case.fn, arrays, weights)
    return float(sum(np.sum(g * v) for g, v in zip(grads, directions)))


SMOOTH = [c for c in CASES if TENSOR_OPS[c.op].smooth]


@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c.id)
def test_second_derivative(case):
    """Hessian-vector products from create_graph match differences of the gradient."""
    arrays, weights = case_inputs(case)
    rng = np.random.default_rng(1)
    directions = [rng.standard_normal(a.shape) for a in arrays]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    (case.fn(*tensors) * weights).sum().backward(create_graph=True)
    grads = [t.grad for t in tensors]
    for t in tensors:
        t.grad = None
    total = None
    for g, v in zip(grads, directions):
        if isinstance(g, Tensor):
            term = (g * v).sum()
            total = term if total is None else total + term
    if total is None or not total.requires_grad:
        pytest.skip("the gradient does not depend on the inputs (second derivative is 0)")
    total.backward()
    analytic = [np.zeros_like(a) if t.grad is None else np.asarray(t.grad)
                for a, t in zip(arrays, tensors)]
    numeric = central_difference(
        lambda *xs: grad_dot(case, list(xs), weights, directions), arrays, eps=1e-5)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        np.testing.assert_allclose(a, n, rtol=1e-5, atol=1e-6, err_msg=f"input {i}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_forward_matches_without_recording(case):
    """Recording a graph never changes the forward value."""
    arrays, _ = case_inputs(case)
    recorded = case.fn(*[Tensor(a, requires_grad=True) for a in arrays])
    plain = case.fn(*[Tensor(a) for a in arrays])
    assert recorded.requires_grad and not plain.requires_grad
    np.testing.assert_array_equal(recorded.data, plain.data)
