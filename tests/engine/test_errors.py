"""Every error of the core names the op, the shapes and the fix."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import ShapeError, Tensor


def test_matmul_mismatch_names_both_shapes_and_dims():
    a = Tensor(np.ones((3, 4)))
    b = Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"matmul: shapes \(3, 4\) and \(5, 2\) are not aligned: "
                       r"4 \(dim 1\) != 5 \(dim 0\)"):
        a @ b


def test_matmul_error_is_also_a_runtime_error():
    with pytest.raises(RuntimeError, match="matmul"):
        Tensor(np.ones(3)) @ Tensor(np.ones(4))


def test_matmul_batch_mismatch():
    with pytest.raises(ShapeError, match=r"batch dimensions \(2,\) and \(3,\)"):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((3, 4, 5)))


def test_matmul_of_0d_operand():
    with pytest.raises(ShapeError, match="use \\*"):
        Tensor(2.0) @ Tensor(np.ones(3))


def test_broadcast_mismatch_names_op_and_shapes():
    with pytest.raises(ShapeError, match=r"add: shapes \(3, 4\) and \(5, 2\) cannot be broadcast"):
        Tensor(np.ones((3, 4))) + Tensor(np.ones((5, 2)))
    with pytest.raises(ShapeError, match=r"mul: shapes \(3,\) and \(4,\)"):
        Tensor(np.ones(3)) * np.ones(4)
    with pytest.raises(ShapeError, match="maximum"):
        ag.maximum(Tensor(np.ones(3)), np.ones(2))


def test_axis_out_of_range():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(np.exceptions.AxisError, match=r"sum: axis 2 is out of range .* 2 dim"):
        t.sum(axis=2)
    with pytest.raises(ValueError, match="mean: axis -3"):
        t.mean(axis=(0, -3))
    with pytest.raises(IndexError, match="softmax"):
        t.softmax(axis=5)


def test_axis_on_0d_tensor():
    with pytest.raises(np.exceptions.AxisError, match="0-d"):
        Tensor(1.0).sum(axis=0)


def test_backward_on_non_scalar_without_grad():
    y = Tensor(np.ones(3), requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match=r"shape \(3,\), not a single number.*grad="):
        y.backward()


def test_backward_grad_of_wrong_shape():
    y = Tensor(np.ones(3), requires_grad=True) * 2.0
    with pytest.raises(ShapeError, match=r"grad has shape \(2,\) but the output has shape \(3,\)"):
        y.backward(np.ones(2))


def test_backward_with_explicit_grad():
    x = Tensor(np.ones(3), requires_grad=True)
    (x * 2.0).backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])
    x.grad = None
    (x * 2.0).backward(Tensor([1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, 2.0])


def test_second_backward_message_says_retain_graph():
    y = (Tensor(np.ones(2), requires_grad=True).exp()).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="already freed.*retain_graph=True"):
        y.backward()


def test_reshape_error():
    with pytest.raises(ShapeError, match=r"reshape: cannot reshape a tensor of shape \(2, 3\)"):
        Tensor(np.ones((2, 3))).reshape(4)


def test_concatenate_and_stack_errors():
    with pytest.raises(ShapeError, match="concatenate: shapes must match except along axis 0"):
        ag.concatenate([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ShapeError, match="stack: all tensors must have the same shape"):
        ag.stack([np.ones(2), np.ones(3)])


def test_non_numeric_data():
    with pytest.raises(TypeError, match="numeric"):
        Tensor(["a", "b"])


def test_value_of_non_number():
    with pytest.raises(TypeError, match="real number"):
        ag.Value("abc")


def test_custom_vjp_returning_a_float_is_a_clear_type_error():
    class Zero(ag.Function):
        def forward(self, x):
            return x * 0

        def vjp(self, grad_out):
            return 0.0

    with pytest.raises(TypeError, match=r"Zero.vjp returned \(float\).*ndarray"):
        Zero.apply(Tensor([1.0, 2.0], requires_grad=True)).sum().backward()
