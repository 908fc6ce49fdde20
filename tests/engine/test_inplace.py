"""Writing into `.data` of a tensor a recorded op still needs never gives a silent wrong
gradient: backward raises, naming the tensor and the op."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import Tensor


def test_setitem_on_saved_input_makes_backward_raise():
    w = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True, label="w")
    x = Tensor(np.array([4.0, 5.0, 6.0]), requires_grad=True)
    loss = (w * x).sum()
    w.data[0] = 5.0
    with pytest.raises(RuntimeError, match=r"tensor 'w'.*changed in place.*'mul'"):
        loss.backward()


def test_augmented_assignment_on_saved_output_makes_backward_raise():
    x = Tensor(np.array([0.1, 0.2]), requires_grad=True)
    y = x.exp()
    y.label = "y"
    loss = y.sum()
    y.data += 1.0
    np.testing.assert_allclose(y.data, np.exp([0.1, 0.2]) + 1.0)
    with pytest.raises(RuntimeError, match="tensor 'y'.*'exp'"):
        loss.backward()


def test_write_through_a_slice_of_data_is_seen():
    w = Tensor(np.ones((2, 3)), requires_grad=True, label="w")
    loss = (w * w).sum()
    w.data[1][0] = 7.0
    with pytest.raises(RuntimeError, match="'w'"):
        loss.backward()


def test_ufunc_out_argument_is_seen():
    w = Tensor(np.ones(3), requires_grad=True, label="w")
    loss = (w * w).sum()
    np.multiply(w.data, 2.0, out=w.data)
    with pytest.raises(RuntimeError, match="'w'"):
        loss.backward()


def test_writes_after_backward_are_fine():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    w.data -= 0.1 * w.grad
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    loss2 = (w * w).sum()
    w.grad = None
    loss2.backward()
    np.testing.assert_allclose(w.grad, [1.6, 3.2])


def test_write_to_an_input_an_op_does_not_save_is_fine():
    b = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    x = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    loss = (x * x + b).sum()  # add saves nothing of b
    b.data[0] = 10.0
    loss.backward()
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_reading_data_is_a_plain_ndarray_result():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    doubled = w.data * 2
    assert type(doubled) is np.ndarray
    assert isinstance(w.data, np.ndarray)
    copy = w.data.copy()
    copy[0] = 9.0  # a copy is the user's own array
    assert w.data[0] == 1.0
    assert repr(w.data) == "array([1., 2.])"


def test_assigning_a_new_array_to_data():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    w.data = np.array([3.0, 4.0])
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad, [6.0, 8.0])
    with pytest.raises(TypeError, match="floating-point"):
        w.data = np.array([1, 2])
