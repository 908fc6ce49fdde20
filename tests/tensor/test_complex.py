"""Complex numbers never lose their imaginary part silently: wherever a complex value would
meet a gradient (an operand of a recorded op, a seed, a tangent, a cotangent, a hook's or a
custom op's gradient, requires_grad) a TypeError says to split real and imaginary parts.
Complex tensors that need no gradient keep working as NumPy arrays."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Function, Tensor, Value, no_grad

ADVICE = r"differentiates real numbers only.*Split the computation into real and imaginary parts"


@pytest.fixture(autouse=True)
def no_complex_warning():
    """Casting complex to float warns (ComplexWarning) just before dropping .imag: any such
    cast left in the library fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        yield


def leaf(shape=(2, 3)):
    return Tensor(np.arange(np.prod(shape), dtype=float).reshape(shape) / 5 + 0.5,
                  requires_grad=True)


Z = np.full((2, 3), 1.0 + 2.0j)

#: Every way a complex constant can meet a tensor that requires grad in a recorded op.
MIXED_OPS = {
    "add": lambda x: x + Z, "radd": lambda x: Z + x, "sub": lambda x: x - Z,
    "rsub": lambda x: 1j - x, "mul": lambda x: x * Tensor(Z), "rmul": lambda x: 1j * x,
    "div": lambda x: x / Z, "rdiv": lambda x: Z / x, "pow": lambda x: x ** (1 + 1j),
    "rpow": lambda x: (1 + 1j) ** x, "matmul": lambda x: x @ Z.T,
    "rmatmul": lambda x: Z.T @ x, "maximum": lambda x: ag.maximum(x, Tensor(Z)),
    "minimum": lambda x: x.minimum(Z), "where": lambda x: ag.where(np.ones((2, 3), bool), x, Z),
    "concatenate": lambda x: ag.concatenate([x, Tensor(Z)]),
    "stack": lambda x: ag.stack([Tensor(Z), x]),
    "ufunc": lambda x: np.multiply(Z, x),
    "linear": lambda x: ag.linear(x, Tensor(np.ones((4, 3)) * 1j)),
    "clip": lambda x: x.clip(Tensor(Z)),
}


@pytest.mark.parametrize("name", sorted(MIXED_OPS))
def test_a_complex_operand_of_a_recorded_op_is_refused(name):
    x = leaf()
    with pytest.raises(TypeError, match=r"the result is complex .*an input requires grad.*"
                                        + ADVICE):
        MIXED_OPS[name](x)


@pytest.mark.parametrize("name", sorted(MIXED_OPS))
def test_the_same_ops_without_gradients_compute_in_complex(name):
    x = Tensor(np.arange(6, dtype=float).reshape(2, 3) / 5 + 0.5)  # no grad: nothing to lose
    if name in ("maximum", "minimum", "clip"):
        pytest.skip("NumPy orders complex numbers, PyTorch refuses: not a differentiable case")
    assert MIXED_OPS[name](x).dtype.kind == "c"
    with no_grad():
        assert MIXED_OPS[name](leaf()).dtype.kind == "c"


def test_the_refusal_names_the_op_and_the_dtypes():
    with pytest.raises(TypeError) as info:
        leaf() * Tensor(Z)
    assert str(info.value).startswith("mul: the result is complex (inputs of dtype float64, "
                                      "complex128)")


@pytest.mark.parametrize("seed", [
    np.full((2, 3), 1 + 1j), Tensor(np.full((2, 3), 1 + 1j)), np.full((2, 3), 1 + 0j),
    [[1j, 0, 0], [0, 0, 0]], np.full((2, 3), 1, dtype=np.complex64),
])
def test_a_complex_seed_for_backward_is_refused(seed):
    x = leaf()
    y = x * 2
    with pytest.raises(TypeError, match=r"backward: grad is complex.*" + ADVICE):
        y.backward(seed)
    assert x.grad is None


def test_a_complex_scalar_seed_is_refused():
    x = Tensor(1.5, requires_grad=True)
    with pytest.raises(TypeError, match=r"backward: grad is complex"):
        (x * x).backward(1j)
    with pytest.raises(TypeError, match=r"backward_steps: grad is complex"):
        list(ag.backward_steps(x * x, grad=np.array(1 + 1j)))


@pytest.mark.parametrize("tangent", [1j, np.full(3, 1j), np.ones(3, dtype=complex),
                                     Tensor(np.full(3, 2j))])
def test_a_complex_tangent_is_refused(tangent):
    primal = 1.0 if np.ndim(getattr(tangent, "data", tangent)) == 0 else np.ones(3)
    with pytest.raises(TypeError, match=r"jvp: tangent 0 is complex.*" + ADVICE):
        ag.jvp(lambda x: x * 2, (primal,), (tangent,))


def test_a_complex_cotangent_is_refused():
    _, vjp_fn = ag.vjp(lambda x: x * 2, np.ones(3))
    with pytest.raises(TypeError, match=r"vjp: the cotangent is complex.*" + ADVICE):
        vjp_fn(np.full(3, 1 + 1j))
    np.testing.assert_array_equal(vjp_fn(np.ones(3))[0], [2.0, 2.0, 2.0])


def test_a_function_that_goes_complex_inside_a_transform_is_refused():
    for transform in (ag.grad, ag.jacobian, ag.hessian, ag.value_and_grad):
        with pytest.raises(TypeError, match=ADVICE):
            transform(lambda x: (x * (1 + 1j)).sum())(np.ones(2))
    with pytest.raises(TypeError, match=r"derivatives need a real floating-point array"):
        ag.grad(lambda x: (x * x).sum())(np.ones(2, dtype=complex))


def test_a_hook_that_returns_a_complex_gradient_is_refused():
    x = leaf()
    y = x * 3
    y.register_hook(lambda g: g * (1 + 1j))
    with pytest.raises(TypeError, match=r"hook <lambda> returned a complex gradient.*" + ADVICE):
        y.sum().backward()
    assert x.grad is None


class ComplexGradient(Function):
    """A custom op whose vjp (wrongly) returns a complex gradient."""

    def forward(self, x):
        return 2 * x

    def vjp(self, grad_out):
        return grad_out * (2 + 1j)


class ComplexOutput(Function):
    def forward(self, x):
        return x * 1j

    def vjp(self, grad_out):
        return grad_out


def test_a_custom_op_with_a_complex_gradient_or_output_is_refused():
    x = leaf()
    with pytest.raises(TypeError, match=r"the gradient for node id \d+ is complex \(complex128\), "
                                        r"from a custom Function's vjp.*" + ADVICE):
        ComplexGradient.apply(x).sum().backward()
    x.label = "w"
    x.grad = np.zeros(x.shape)  # the second route: adding into an existing gradient
    with pytest.raises(TypeError, match=r"node 'w' is complex"):
        ComplexGradient.apply(x).sum().backward()
    with pytest.raises(TypeError, match=r"ComplexOutput: the result is complex"):
        ComplexOutput.apply(leaf())


@pytest.mark.parametrize("make", [
    lambda: Tensor(np.ones(2, complex), requires_grad=True),
    lambda: Tensor([1j, 2], requires_grad=True),
    lambda: Tensor(np.ones(2), dtype=complex, requires_grad=True),
])
def test_requires_grad_on_complex_data_is_refused(make):
    with pytest.raises(TypeError, match=r"requires_grad=True on complex data.*" + ADVICE):
        make()


def test_complex_data_assigned_to_a_parameter_is_refused():
    x = leaf()
    with pytest.raises(TypeError, match=r"Tensor.data: requires_grad=True on complex data"):
        x.data = np.ones((2, 3)) * 1j
    assert x.data.dtype == np.float64


def test_values_refuse_complex_numbers():
    with pytest.raises(TypeError, match="real number"):
        Value(1j)
    with pytest.raises(TypeError, match="real numbers"):
        Value(1.0) * 1j


def test_complex_tensors_without_gradients_still_work():
    z = Tensor(np.array([1 + 2j, 3 - 1j]))
    assert z.dtype == np.complex128
    np.testing.assert_allclose((z * 2).data, [2 + 4j, 6 - 2j])
    np.testing.assert_allclose(z.mean().data, 2 + 0.5j)  # not cast to a real number
    np.testing.assert_allclose(z.sum().data, 4 + 1j)
