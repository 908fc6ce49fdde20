"""grad and value_and_grad: values against central differences, argnums, types in and out,
and the errors a learner meets."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor

from .samples import SCALAR_SAMPLES, central_jacobian


@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_grad_matches_central_differences(sample):
    args = sample.args()
    g = ag.grad(sample.fn)(*args)
    assert isinstance(g, np.ndarray) and g.shape == args[0].shape
    np.testing.assert_allclose(g, central_jacobian(sample.fn, args, 0), rtol=1e-7, atol=1e-8)


def test_float_in_float_out():
    g = ag.grad(lambda x: x ** 3 - 2 * x ** 2 + 1)(2.0)
    assert type(g) is float and g == pytest.approx(4.0, abs=1e-12)
    assert type(ag.grad(lambda x: x * x)(3)) is float  # a Python int is a number too


def test_ndarray_keeps_shape_and_dtype():
    x = np.array([[1.0, 2.0]], dtype=np.float32)
    g = ag.grad(lambda x: (x ** 2).sum())(x)
    assert g.shape == (1, 2) and g.dtype == np.float32
    np.testing.assert_allclose(g, [[2.0, 4.0]])


def test_argnums_tuple_and_negative():
    def f(x, y, z):
        return (x * y).sum() + z * 0.0 + (y ** 2).sum()

    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    gx, gy = ag.grad(f, argnums=(0, 1))(x, y, 5.0)
    np.testing.assert_allclose(gx, y)
    np.testing.assert_allclose(gy, x + 2 * y)
    np.testing.assert_allclose(ag.grad(f, argnums=-2)(x, y, 5.0), x + 2 * y)
    assert ag.grad(f, argnums=2)(x, y, 5.0) == 0.0


def test_non_differentiated_arguments_pass_through_unchanged():
    seen = {}

    def f(w, labels, scale=1.0):
        seen["labels"] = labels
        return (w[labels] * scale).sum()

    labels = np.array([0, 2, 2])
    g = ag.grad(f)(np.zeros(3), labels, scale=2.0)
    assert seen["labels"] is labels
    np.testing.assert_allclose(g, [2.0, 0.0, 4.0])


def test_value_and_grad():
    value, g = ag.value_and_grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    assert type(value) is float and value == 5.0
    np.testing.assert_allclose(g, [2.0, 4.0])
    value, (gx, gy) = ag.value_and_grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0)
    assert (value, gx, gy) == (6.0, 3.0, 2.0)


def test_has_aux():
    def loss(w):
        pred = w * 2
        return (pred ** 2).sum(), {"pred": pred.data}

    g, aux = ag.grad(loss, has_aux=True)(np.array([1.0]))
    np.testing.assert_allclose(g, [8.0])
    assert aux["pred"][0] == 2.0
    (value, aux), g = ag.value_and_grad(loss, has_aux=True)(np.array([1.0]))
    assert value == 4.0 and aux["pred"][0] == 2.0


def test_size_one_output_counts_as_a_scalar():
    g = ag.grad(lambda x: (x * 3).sum(axis=0, keepdims=True))(np.ones(2))
    np.testing.assert_allclose(g, [3.0, 3.0])


def test_constant_function_has_zero_gradient():
    g = ag.grad(lambda x, y: (y * 2).sum(), argnums=0)(np.ones(3), Tensor(np.ones(2)))
    np.testing.assert_array_equal(g, np.zeros(3))


def test_identity_output():
    assert ag.grad(lambda x: x)(1.5) == 1.0


def test_works_under_no_grad_and_leaves_closure_parameters_alone():
    w = Tensor([1.0, -2.0], requires_grad=True)
    w.grad = np.array([10.0, 10.0])
    with ag.no_grad():
        g = ag.grad(lambda x: (x * w).sum())(np.array([3.0, 4.0]))
    np.testing.assert_allclose(g, [1.0, -2.0])
    np.testing.assert_allclose(w.grad, [10.0, 10.0])


def test_fan_out_counts_every_use():
    assert ag.grad(lambda x: x * x * x)(2.0) == pytest.approx(12.0)


def test_result_is_a_fresh_writable_array():
    g = ag.grad(lambda x: x.sum())(np.ones(3))
    g[0] = 5.0  # the gradient of a sum is a broadcast view inside the engine
    assert g.flags.writeable


def test_repr_names_the_function():
    def loss(x):
        return x

    assert "grad of" in repr(ag.grad(loss)) and "loss" in repr(ag.grad(loss))


# ----- errors ------------------------------------------------------------------------------
def test_non_scalar_output_says_use_jacobian():
    with pytest.raises(ValueError, match=r"shape \(3,\).*jacobian"):
        ag.grad(lambda x: x * 2)(np.ones(3))


@pytest.mark.parametrize("argnums", [1, -2, (0, 1)])
def test_argnums_out_of_range(argnums):
    with pytest.raises(ValueError, match="out of range"):
        ag.grad(lambda x: x, argnums=argnums)(1.0)


def test_argnums_must_be_ints():
    with pytest.raises(TypeError, match="argnums"):
        ag.grad(lambda x: x, argnums="x")
    with pytest.raises(ValueError, match="twice"):
        ag.grad(lambda x, y: x * y, argnums=(0, -2))(1.0, 2.0)


def test_integer_array_says_so():
    with pytest.raises(TypeError, match="integer dtype int64.*astype\\(float\\)"):
        ag.grad(lambda x: x.sum())(np.array([1, 2, 3], dtype=np.int64))


def test_bool_and_other_types_are_refused():
    with pytest.raises(TypeError, match="bool"):
        ag.grad(lambda x: x)(True)
    with pytest.raises(TypeError, match="str"):
        ag.grad(lambda x: x)("1.0")
    with pytest.raises(TypeError, match="Value"):
        ag.grad(lambda x: x)(ag.Value(1.0))


@pytest.mark.parametrize("result, words", [
    (lambda x: np.sin(np.asarray(x)), "returned a NumPy float64"),
    (lambda x: float(x.sum()) * 2, "returned a float"),
    (lambda x: ag.Tensor(float(x) * 2), "read the values of argument 0 out of the graph"),
    (lambda x: np.ones(3), "returned a NumPy array of shape \\(3,\\)"),
    (lambda x: None, "None"),
    (lambda x: float(x) * 2, "float"),
])
def test_function_returning_a_non_autograd_value(result, words):
    with pytest.raises(TypeError, match=words) as info:
        ag.grad(result)(1.0)
    assert "autograd_lite" in str(info.value)


def test_tuple_output_suggests_has_aux():
    with pytest.raises(TypeError, match="has_aux"):
        ag.grad(lambda x: (x, x))(1.0)


def test_no_arguments():
    with pytest.raises(TypeError, match="without positional arguments"):
        ag.grad(lambda: Tensor(1.0))()


# ----- against torch -----------------------------------------------------------------------
@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_grad_agrees_with_torch(sample):
    torch = pytest.importorskip("torch")
    args = sample.args()
    x = torch.tensor(args[0], requires_grad=True)
    (expected,) = torch.autograd.grad(sample.torch_fn(x), x)
    np.testing.assert_allclose(ag.grad(sample.fn)(*args), expected.numpy(), rtol=1e-12,
                               atol=1e-12)


# ----- an ignored argument against a lost dependence -----------------------------------------
def test_ignored_argument_gives_zeros_of_its_shape():
    assert ag.grad(lambda x, y: x ** 2, argnums=1)(3.0, 4.0) == 0.0
    g = ag.grad(lambda x, y: (np.asarray(x) ** 2).sum(), argnums=1)(np.ones(2), np.ones((2, 3)))
    np.testing.assert_array_equal(g, np.zeros((2, 3)))
    assert g.dtype == np.float64
    # control flow on a comparison keeps the argument on the graph: a step function
    assert ag.grad(lambda x: Tensor(1.0) if x > 0 else Tensor(-1.0))(0.5) == 0.0


@pytest.mark.parametrize("f, words", [
    (lambda x: float(x.sum()), r"returned a float, not an autograd_lite Tensor, although it used "
                               r"argument 0"),
    (lambda x: (x * 2).item(), r"returned a float"),
    (lambda x: np.asarray(x.exp()).sum(), r"returned a NumPy float64"),
    (lambda x: Tensor(1.0) if float(x) > 0 else Tensor(-1.0),
     r"read the values of argument 0 out of the graph.*compare the Tensor itself"),
    (lambda x: Tensor(x.data * 2), r"read the values of argument 0"),
])
def test_a_lost_dependence_is_refused(f, words):
    with pytest.raises(TypeError, match=words):
        ag.grad(f)(0.5)


def test_a_lost_dependence_in_a_pytree_output_names_the_leaf():
    with pytest.raises(TypeError, match=r"jacobian: f returned a float at \['b'\]"):
        ag.jacobian(lambda x: {"a": x * 2, "b": float(x.sum())})(np.ones(2))
    # a true constant is returned as a Tensor
    jac = ag.jacobian(lambda x: {"a": x * 2, "b": Tensor(3.0)})(np.ones(2))
    np.testing.assert_array_equal(jac["b"], [0.0, 0.0])
