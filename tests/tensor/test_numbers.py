"""Python ints become float64 whatever their size (as the API promises), in tensors, in lists
and as operands; only an integer that float64 (or the requested dtype) cannot hold is an
error, and it names the integer and what to do. Data that is not numbers says what it holds."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograd_lite import Tensor, Value

torch = pytest.importorskip("torch")

BIG = [2**63, 2**64 - 1, 2**64, 2**70, -(2**70), 10**30, 2**1023, int(1.7e308)]


@pytest.mark.parametrize("n", BIG)
def test_a_big_python_int_becomes_the_nearest_float64(n):
    t = Tensor(n)
    assert t.dtype == np.float64 and t.shape == ()
    assert t.item() == float(n) == torch.tensor(float(n), dtype=torch.float64).item()


@pytest.mark.parametrize("data, expected", [
    ([1, 2**70], [1.0, float(2**70)]),
    ([[2**70, 1.5], [-3, True]], [[float(2**70), 1.5], [-3.0, 1.0]]),
    ((2**64, 0), [float(2**64), 0.0]),
    ([[2**100]], [[float(2**100)]]),
    (np.array([2**70, 3], dtype=object), [float(2**70), 3.0]),
    ([np.int64(4), 2**65], [4.0, float(2**65)]),
])
def test_big_ints_in_lists_and_object_arrays(data, expected):
    t = Tensor(data)
    assert t.dtype == np.float64
    np.testing.assert_array_equal(t.data, expected)


def test_a_big_int_tensor_can_require_grad_and_be_differentiated():
    x = Tensor([2**70, 1], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0 * 2**70, 2.0])


@pytest.mark.parametrize("make, expected", [
    (lambda: Tensor(1.0) * 2**70, float(2**70)), (lambda: 2**70 * Tensor(0.5), 2.0**69),
    (lambda: Tensor(2**70) + 2**70, 2.0**71), (lambda: 2**70 - Tensor(2**70), 0.0),
])
def test_big_int_operands(make, expected):
    assert make().item() == expected


@pytest.mark.parametrize("make, shown", [
    (lambda: Tensor(2**1024), "179769313486...7216 (309 digits)"),
    (lambda: Tensor([1, -(2**3000)]), "-12302319221...9376 (904 digits)"),
    (lambda: Tensor([[0.5], [10**400]]), "100000000000...0000 (401 digits)"),
    (lambda: Tensor(1.0) * 2**2000, "114813069527...9376 (603 digits)"),
    (lambda: 10**400 - Tensor(1.0), "100000000000...0000 (401 digits)"),
])
def test_an_int_beyond_float64_names_itself_and_the_fix(make, shown):
    with pytest.raises(OverflowError) as info:
        make()
    message = str(info.value)
    assert f"the integer {shown} is too large for float64 (largest about 1.8e+308)" in message
    assert "scale it down" in message


@pytest.mark.parametrize("dtype, limit", [(np.int64, "9.22e+18"), (np.int8, "127"),
                                          (np.uint16, "6.55e+04")])
def test_an_int_beyond_a_requested_dtype(dtype, limit):
    expected = f"the integer 1180591620717411303424 is too large for {np.dtype(dtype)} " \
        f"(largest about {limit})"
    with pytest.raises(OverflowError, match=re.escape(expected)):
        Tensor(2**70, dtype=dtype)
    assert Tensor(2**70, dtype=np.float32).item() == np.float32(2**70)


@pytest.mark.parametrize("data, held", [
    ([1, None], "holding NoneType None"),
    ([[1.0], [object()]], "holding object <object object at"),
    (np.array([{"a": 1}], dtype=object), "holding dict {'a': 1}"),
])
def test_object_data_that_is_not_numbers_says_what_it_holds(data, held):
    with pytest.raises(TypeError, match="must be numeric, got an array of dtype object") as info:
        Tensor(data)
    assert held in str(info.value)


def test_values_take_big_ints_and_name_the_ones_a_float_cannot_hold():
    assert Value(2**70).data == float(2**70)
    assert (Value(1.0) * 2**70).data == float(2**70)
    for make in (lambda: Value(2**1024), lambda: Value(1.0) + 2**1024,
                 lambda: 2**1024 * Value(1.0), lambda: Value(1.0) ** 2**1024):
        with pytest.raises(OverflowError, match=r"Value: the integer 179769313486\.\.\.7216 "
                                                r"\(309 digits\) is too large for a float"):
            make()
