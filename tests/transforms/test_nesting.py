"""Transforms nested in transforms: a variable of an outer transform that an inner function
uses (through a closure, an argument that is not differentiated, or a differentiated one) is
differentiated through, two and three deep, for every transform. Hand-derived answers, HIPS
autograd (computed here, where it is installed) and PyTorch's torch.func (float64)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor
from autograd_lite.tracing import STACK


# ----- the examples of the contract ----------------------------------------------------------
def test_closure_over_the_outer_variable():
    # d/dx [x * d/dy (x y)] = d/dx x^2 = 2x; treating x as a constant inside gives 1.0.
    assert ag.grad(lambda x: x * ag.grad(lambda y: x * y)(2.0))(1.0) == 2.0
    assert ag.grad(lambda x: x * ag.grad(lambda y: x * y)(2.0))(3.0) == 6.0


def test_mixed_partial_derivatives():
    def f(x, y):
        return x ** 2 * ag.sin(y)  # y may be a plain float (not differentiated)

    # d/dy d/dx = 2x cos y, in either order
    x, y = 1.5, 0.3
    assert ag.grad(ag.grad(f, 0), 1)(x, y) == pytest.approx(2 * x * np.cos(y), rel=1e-14)
    assert ag.grad(ag.grad(f, 1), 0)(x, y) == pytest.approx(2 * x * np.cos(y), rel=1e-14)
    # d^2/dx^2 = 2 sin y, d^2/dy^2 = -x^2 sin y
    assert ag.grad(ag.grad(f, 0), 0)(x, y) == pytest.approx(2 * np.sin(y), rel=1e-14)
    assert ag.grad(ag.grad(f, 1), 1)(x, y) == pytest.approx(-x * x * np.sin(y), rel=1e-14)


def test_mixed_partials_of_arrays_are_the_hessian_block():
    def f(x, y):
        return (x.sin() * y * y).sum() + (x @ y) ** 2

    x, y = np.array([0.3, -0.4, 1.1]), np.array([0.7, 0.2, -0.5])
    (_, hxy), _ = ag.hessian(f, argnums=(0, 1))(x, y)
    # jacobian over y of the gradient over x: rows are d/dx_i, columns y_j
    np.testing.assert_allclose(ag.jacobian(ag.grad(f, 0), argnums=1)(x, y), hxy, rtol=1e-13)
    # the same by closures: row i of d/dy (df/dx_i) with x fixed from outside
    for i in range(3):
        row = ag.grad(lambda y, i=i: ag.grad(f, 0)(x, y)[i])(y)
        np.testing.assert_allclose(row, hxy[i], rtol=1e-13, atol=1e-15)


def test_three_deep_closures():
    # d/dx d/dy d/dz (x y z^2) at z=1, y=2 = d/dx d/dy (2 x y z)|z=1 = d/dx 2x = 2
    def inner(x):
        return ag.grad(lambda y: ag.grad(lambda z: x * y * z * z)(1.0))(2.0)

    assert ag.grad(inner)(3.0) == 2.0
    # and the values of the two inner levels, as Tensors on the outer graph
    assert ag.grad(lambda x: inner(x) * x)(3.0) == pytest.approx(4 * 3.0)
    assert ag.grad(ag.grad(ag.grad(lambda x: x ** 4)))(1.5) == pytest.approx(36.0)


def test_three_deep_each_level_closing_over_all_outer_ones():
    # g(a) = d/db [ d/dc (a^2 b^3 c^4) at c=1 ] at b=2 = d/db [4 a^2 b^3] = 12 a^2 b^2 = 48 a^2
    def g(a):
        return ag.grad(lambda b: ag.grad(lambda c: a ** 2 * b ** 3 * c ** 4)(1.0) * a)(2.0)

    # g = 48 a^3 at b = 2 (the extra factor a), so g' = 144 a^2
    assert ag.grad(g)(0.5) == pytest.approx(144 * 0.25, rel=1e-14)


def test_non_differentiated_argument_that_is_an_outer_variable():
    def inner(x, y):
        return x * x * y

    # d/dy [ d/dx (x^2 y) at x=3 ] = d/dy 6y = 6
    assert ag.grad(lambda y: ag.grad(inner, 0)(3.0, y))(2.0) == 6.0
    # inside a pytree that is passed through untouched
    assert ag.grad(lambda y: ag.grad(lambda x, d: x * d["y"], 0)(3.0, {"y": y * y}))(2.0) == 4.0


def test_outer_variable_given_as_the_differentiated_argument():
    # d/dx [ d/dy (x y) at y=x ] = d/dx x = 1: the inner y is a fresh node, not x itself
    assert ag.grad(lambda x: ag.grad(lambda y: x * y)(x))(3.0) == 1.0
    # d/dx [ d/dy (y^3) at y = x^2 ] = d/dx 3x^4 = 12 x^3
    assert ag.grad(lambda x: ag.grad(lambda y: y ** 3)(x * x))(2.0) == pytest.approx(96.0)


def test_newton_steps_inside_grad():
    """sqrt(a) by Newton's method on x^2 - a, whose derivative comes from an inner grad that
    closes over a; d sqrt(a) / da = 1 / (2 sqrt(a)) once the iteration has converged."""

    def newton_sqrt(a):
        x = 1.0
        for _ in range(8):
            def residual(x):
                return x * x - a

            x = x - residual(x) / ag.grad(residual)(x)
        return x

    assert ag.grad(newton_sqrt)(2.0) == pytest.approx(0.5 / np.sqrt(2.0), rel=1e-12)
    assert ag.grad(ag.grad(newton_sqrt))(2.0) == pytest.approx(-0.25 * 2.0 ** -1.5, rel=1e-9)


def test_hessian_vector_product_by_closure():
    """hvp(x, v) = d/dx <grad f(x), v>: v is a constant, x is differentiated twice."""

    def f(x):
        return (x.sin() * x).sum() + (x ** 3).sum()

    x, v = np.array([0.2, -0.6, 1.3]), np.array([1.0, 0.5, -2.0])
    hvp = ag.grad(lambda x: (ag.grad(f)(x) * v).sum())(x)
    diag = 2 * np.cos(x) - x * np.sin(x) + 6 * x
    np.testing.assert_allclose(hvp, diag * v, rtol=1e-13)


# ----- every transform, nested ----------------------------------------------------------------
X0 = np.array([0.3, -0.7])
Y0 = np.array([1.0, 2.0])


def test_jacobian_inside_grad():
    # sum_ij d sin(x_i y_i)/dy_j = sum_i x_i cos(x_i y_i); d/dx_k = cos(x_k y_k) - x_k y_k sin
    g = ag.grad(lambda x: ag.jacobian(lambda y: (x * y).sin())(Y0).sum())(X0)
    z = X0 * Y0
    np.testing.assert_allclose(g, np.cos(z) - z * np.sin(z), rtol=1e-14)
    for mode in ("rev", "fwd"):
        gm = ag.grad(lambda x, mode=mode: ag.jacobian(lambda y: (x * y).sin(), mode=mode)(Y0)
                     .sum())(X0)
        np.testing.assert_allclose(gm, g, rtol=1e-14)


def test_hessian_inside_grad():
    # hessian over y of sum(x y^3) = diag(6 x y); its sum is 6 x . y; d/dx = 6 y
    for mode in ("fwd", "rev"):
        g = ag.grad(lambda x, mode=mode: ag.hessian(lambda y: (x * y ** 3).sum(), mode=mode)(Y0)
                    .sum())(X0)
        np.testing.assert_allclose(g, 6 * Y0, rtol=1e-14)


def test_vjp_inside_grad():
    u = np.array([1.0, -1.0])

    def f(x):
        out, vjp_fn = ag.vjp(lambda y: (x * y).exp(), Y0)
        (u_j,) = vjp_fn(u)  # u_i x_i exp(x_i y_i)
        return u_j.sum() + out.sum()

    z = X0 * Y0
    expected = u * (np.exp(z) + z * np.exp(z)) + Y0 * np.exp(z)
    np.testing.assert_allclose(ag.grad(f)(X0), expected, rtol=1e-14)


def test_jvp_inside_grad():
    v = np.array([0.5, 1.0])

    def f(x):
        out, tangent = ag.jvp(lambda y: (x * y).tanh(), (Y0,), (v,))
        return (tangent * out).sum()  # sum t (1 - t^2) x v with t = tanh(x y)

    z = X0 * Y0
    t = np.tanh(z)
    dt = (1 - t ** 2) * Y0
    expected = v * (t * (1 - t ** 2) + X0 * (dt * (1 - t ** 2) - 2 * t * t * dt))
    np.testing.assert_allclose(ag.grad(f)(X0), expected, rtol=1e-13)


def test_value_and_grad_inside_grad():
    def f(x):
        value, g = ag.value_and_grad(lambda y: (x * y * y).sum())(Y0)
        return value + g.sum()  # x . y^2 + 2 x . y

    np.testing.assert_allclose(ag.grad(f)(X0), Y0 ** 2 + 2 * Y0, rtol=1e-14)


def test_elementwise_grad_inside_grad():
    # elementwise_grad over y of x y^2 is 2 x y; its sum's gradient over x is 2 y
    g = ag.grad(lambda x: ag.elementwise_grad(lambda y: x * y * y)(Y0).sum())(X0)
    np.testing.assert_allclose(g, 2 * Y0)


def test_jvp_and_vjp_of_grad_with_a_closure():
    w = 1.7

    def f(x):
        return ag.grad(lambda y: (w * x * y.sin()).sum())(Y0).sum()  # sum w x cos(y)

    np.testing.assert_allclose(ag.jvp(f, (X0,), (np.ones(2),))[1], (w * np.cos(Y0)).sum())
    out, vjp_fn = ag.vjp(f, X0)
    np.testing.assert_allclose(vjp_fn(2.0)[0], 2 * w * np.cos(Y0))


# ----- what comes back, and what is left alone ------------------------------------------------
def test_results_are_plain_unless_an_outer_variable_is_involved():
    seen = {}

    def outer(x):
        seen["closure"] = ag.grad(lambda y: x * y)(2.0)
        seen["independent"] = ag.grad(lambda y: y * y)(2.0)
        seen["argument"] = ag.grad(lambda y: y * y)(x)
        return x * seen["closure"]

    ag.grad(outer)(1.0)
    assert isinstance(seen["closure"], Tensor) and seen["closure"].requires_grad
    assert type(seen["independent"]) is float and seen["independent"] == 4.0
    assert isinstance(seen["argument"], Tensor)
    assert not STACK.frames  # every frame was closed


def test_inner_result_independent_of_the_outer_variable_is_a_constant():
    # the inner derivative of a linear function is a constant: the outer derivative is 0
    assert ag.grad(ag.grad(lambda x: 3 * x))(1.0) == 0.0
    assert ag.grad(lambda x: ag.grad(lambda y: y * y)(3.0))(1.0) == 0.0
    np.testing.assert_array_equal(ag.hessian(lambda x: (x * 2.0).sum())(np.ones(2)),
                                  np.zeros((2, 2)))


def test_a_requires_grad_tensor_as_argument_gives_tensors_on_its_graph():
    w = Tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad(lambda x: (x ** 3).sum())(w)  # 3 w^2, on w's graph
    assert isinstance(g, Tensor)
    g.sum().backward()
    np.testing.assert_allclose(w.grad, 6 * w.data)


def test_frames_belong_to_their_thread():
    """A transform running in another thread is never taken for an enclosing one."""
    inside, done = threading.Event(), threading.Event()
    other = {}

    def worker():
        inside.wait(5)
        other["frames"] = len(STACK.frames)
        other["value"] = ag.grad(lambda y: y * y)(3.0)
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()

    def f(x):
        inside.set()
        done.wait(5)
        return x * x

    assert ag.grad(f)(2.0) == 4.0
    thread.join(5)
    assert other == {"frames": 0, "value": 6.0}


# ----- against HIPS autograd and PyTorch --------------------------------------------------------
def hips():
    anp = pytest.importorskip("autograd.numpy")
    import autograd

    return anp, autograd


def test_nested_closures_match_hips_autograd():
    anp, hips_ag = hips()
    hgrad = hips_ag.grad
    cases = [
        (lambda x: x * ag.grad(lambda y: x * y)(2.0),
         lambda x: x * hgrad(lambda y: x * y)(2.0), 1.3),
        (lambda x: ag.grad(lambda y: (x * y).sin() * y)(0.4) * x.exp(),
         lambda x: hgrad(lambda y: anp.sin(x * y) * y)(0.4) * anp.exp(x), 0.9),
        (lambda x: ag.grad(lambda y: ag.grad(lambda z: (x * y * z).tanh())(0.5))(0.3),
         lambda x: hgrad(lambda y: hgrad(lambda z: anp.tanh(x * y * z))(0.5))(0.3), 1.1),
        (lambda x: ag.grad(lambda y: ag.grad(lambda z: z * y.exp() * x.sin())(x))(x * x),
         lambda x: hgrad(lambda y: hgrad(lambda z: z * anp.exp(y) * anp.sin(x))(x))(x * x),
         0.7),
    ]
    for ours, theirs, x in cases:
        assert ag.grad(ours)(x) == pytest.approx(hgrad(theirs)(x), rel=1e-13, abs=1e-14)
        assert ag.grad(ag.grad(ours))(x) == pytest.approx(hgrad(hgrad(theirs))(x), rel=1e-12,
                                                          abs=1e-13)


def test_nested_array_transforms_match_hips_autograd():
    anp, hips_ag = hips()
    x = np.array([0.3, -0.7, 1.2])
    y = np.array([1.0, 2.0, -0.5])

    def ours(x):
        jac = ag.jacobian(lambda y: (x * y).sin() * y.sum())(y)
        hess = ag.hessian(lambda y: (x * y ** 3).sum() + (y @ x) ** 2)(y)
        return (jac ** 2).sum() + (hess * x).sum()

    def theirs(x):
        jac = hips_ag.jacobian(lambda y: anp.sin(x * y) * anp.sum(y))(y)
        hess = hips_ag.hessian(lambda y: anp.sum(x * y ** 3) + anp.dot(y, x) ** 2)(y)
        return anp.sum(jac ** 2) + anp.sum(hess * x)

    np.testing.assert_allclose(ag.grad(ours)(x), hips_ag.grad(theirs)(x), rtol=1e-12)
    np.testing.assert_allclose(ag.hessian(ours)(x), hips_ag.hessian(theirs)(x), rtol=1e-10,
                               atol=1e-12)


def test_mixed_partials_match_torch_func():
    torch = pytest.importorskip("torch")
    x, y = np.array([0.3, -0.7, 1.2]), np.array([0.5, 0.1, -0.4])

    def ours(x, y):
        return ((x * y).sin() * x.exp()).sum() + (x @ y) ** 3

    def theirs(x, y):
        return ((x * y).sin() * x.exp()).sum() + (x @ y) ** 3

    tx, ty = torch.tensor(x), torch.tensor(y)
    expected = torch.func.jacrev(torch.func.grad(theirs, argnums=0), argnums=1)(tx, ty)
    np.testing.assert_allclose(ag.jacobian(ag.grad(ours, 0), argnums=1)(x, y), expected.numpy(),
                               rtol=1e-12, atol=1e-13)
    # row by row through a closure over y, differentiated as an outer variable
    for i in range(3):
        row = ag.grad(lambda yy, i=i: ag.grad(ours, 0)(x, yy)[i])(y)
        np.testing.assert_allclose(row, expected.numpy()[i], rtol=1e-12, atol=1e-13)
