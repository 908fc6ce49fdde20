"""hessian: exact, symmetric, equal to jacobian(grad) and to forward over reverse, blocks for
several arguments, and the torch oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag

from .samples import SCALAR_SAMPLES, M, central_jacobian


@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_hessian_is_jacobian_of_grad_and_symmetric(sample):
    (x,) = sample.args()
    h = ag.hessian(sample.fn)(x)
    assert h.shape == x.shape + x.shape
    np.testing.assert_allclose(h, ag.jacobian(ag.grad(sample.fn))(x), rtol=1e-12, atol=1e-13)
    flat = h.reshape(x.size, x.size)
    np.testing.assert_allclose(flat, flat.T, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_reverse_over_reverse_equals_forward_over_reverse(sample):
    (x,) = sample.args(seed=2)
    np.testing.assert_allclose(ag.hessian(sample.fn, mode="rev")(x),
                               ag.hessian(sample.fn, mode="fwd")(x), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_hessian_matches_differences_of_the_gradient(sample):
    (x,) = sample.args(seed=4)
    gradient = ag.grad(sample.fn)

    def grad_as_tensor(v):  # the exact gradient, as a function finite differences can call
        return ag.Tensor(gradient(np.asarray(v.data)))

    numeric = central_jacobian(grad_as_tensor, [x], 0, eps=1e-5)
    np.testing.assert_allclose(ag.hessian(sample.fn)(x), numeric, rtol=1e-6, atol=1e-7)


def test_quadratic_form_is_exact():
    a = np.array([[2.0, 1.0], [0.0, 3.0]])
    h = ag.hessian(lambda x: x @ ag.Tensor(a) @ x)(np.array([0.3, -2.0]))
    np.testing.assert_array_equal(h, a + a.T)


def test_linear_function_has_zero_hessian():
    np.testing.assert_array_equal(ag.hessian(lambda x: (x * 3).sum())(np.ones(3)),
                                  np.zeros((3, 3)))


def test_float_argument_gives_a_float():
    h = ag.hessian(lambda x: x ** 3 - 2 * x ** 2 + 1)(4 / 3)
    assert type(h) is float and h == pytest.approx(4.0, abs=1e-12)


def test_blocks_for_several_arguments():
    def f(x, y):
        return (x * x * y).sum() + (y ** 3).sum()

    x, y = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    (hxx, hxy), (hyx, hyy) = ag.hessian(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(hxx, np.diag(2 * y))
    np.testing.assert_allclose(hxy, np.diag(2 * x))
    np.testing.assert_allclose(hyx, hxy.T)
    np.testing.assert_allclose(hyy, np.diag(6 * y))


def test_matrix_argument_shape():
    h = ag.hessian(lambda w: (w.sin() ** 2).sum())(np.ones((2, 3)))
    assert h.shape == (2, 3, 2, 3)


def test_non_scalar_output_is_an_error():
    with pytest.raises(ValueError, match="single number"):
        ag.hessian(lambda x: x * x)(np.ones(2))


def test_hessian_vector_product_by_nesting():
    """Forward over reverse (jvp of grad) and reverse over forward (grad of jvp) give H @ v."""
    x, v = np.array([0.4, -0.3, 1.2, 0.7]), np.array([1.0, 2.0, -1.0, 0.5])

    def f(x):
        return (x @ ag.Tensor(M) @ x) * 0.5 + (x.sin() * x).sum()

    hv = ag.hessian(f)(x) @ v
    np.testing.assert_allclose(ag.jvp(ag.grad(f), (x,), (v,))[1], hv, rtol=1e-12)

    def directional(x):
        return ag.jvp(f, (x,), (v,))[1]

    np.testing.assert_allclose(ag.grad(directional)(x), hv, rtol=1e-12)


def test_third_derivative_by_nesting():
    third = ag.grad(ag.grad(ag.grad(lambda x: x ** 4)))(1.5)
    assert third == pytest.approx(24 * 1.5, abs=1e-12)


def test_hundred_parameter_hessian():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((20, 100)) / 10

    def f(x):
        return ((ag.Tensor(w) @ x).tanh() ** 2).sum() + (x ** 4).sum() * 0.01

    x = rng.standard_normal(100)
    h = ag.hessian(f)(x)
    assert h.shape == (100, 100)
    np.testing.assert_allclose(h, h.T, rtol=1e-10, atol=1e-12)
    i = 7
    row = central_jacobian(lambda v: ag.Tensor(ag.grad(f)(np.asarray(v.data))[i]), [x], 0,
                           eps=1e-5)
    np.testing.assert_allclose(h[i], row, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("sample", SCALAR_SAMPLES, ids=lambda s: s.name)
def test_agrees_with_torch(sample):
    torch = pytest.importorskip("torch")
    (x,) = sample.args(seed=6)
    expected = torch.autograd.functional.hessian(sample.torch_fn, torch.tensor(x))
    np.testing.assert_allclose(ag.hessian(sample.fn)(x), expected.numpy(), rtol=1e-11,
                               atol=1e-12)
