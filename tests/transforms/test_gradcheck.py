"""numerical_grad and gradcheck: every registered op passes, wrong derivatives are caught with
a message naming the argument and the index."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import TENSOR_OPS

from ..ops.cases import CASES


def builtin_tensor_ops():
    return sorted(name for name, cls in TENSOR_OPS.items()
                  if cls.__module__.startswith("autograd_lite.ops"))


@pytest.mark.parametrize("op", builtin_tensor_ops())
def test_gradcheck_passes_on_every_registered_op(op):
    cases = [case for case in CASES if case.op == op]
    assert cases, f"op {op!r} has no sample case in tests/ops/cases.py"
    for case in cases:
        arrays = case.sample(np.random.default_rng(0))
        assert ag.gradcheck(case.fn, *arrays, atol=1e-7, rtol=1e-6) is True, case.id


class WrongMul(ag.Function):
    """x * y with the gradient for y deliberately wrong (it sends y instead of x)."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def vjp(self, grad_out):
        return grad_out * self.y, grad_out * self.y

    def jvp(self, tangent_x, tangent_y):
        return (0 if tangent_x is None else tangent_x * self.y) + (
            0 if tangent_y is None else self.x * tangent_y)


def wrong_product(a, weights):
    return WrongMul.apply(a, weights)


def test_catches_a_wrong_custom_function_naming_argument_and_index():
    a = np.array([1.0, 2.0, 3.0])
    w = np.array([1.0, 5.0, 3.0])  # y == x at indices 0 and 2, so only index 1 is wrong
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(wrong_product, a, w)
    error = info.value
    message = str(error)
    assert "argument 1 ('weights'" in message
    assert "index (1,)" in message and "output element (1,)" in message
    assert "analytic (reverse mode): 5.0" in message
    assert "numeric" in message and "2.0" in message and "atol" in message
    assert (error.argnum, error.argname, error.index, error.output_index) == (1, "weights",
                                                                               (1,), (1,))
    assert error.analytic == 5.0 and error.numeric == pytest.approx(2.0)
    assert error.mode == "reverse" and error.mismatches == 1


def test_catches_a_wrong_forward_mode_rule():
    class WrongTangent(ag.Function):
        def forward(self, x):
            self.x = x
            return x ** 2

        def vjp(self, grad_out):
            return grad_out * 2 * self.x

        def jvp(self, tangent_x):
            return tangent_x * self.x  # missing the factor 2

    x = np.array([0.5, 1.5])
    with pytest.raises(ag.GradcheckError, match="forward mode"):
        ag.gradcheck(WrongTangent.apply, x)
    assert ag.gradcheck(WrongTangent.apply, x, check_forward=False)


def test_scalar_output_message_has_no_output_index():
    def f(x):
        return (WrongMul.apply(x, x * 2)).sum()

    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(f, np.array([1.0, -2.0]))
    assert "output element" not in str(info.value) and info.value.output_index == ()


def test_argnums_restricts_the_check():
    a, w = np.array([1.0, 2.0]), np.array([2.0, 5.0])
    assert ag.gradcheck(wrong_product, a, w, argnums=0)
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(wrong_product, a, w, argnums=1)


def test_runs_in_float64_for_float32_arguments():
    x = np.array([0.3, -0.7], dtype=np.float32)
    assert ag.gradcheck(lambda x: (x.exp() * x).sum(), x, atol=1e-9, rtol=1e-7)


class SlightlyOff(ag.Function):
    """2 x, with a derivative 1e-4 too large."""

    def forward(self, x):
        return x * 2

    def vjp(self, grad_out):
        return grad_out * 2.0001


def test_tolerances_are_used():
    x = np.array([1.0, 3.0])
    assert ag.gradcheck(SlightlyOff.apply, x, atol=1e-3)
    assert ag.gradcheck(SlightlyOff.apply, x, atol=0.0, rtol=1e-4)
    with pytest.raises(ag.GradcheckError, match=r"atol \+ rtol \* \|numeric\| = 1e-08"):
        ag.gradcheck(SlightlyOff.apply, x, atol=1e-8, rtol=1e-8)


def test_integer_argument_is_refused():
    with pytest.raises(TypeError, match="integer"):
        ag.gradcheck(lambda x: x, np.array([1, 2]))


# ----- numerical_grad ----------------------------------------------------------------------
def test_numerical_grad_float_and_arrays():
    g = ag.numerical_grad(lambda x: x ** 3, 2.0)
    assert type(g) is float and g == pytest.approx(12.0, abs=1e-6)
    gx, gy = ag.numerical_grad(lambda x, y: (x * y).sum(), np.array([1.0, 2.0]),
                               np.array([3.0, 4.0]))
    np.testing.assert_allclose(gx, [3.0, 4.0], atol=1e-8)
    np.testing.assert_allclose(gy, [1.0, 2.0], atol=1e-8)
    assert gx.shape == (2,)


def test_numerical_grad_eps_and_plain_results():
    coarse = ag.numerical_grad(lambda x: x.exp(), 1.0, eps=1e-2)
    assert coarse != pytest.approx(np.e, abs=1e-6)
    assert coarse == pytest.approx(np.e, rel=1e-4)
    assert ag.numerical_grad(lambda x: float(x.data) ** 2, 3.0) == pytest.approx(6.0)


def test_numerical_grad_needs_a_scalar():
    with pytest.raises(ValueError, match="single number"):
        ag.numerical_grad(lambda x: x * 2, np.ones(2))
