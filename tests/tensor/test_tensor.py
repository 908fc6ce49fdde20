"""Tensor construction, dtype rules, NumPy interop, comparisons, indexing and matmul."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor


@pytest.mark.parametrize("data", [1.0, 3, [1, 2], [[1.0, 2.0]], True])
def test_python_data_becomes_float64(data):
    assert Tensor(data).dtype == np.float64


def test_float32_array_stays_float32_through_ops():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    y = (x * 2.0 + 1) ** 2 / 3.0 - x.exp()
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_integer_array_keeps_its_dtype_without_grad():
    t = Tensor(np.array([1, 2], dtype=np.int32))
    assert t.dtype == np.int32
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_attributes():
    t = Tensor(np.arange(6.0).reshape(2, 3), label="t")
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6
    assert t.label == "t" and t.op == "" and t.grad is None and not t.requires_grad
    assert t.T.shape == (3, 2) and t.T.op == ""  # nothing requires grad: nothing recorded
    assert Tensor(np.ones((2, 3)), requires_grad=True).T.op == "transpose"
    assert Tensor(2.5).item() == 2.5
    assert isinstance(t.numpy(), np.ndarray)


def test_np_asarray_and_ndarray_op_tensor_gives_tensor():
    t = Tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(np.asarray(t), [1.0, 2.0])
    for result in (np.ones(2) + t, np.ones(2) * t, np.ones(2) - t, np.ones(2) / t,
                   np.ones((3, 2)) @ t, np.float64(2.0) * t, 2.0 ** t):
        assert isinstance(result, Tensor), type(result)
        assert result.requires_grad
    (np.array([3.0, 4.0]) * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [3.0, 4.0])


def test_comparisons_return_boolean_arrays():
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result, expected in ((t < 2, [True, False, False]), (t >= 2, [False, True, True]),
                             (t == Tensor([1.0, 0.0, 3.0]), [True, False, True]),
                             (t != 2.0, [True, False, True]), (t > t, [False] * 3),
                             (t <= 1.0, [True, False, False])):
        assert type(result) is np.ndarray and result.dtype == bool
        np.testing.assert_array_equal(result, expected)


def test_tensors_are_hashable_by_identity():
    a = Tensor([1.0])
    b = Tensor([1.0])
    assert len({a, b}) == 2


def test_python_scalars_take_the_tensor_dtype():
    x = Tensor(np.ones(2, dtype=np.float32))
    assert (x * 2.5).dtype == np.float32
    assert (2.5 - x).dtype == np.float32
    assert (x ** 2).dtype == np.float32


@pytest.mark.parametrize("xs, ys", [
    ((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,)), ((1, 3, 4), (2, 4, 1)),
])
def test_matmul_follows_numpy_matmul(xs, ys):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(xs), rng.standard_normal(ys)
    out = Tensor(a, requires_grad=True) @ Tensor(b, requires_grad=True)
    expected = np.matmul(a, b)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected)


@pytest.mark.parametrize("index", [
    (slice(1, None), slice(None, None, 2)), ([0, 0, 2],), (np.array([2, 0]), np.array([1, 1])),
    (Ellipsis, 1), (None, 0), 1, (slice(None), [True, False, True, True]),
])
def test_indexing_matches_numpy(index):
    a = np.arange(12.0).reshape(3, 4)
    t = Tensor(a, requires_grad=True)
    numpy_index = tuple(index) if isinstance(index, list) else index
    np.testing.assert_array_equal(t[index].data, a[numpy_index])


def test_repeated_indices_add_up():
    t = Tensor(np.zeros(4), requires_grad=True)
    t[np.array([1, 1, 1, 3])].sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 3.0, 0.0, 1.0])


def test_index_with_a_tensor():
    t = Tensor(np.arange(5.0), requires_grad=True)
    idx = Tensor(np.array([4, 0]))
    np.testing.assert_array_equal(t[idx].data, [4.0, 0.0])


def test_boolean_mask_gradient():
    a = np.array([-1.0, 2.0, -3.0, 4.0])
    t = Tensor(a, requires_grad=True)
    t[a > 0].sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 1.0, 0.0, 1.0])


def test_kink_conventions():
    x = Tensor(np.array([0.0, 0.0]), requires_grad=True)
    (x.relu().sum() + x.abs().sum()).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_ties_share_the_gradient_equally():
    x = Tensor(np.array([3.0, 1.0, 3.0]), requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.5, 0.0, 0.5])
    x.grad = None
    x.min().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 3.0]), requires_grad=True)
    ag.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.5, 0.0])
    np.testing.assert_array_equal(b.grad, [0.5, 1.0])
    a.grad = b.grad = None
    ag.minimum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.5, 1.0])
    np.testing.assert_array_equal(b.grad, [0.5, 0.0])


def test_max_ties_along_an_axis():
    x = Tensor(np.array([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0]]), requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])


def test_numerically_stable_functions():
    x = Tensor(np.array([-1000.0, 0.0, 1000.0]), requires_grad=True)
    np.testing.assert_allclose(x.sigmoid().data, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(x.logsumexp().data, 1000.0)
    np.testing.assert_allclose(x.softmax().data, [0.0, 0.0, 1.0])
    lsm = x.log_softmax()
    assert np.isfinite(lsm.data).all()
    lsm[0].backward()
    assert np.isfinite(x.grad).all()


def test_reductions_match_numpy():
    a = np.random.default_rng(0).standard_normal((2, 3, 4))
    t = Tensor(a)
    for name in ("sum", "mean", "max", "min"):
        for axis in (None, 0, -1, (0, 2)):
            for keepdims in (False, True):
                got = getattr(t, name)(axis=axis, keepdims=keepdims).data
                np.testing.assert_allclose(got, getattr(a, name)(axis=axis, keepdims=keepdims))


def test_module_functions_accept_arrays():
    out = ag.exp(np.zeros(2))
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, [1.0, 1.0])
    np.testing.assert_array_equal(ag.where(np.array([True, False]), 1.0, Tensor([5.0, 6.0])).data,
                                  [1.0, 6.0])


def test_iteration_and_len():
    t = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    rows = list(t)
    assert len(t) == 3 and len(rows) == 3 and rows[1].shape == (2,)
    sum(r.sum() for r in rows).backward()
    np.testing.assert_array_equal(t.grad, np.ones((3, 2)))


def test_repr_shows_op_label_shape_and_grad():
    w = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    assert "label='W'" in repr(w) and "shape=(2, 2)" in repr(w) and "requires_grad" in repr(w)
    y = (w * 2.0).sum()
    y.backward()
    assert "op=sum" in repr(y)
    assert "grad=" in repr(w)


def test_numpy_ufuncs_on_tensors_are_differentiable():
    t = Tensor(np.array([0.3, 1.2]), requires_grad=True)
    out = np.sin(t) * np.exp(t) + np.maximum(np.zeros(2), t)
    assert isinstance(out, Tensor)
    out.sum().backward()
    expected = np.cos(t.data) * np.exp(t.data) + np.sin(t.data) * np.exp(t.data) + 1.0
    np.testing.assert_allclose(t.grad, expected)


def test_numpy_calls_that_would_drop_the_gradient_say_what_to_use():
    t = Tensor(np.array([0.3, 1.2]), requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy.maximum.accumulate cannot run on a Tensor.*"
                                        r"np.asarray"):
        np.maximum.accumulate(t)
    with pytest.raises(TypeError, match=r"numpy.exp with out=.*np.asarray\(t\)"):
        np.exp(t, out=np.zeros(2))
    with pytest.raises(TypeError, match="numpy.arctan"):
        np.arctan(t)
