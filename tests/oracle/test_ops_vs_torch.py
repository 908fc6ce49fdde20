"""Every registered Tensor op against PyTorch in float64, to 1e-10: forward, gradient and
Hessian-vector product, on the random calls of the property suite (`tests/property/calls.py`).

Skipped cleanly where PyTorch is not installed (`.ci/run` installs torch==2.13.0).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_lite import TENSOR_OPS, Tensor

from ..property.calls import TENSOR_CALLS, OpCall, input_arrays

torch = pytest.importorskip("torch")

TOL = {"rtol": 1e-10, "atol": 1e-10}


def torch_drops_pow_cross_term(call: OpCall, arrays: list[np.ndarray]) -> bool:
    """PyTorch's rule for d(x ** y)/dx is `where(y == 0, 0, y * x ** (y - 1))`, whose own
    derivative in y is 0 at y == 0 instead of x ** -1. Second derivatives there are checked
    against differences in the property suite instead."""
    positions = call.input_positions()
    return call.op == "pow" and 1 in positions and bool(np.any(arrays[positions.index(1)] == 0))


@pytest.mark.parametrize("name", sorted(TENSOR_OPS))
@given(data=st.data())
def test_op_matches_torch(name, data):
    if name not in TENSOR_CALLS:
        pytest.fail(f"op {name!r} has no call strategy in tests/property/calls.py TENSOR_CALLS")
    call = data.draw(TENSOR_CALLS[name], label="call")
    arrays = data.draw(input_arrays(call), label="inputs")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))

    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = call.fn(*ours)
    ref = call.torch_fn(torch, *theirs)
    assert tuple(out.shape) == tuple(ref.shape), f"{call}: shape {out.shape} vs {ref.shape}"
    np.testing.assert_allclose(out.data, ref.detach().numpy(), err_msg=str(call), **TOL)

    weights = rng.standard_normal(out.shape)
    directions = [rng.standard_normal(a.shape) for a in arrays]
    (out * weights).sum().backward(create_graph=True)
    loss_t = (ref * torch.tensor(weights)).sum()
    grads_t = torch.autograd.grad(loss_t, theirs, create_graph=True, allow_unused=True)
    for i, (t, g) in enumerate(zip(ours, grads_t)):
        expected = np.zeros(t.shape) if g is None else g.numpy(force=True)
        got = np.zeros(t.shape) if t.grad is None else np.asarray(t.grad)
        np.testing.assert_allclose(got, expected, err_msg=f"{call}: gradient {i}", **TOL)

    if torch_drops_pow_cross_term(call, arrays):
        return
    # Second order: d/dx <grad(x), v> (a Hessian-vector product) in both engines.
    first = [t.grad for t in ours]
    for t in ours:
        t.grad = None
    total = None
    for g, v in zip(first, directions):
        if isinstance(g, Tensor) and g.requires_grad:
            term = (g * v).sum()
            total = term if total is None else total + term
    if total is not None:
        total.backward()
    terms = [(g * torch.tensor(v)).sum() for g, v in zip(grads_t, directions)
             if g is not None and g.requires_grad]
    hvps = (torch.autograd.grad(sum(terms), theirs, allow_unused=True) if terms
            else [None] * len(theirs))
    for i, (t, h) in enumerate(zip(ours, hvps)):
        expected = np.zeros(t.shape) if h is None else h.numpy(force=True)
        got = np.zeros(t.shape) if t.grad is None else np.asarray(t.grad)
        np.testing.assert_allclose(got, expected, err_msg=f"{call}: Hv {i}", **TOL)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_second_derivative_at_zero_and_extremes_matches_torch(reduction):
    """The fused loss's Hessian (diagonal) at logits 0 and +-1000, as torch's create_graph
    gives it: sigmoid'(0) = 0.25 per element (over the size for the mean)."""
    from autograd_lite.nn import functional as F

    logits = np.array([0.0, 0.0, 1000.0, -1000.0, 1000.0, -1000.0, 2.5])
    targets = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.3])
    seed = np.arange(1.0, 8.0) if reduction == "none" else np.array(1.0)

    z = Tensor(logits, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, targets, reduction=reduction)
    loss.backward(seed, create_graph=True)
    first = z.grad
    z.grad = None
    first.sum().backward()

    zt = torch.tensor(logits, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy_with_logits(
        zt, torch.tensor(targets), reduction=reduction)
    (gt,) = torch.autograd.grad(ref, zt, torch.tensor(seed), create_graph=True)
    (ht,) = torch.autograd.grad(gt.sum(), zt)

    np.testing.assert_allclose(loss.data, ref.detach().numpy(), **TOL)
    np.testing.assert_allclose(first.data, gt.detach().numpy(), **TOL)
    np.testing.assert_allclose(z.grad, ht.numpy(), **TOL)
    per_element = seed if reduction == "none" else seed / (7 if reduction == "mean" else 1)
    assert z.grad[0] == pytest.approx(0.25 * per_element.flat[0], abs=1e-15)
    assert np.all(np.isfinite(z.grad))
