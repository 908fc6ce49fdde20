"""The JAX autodiff cookbook, ported: its logistic-regression example, differentiating with
respect to dicts and other containers, value_and_grad, checking against differences,
Hessian-vector products (reverse over reverse, forward over reverse, reverse over forward),
Jacobians of dicts, Hessians as Jacobians of Jacobians, and vector-valued gradients.

Source: "The Autodiff Cookbook", docs/notebooks/autodiff_cookbook.md in the jax-ml/jax
repository. The code is rewritten for autograd_lite (jnp functions become Tensor methods,
jacrev/jacfwd become jacobian with mode="rev"/"fwd", random keys become a seeded NumPy
generator, the boolean targets become floats because NumPy refuses `1 - bool_array`); the
expected numbers are derived by hand here and, where it is installed, computed with HIPS
autograd, since JAX is not a test dependency.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag

RNG = np.random.default_rng(0)
INPUTS = np.array([[0.52, 1.12, 0.77],
                   [0.88, -1.08, 0.15],
                   [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
TARGETS = np.array([1.0, 1.0, 0.0, 1.0])
W0 = RNG.standard_normal(3)
B0 = float(RNG.standard_normal())


def sigmoid(x):
    return 0.5 * ((x / 2).tanh() + 1)


def predict(W, b, inputs):
    """The probability that each label is true."""
    return sigmoid(inputs @ W + b)


def loss(W, b):
    """The negative log-likelihood of the training examples."""
    preds = predict(W, b, INPUTS)
    label_probs = preds * TARGETS + (1 - preds) * (1 - TARGETS)
    return -label_probs.log().sum()


def by_hand():
    """Probabilities and the loss gradient: d loss / d z = p - t for z = inputs @ W + b."""
    p = 1 / (1 + np.exp(-(INPUTS @ W0 + B0)))
    return p, INPUTS.T @ (p - TARGETS), float((p - TARGETS).sum())


# ----- gradients with argnums, containers, value_and_grad ----------------------------------------
def test_grad_with_argnums():
    _, w_grad, b_grad = by_hand()
    np.testing.assert_allclose(ag.grad(loss, argnums=0)(W0, B0), w_grad, rtol=1e-13)
    np.testing.assert_allclose(ag.grad(loss)(W0, B0), w_grad, rtol=1e-13)
    assert ag.grad(loss, 1)(W0, B0) == pytest.approx(b_grad, rel=1e-13)
    both = ag.grad(loss, (0, 1))(W0, B0)
    np.testing.assert_allclose(both[0], w_grad, rtol=1e-13)
    assert type(both[1]) is float and both[1] == pytest.approx(b_grad, rel=1e-13)


def test_grad_with_respect_to_a_dict():
    def loss2(params):
        preds = predict(params["W"], params["b"], INPUTS)
        label_probs = preds * TARGETS + (1 - preds) * (1 - TARGETS)
        return -label_probs.log().sum()

    _, w_grad, b_grad = by_hand()
    g = ag.grad(loss2)({"W": W0, "b": B0})
    assert list(g) == ["W", "b"]
    np.testing.assert_allclose(g["W"], w_grad, rtol=1e-13)
    assert g["b"] == pytest.approx(b_grad, rel=1e-13)


def test_value_and_grad():
    value, (w_grad, b_grad) = ag.value_and_grad(loss, (0, 1))(W0, B0)
    p, expected_w, expected_b = by_hand()
    expected = -np.log(np.where(TARGETS == 1, p, 1 - p)).sum()
    assert value == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(w_grad, expected_w, rtol=1e-13)


def test_checking_against_differences():
    eps = 1e-4

    def at(W, b):
        return float(loss(ag.Tensor(W), ag.Tensor(b)).item())

    b_numeric = (at(W0, B0 + eps / 2) - at(W0, B0 - eps / 2)) / eps
    assert ag.grad(loss, 1)(W0, B0) == pytest.approx(b_numeric, rel=1e-7)
    vec = RNG.standard_normal(3)
    unit = vec / np.sqrt(vec @ vec)
    w_numeric = (at(W0 + eps / 2 * unit, B0) - at(W0 - eps / 2 * unit, B0)) / eps
    assert ag.grad(loss)(W0, B0) @ unit == pytest.approx(w_numeric, rel=1e-7)
    # the cookbook's check_grads(loss, (W, b), order=2): first and second derivatives
    assert ag.gradcheck(loss, W0, B0)
    assert ag.gradcheck(ag.grad(loss, (0, 1)), W0, B0)


# ----- Hessian-vector products ---------------------------------------------------------------
def tanh_squared(X):
    return (X.tanh() ** 2).sum()


def tanh_squared_hvp_by_hand(X, V):
    """The Hessian of sum(tanh(X)^2) is diagonal: d^2/dx^2 tanh^2 = 2 (1 - t^2)(1 - 3 t^2)."""
    t = np.tanh(X)
    return 2 * (1 - t ** 2) * (1 - 3 * t ** 2) * V


X = RNG.standard_normal((3, 4))
V = RNG.standard_normal((3, 4))


def hvp_reverse_over_reverse(f, x, v):
    """grad of the dot product of the gradient with v: closes over v, differentiates x twice."""
    return ag.grad(lambda x: (ag.grad(f)(x) * v).sum())(x)


def hvp_forward_over_reverse(f, primals, tangents):
    return ag.jvp(ag.grad(f), primals, tangents)[1]


def hvp_reverse_over_forward(f, primals, tangents):
    def directional(primals):
        return ag.jvp(f, primals, tangents)[1]

    return ag.grad(directional)(primals)


def test_hessian_vector_product_three_ways():
    expected = tanh_squared_hvp_by_hand(X, V)
    np.testing.assert_allclose(hvp_reverse_over_reverse(tanh_squared, X, V), expected,
                               rtol=1e-12)
    np.testing.assert_allclose(hvp_forward_over_reverse(tanh_squared, (X,), (V,)), expected,
                               rtol=1e-12)
    (rev_fwd,) = hvp_reverse_over_forward(tanh_squared, (X,), (V,))
    np.testing.assert_allclose(rev_fwd, expected, rtol=1e-12)
    # and the full Hessian, contracted with V over both of X's axes
    full = np.tensordot(ag.hessian(tanh_squared)(X), V, 2)
    np.testing.assert_allclose(full, expected, rtol=1e-12, atol=1e-15)


def test_hessian_vector_product_of_containers():
    """Forward over reverse needs no dot product, so it works on any container of arrays."""

    def f(params):
        return tanh_squared(params["a"]) + (params["b"][0] * params["b"][1]).sum()

    primal = {"a": X, "b": [np.array([1.0, 2.0]), np.array([3.0, -1.0])]}
    tangent = {"a": V, "b": [np.array([0.5, 0.0]), np.array([1.0, 1.0])]}
    hvp = hvp_forward_over_reverse(f, (primal,), (tangent,))
    np.testing.assert_allclose(hvp["a"], tanh_squared_hvp_by_hand(X, V), rtol=1e-12)
    # d/db0 (b0 . b1) = b1, so its tangent is t_b1; and the other way round
    np.testing.assert_allclose(hvp["b"][0], tangent["b"][1])
    np.testing.assert_allclose(hvp["b"][1], tangent["b"][0])
    (again,) = hvp_reverse_over_forward(f, (primal,), (tangent,))
    np.testing.assert_allclose(again["a"], hvp["a"], rtol=1e-12)
    np.testing.assert_allclose(again["b"][1], hvp["b"][1])


# ----- Jacobians and Hessians -------------------------------------------------------------------
def test_jacobians_forward_and_reverse():
    def f(W):
        return predict(W, B0, INPUTS)

    p, _, _ = by_hand()
    expected = (p * (1 - p))[:, None] * INPUTS  # d p_n / d W_i = p (1 - p) x_ni
    for mode in ("fwd", "rev"):
        jac = ag.jacobian(f, mode=mode)(W0)
        assert jac.shape == (4, 3)
        np.testing.assert_allclose(jac, expected, rtol=1e-13)


def test_jacobian_with_respect_to_a_dict():
    def predict_dict(params, inputs):
        return predict(params["W"], params["b"], inputs)

    jac = ag.jacobian(predict_dict, mode="rev")({"W": W0, "b": B0}, INPUTS)
    p, _, _ = by_hand()
    np.testing.assert_allclose(jac["W"], (p * (1 - p))[:, None] * INPUTS, rtol=1e-13)
    np.testing.assert_allclose(jac["b"], p * (1 - p), rtol=1e-13)


def test_hessian_as_forward_over_reverse_jacobians():
    def f(W):
        return predict(W, B0, INPUTS)

    H = ag.jacobian(ag.jacobian(f, mode="rev"), mode="fwd")(W0)
    assert H.shape == (4, 3, 3)
    p, _, _ = by_hand()
    second = p * (1 - p) * (1 - 2 * p)  # the sigmoid's second derivative
    np.testing.assert_allclose(H, second[:, None, None] * np.einsum("ni,nj->nij", INPUTS, INPUTS),
                               rtol=1e-12)
    np.testing.assert_allclose(ag.jacobian(ag.jacobian(f, mode="fwd"), mode="rev")(W0), H,
                               rtol=1e-12)


def test_vector_valued_gradient_by_vjp():
    def vgrad(f, x):
        y, vjp_fn = ag.vjp(f, x)
        return vjp_fn(np.ones(np.shape(y)))[0]

    np.testing.assert_allclose(vgrad(lambda x: 3 * x ** 2, np.ones((2, 2))), 6 * np.ones((2, 2)))
    # autograd_lite has it as elementwise_grad (HIPS autograd's name)
    np.testing.assert_allclose(ag.elementwise_grad(lambda x: 3 * x ** 2)(np.ones((2, 2))),
                               6 * np.ones((2, 2)))


# ----- the same numbers from HIPS autograd -------------------------------------------------------
def test_cookbook_numbers_match_hips_autograd():
    anp = pytest.importorskip("autograd.numpy")
    import autograd

    def hips_predict(W, b, inputs):
        return 0.5 * (anp.tanh((anp.dot(inputs, W) + b) / 2) + 1)

    def hips_loss(params):
        preds = hips_predict(params["W"], params["b"], INPUTS)
        return -anp.sum(anp.log(preds * TARGETS + (1 - preds) * (1 - TARGETS)))

    def our_loss(params):
        return loss(params["W"], params["b"])

    params = {"W": W0, "b": B0}
    ours, theirs = ag.grad(our_loss)(params), autograd.grad(hips_loss)(params)
    np.testing.assert_allclose(ours["W"], theirs["W"], rtol=1e-13)
    assert ours["b"] == pytest.approx(float(theirs["b"]), rel=1e-13)
    hips_hvp = autograd.grad(lambda x: anp.sum(autograd.grad(
        lambda x: anp.sum(anp.tanh(x) ** 2))(x) * V))(X)
    np.testing.assert_allclose(hvp_forward_over_reverse(tanh_squared, (X,), (V,)), hips_hvp,
                               rtol=1e-12)
    hips_hessian = autograd.hessian(lambda W: hips_loss({"W": W, "b": B0}))(W0)
    np.testing.assert_allclose(ag.hessian(loss)(W0, B0), hips_hessian, rtol=1e-12)
