"""Property-based checks of every registered Value op, driven by the registry.

For random inputs inside each op's declared domain, with Values and plain numbers on either
side: forward agrees with `math`, gradients agree with central differences, and a Value
expression gives the same value and gradients as the same expression on 0-d Tensors (one
engine, two kinds of node; for `linear`, which has no 0-d Tensor twin, the same sum written
product by product).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_lite import SCALAR_OPS, Tensor, Value

from .calls import SCALAR_CALLS, ScalarCall, scalar_inputs

OPS = sorted(SCALAR_OPS)


def draw_call(data: st.DataObject, name: str) -> ScalarCall:
    if name not in SCALAR_CALLS:
        pytest.fail(f"Value op {name!r} has no call strategy in tests/property/calls.py")
    return data.draw(SCALAR_CALLS[name], label="call")


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_value_op_forward_gradient_and_tensor_agreement(name, data):
    call = draw_call(data, name)
    xs = data.draw(scalar_inputs(call), label="inputs")

    values = [Value(x) for x in xs]
    out = call.fn(*values)
    assert isinstance(out, Value) and out.op == name, f"{call} recorded {out.op!r}"
    assert out.data == pytest.approx(call.reference(*xs), rel=1e-12, abs=1e-12)
    out.backward()

    eps = 1e-6
    for i, v in enumerate(values):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        numeric = (call.reference(*up) - call.reference(*down)) / (2 * eps)
        assert v.grad == pytest.approx(numeric, rel=1e-6, abs=1e-6), f"{call}, input {i}"

    tensor_fn, tensor_op = call.on_tensors()
    tensors = [Tensor(x, requires_grad=True) for x in xs]
    t_out = tensor_fn(*tensors)
    assert t_out.shape == () and t_out.op == tensor_op
    assert t_out.item() == pytest.approx(out.data, rel=1e-13, abs=1e-15)
    t_out.backward()
    for v, t in zip(values, tensors):
        assert float(t.grad) == pytest.approx(v.grad, rel=1e-12, abs=1e-14)
        assert isinstance(t.grad, np.ndarray)
