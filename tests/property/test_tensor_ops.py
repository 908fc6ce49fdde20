"""Property-based checks of every registered Tensor op (Hypothesis, driven by the registry).

For random calls (`calls.TENSOR_CALLS`: shapes with 0-d and size-1 axes, mutually
broadcastable pairs, random axes, indices and constants) and random inputs inside each op's
declared domain:

- forward agrees with NumPy, in float64 and in float32 (which stays float32);
- gradients agree with central differences (float64), have each input's shape and dtype,
  add up over a second backward, and float32 gradients stay float32 and close;
- Hessian-vector products through `create_graph=True` agree with differences of gradients
  (every op: away from kinks the non-smooth ones are locally linear, so theirs is zero).

Tests are parametrized by the registry, so a new op without a strategy or a domain fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_lite import TENSOR_OPS, Tensor, no_grad

from ..helpers import central_difference
from .calls import TENSOR_CALLS, OpCall, input_arrays

OPS = sorted(TENSOR_OPS)


def draw_call(data: st.DataObject, name: str) -> OpCall:
    if name not in TENSOR_CALLS:
        pytest.fail(f"op {name!r} has no call strategy in tests/property/calls.py TENSOR_CALLS")
    return data.draw(TENSOR_CALLS[name], label="call")


def weights_for(data: st.DataObject, call: OpCall, arrays: list[np.ndarray]) -> np.ndarray:
    """Random weights w of the output's shape: the checks differentiate sum(w * f(x))."""
    with no_grad():
        shape = call.fn(*[Tensor(a) for a in arrays]).shape
    seed = data.draw(st.integers(0, 2**32 - 1), label="weights seed")
    return np.random.default_rng(seed).standard_normal(shape)


def loss_value(call: OpCall, weights: np.ndarray):
    def value(*arrays: np.ndarray) -> float:
        with no_grad():
            out = call.fn(*[Tensor(a) for a in arrays])
        return float(np.sum(out.data * weights))

    return value


def gradients(call: OpCall, arrays: list[np.ndarray], weights: np.ndarray) -> list[np.ndarray]:
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    (call.fn(*tensors) * weights.astype(arrays[0].dtype)).sum().backward()
    return [np.zeros_like(a) if t.grad is None else t.grad for a, t in zip(arrays, tensors)]


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_forward_matches_numpy(name, data):
    call = draw_call(data, name)
    arrays = data.draw(input_arrays(call), label="inputs")
    expected = np.asarray(call.reference(*arrays))
    out = call.fn(*[Tensor(a, requires_grad=True) for a in arrays])
    assert out.op == name, f"{call} recorded op {out.op!r}"
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)

    low = [a.astype(np.float32) for a in arrays]
    out32 = call.fn(*[Tensor(a, requires_grad=True) for a in low])
    assert out32.dtype == np.float32, f"{call}: float32 inputs gave {out32.dtype}"
    expected32 = np.asarray(call.reference(*[a.astype(np.float64) for a in low]))
    np.testing.assert_allclose(out32.data, expected32, rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_gradient_matches_central_differences(name, data):
    call = draw_call(data, name)
    arrays = data.draw(input_arrays(call), label="inputs")
    weights = weights_for(data, call, arrays)

    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    (call.fn(*tensors) * weights).sum().backward(retain_graph=True)
    grads = [np.zeros_like(a) if t.grad is None else t.grad.copy()
             for a, t in zip(arrays, tensors)]
    numeric = central_difference(loss_value(call, weights), arrays)
    for i, (a, g, n) in enumerate(zip(arrays, grads, numeric)):
        assert g.shape == a.shape and g.dtype == np.float64, f"input {i}: {g.shape} {g.dtype}"
        np.testing.assert_allclose(g, n, rtol=1e-6, atol=1e-6, err_msg=f"{call}, input {i}")

    # A second backward through the retained graph adds the same gradient again.
    root = (call.fn(*tensors) * weights).sum()
    for t in tensors:
        t.grad = None
    root.backward(retain_graph=True)
    once = [None if t.grad is None else t.grad.copy() for t in tensors]
    root.backward()
    for t, g in zip(tensors, once):
        if g is not None:
            np.testing.assert_array_equal(t.grad, 2 * g)

    low = [a.astype(np.float32) for a in arrays]
    grads32 = gradients(call, low, weights)
    for i, (g32, g) in enumerate(zip(grads32, grads)):
        assert g32.dtype == np.float32, f"input {i}: float32 input got a {g32.dtype} gradient"
        np.testing.assert_allclose(g32, g, rtol=1e-3, atol=1e-3, err_msg=f"{call}, input {i}")


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_hessian_vector_product_matches_differences(name, data):
    call = draw_call(data, name)
    arrays = data.draw(input_arrays(call), label="inputs")
    weights = weights_for(data, call, arrays)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="direction seed"))
    directions = [rng.standard_normal(a.shape) for a in arrays]

    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    (call.fn(*tensors) * weights).sum().backward(create_graph=True)
    first = [t.grad for t in tensors]
    for t in tensors:
        t.grad = None
    total = None
    for g, v in zip(first, directions):
        if isinstance(g, Tensor) and g.requires_grad:
            term = (g * v).sum()
            total = term if total is None else total + term
    if total is not None:
        total.backward()
    analytic = [np.zeros_like(a) if t.grad is None else np.asarray(t.grad)
                for a, t in zip(arrays, tensors)]

    eps = 1e-5
    up = gradients(call, [a + eps * v for a, v in zip(arrays, directions)], weights)
    down = gradients(call, [a - eps * v for a, v in zip(arrays, directions)], weights)
    for i, (h, u, d) in enumerate(zip(analytic, up, down)):
        np.testing.assert_allclose(h, (u - d) / (2 * eps), rtol=1e-5, atol=1e-5,
                                   err_msg=f"{call}, input {i}")


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_gradients_are_fresh_arrays_and_fan_out_adds_up(name, data):
    """A leaf's .grad never shares memory with another gradient, an input or the seed the
    caller passed (writing into one must not change another), and using the op's output
    twice doubles every gradient."""
    call = draw_call(data, name)
    arrays = data.draw(input_arrays(call), label="inputs")
    weights = weights_for(data, call, arrays)

    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    seed = weights.copy()
    call.fn(*tensors).backward(seed)
    grads = [t.grad for t in tensors if t.grad is not None]
    kept = [g.copy() for g in grads]
    others = [seed, *arrays]
    for i, g in enumerate(grads):
        assert g.flags.writeable
        assert not any(np.shares_memory(g, o) for o in others), f"{call}: grad {i} aliases"
        assert not any(np.shares_memory(g, h) for h in grads[i + 1:]), f"{call}: grad {i}"
    for t in tensors:
        t.grad = None

    out = call.fn(*tensors)
    (out * weights + out * weights).sum().backward()
    doubled = [t.grad for t in tensors if t.grad is not None]
    assert len(doubled) == len(kept)
    for i, (d, s) in enumerate(zip(doubled, kept)):
        np.testing.assert_allclose(d, 2 * s, rtol=1e-12, atol=1e-12, err_msg=f"{call}, {i}")
