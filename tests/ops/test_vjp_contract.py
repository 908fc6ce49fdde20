"""What the engine trusts every built-in op's vjp to return: a tuple with one gradient (or
None) per input, each in its input's shape unless the op declares that it broadcasts (then
the engine sums it back). The backward loop checks this only for custom ops."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import SCALAR_OPS, TENSOR_OPS, Tensor, Value

from .cases import CASES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_tensor_op_returns_one_gradient_per_input_in_its_shape(case):
    inputs = [Tensor(a, requires_grad=True) for a in case.sample(np.random.default_rng(0))]
    out = case.fn(*inputs)
    op = out._op
    assert type(op) is TENSOR_OPS[case.op]
    grads = op.vjp(np.ones(out.shape, dtype=out.dtype))
    assert type(grads) is tuple and len(grads) == len(out.parents), (
        f"{case.op}.vjp returned {type(grads).__name__} of {len(grads)} for "
        f"{len(out.parents)} inputs")
    for parent, grad in zip(out.parents, grads):
        if grad is None:
            continue
        assert isinstance(grad, (np.ndarray, np.generic))  # 0-d arithmetic gives a scalar
        if not op.broadcasts:
            assert grad.shape == parent.shape, (
                f"{case.op} declares that it does not broadcast, but its vjp returned a gradient "
                f"of shape {grad.shape} for an input of shape {parent.shape}")


def test_no_op_class_is_left_without_a_case():
    covered = {case.op for case in CASES}
    assert set(TENSOR_OPS) <= covered


@pytest.mark.parametrize("name", sorted(SCALAR_OPS))
def test_a_value_op_returns_one_float_gradient_per_input(name):
    a, b = Value(0.7), Value(1.3)
    builders = {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "pow": lambda: a ** b, "neg": lambda: -a, "relu": lambda: a.relu(),
        "tanh": lambda: a.tanh(), "sigmoid": lambda: a.sigmoid(), "exp": lambda: a.exp(),
        "log": lambda: a.log(),
    }
    if name not in builders:
        from autograd_lite.nn.scalar import linear
        builders["linear"] = lambda: linear([a, b], [Value(0.5), Value(-2.0)], Value(0.1))
    out = builders[name]()
    assert out.op == name
    grads = out._op.vjp(1.0)
    assert type(grads) is tuple and len(grads) == len(out.parents)
    assert all(g is None or isinstance(g, float) for g in grads)
