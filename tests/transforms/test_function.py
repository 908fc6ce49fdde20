"""autograd_lite.Function: user-defined ops on Tensors and Values, recorded, drawn, stepped,
freed and differentiated (twice, and in forward mode) like the built-in ops."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import CUSTOM_OPS, SCALAR_OPS, TENSOR_OPS, Function, Tensor, Value


class Cube(Function):
    """out = x ** 3.   grad_x = grad_out * 3 x ** 2 (written with operators, so it can be
    differentiated again)."""

    rule = "d x^3 = 3 x^2 dx"

    def forward(self, x):
        self.x = x
        return x ** 3

    def vjp(self, grad_out):
        return grad_out * 3 * self.x ** 2


class ScaledAdd(Function):
    """out = x + alpha * y (broadcasting).   grad_x = grad_out, grad_y = alpha * grad_out."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def forward(self, x, y):
        return x + self.alpha * y

    def vjp(self, grad_out):
        # Gradients in the broadcast shape: the engine sums them back, as for built-in ops.
        return grad_out, self.alpha * grad_out

    def jvp(self, tangent_x, tangent_y):
        if tangent_x is None:
            return self.alpha * tangent_y
        return tangent_x if tangent_y is None else tangent_x + self.alpha * tangent_y


def test_tensor_forward_backward_and_name():
    x = Tensor([1.0, -2.0], requires_grad=True)
    y = Cube.apply(x)
    assert isinstance(y, Tensor) and y.op == "Cube" and y.parents == (x,)
    np.testing.assert_allclose(y.data, [1.0, -8.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 12.0])


def test_value_forward_backward():
    a = Value(2.0, label="a")
    out = Cube.apply(a) * 2
    assert isinstance(out, Value) and out.parents[0].op == "Cube"
    out.backward()
    assert a.grad == 24.0
    out.backward()  # Value graphs keep their saved floats, as the built-in Value ops do
    assert a.grad == 48.0


def test_registered_apart_from_the_builtin_ops():
    assert CUSTOM_OPS[f"{__name__}.Cube"] is Cube
    assert "Cube" not in TENSOR_OPS and "Cube" not in SCALAR_OPS
    assert TENSOR_OPS["add"].__module__ == "autograd_lite.ops.arithmetic"

    class Add(Function):  # a user's class named like a built-in op replaces nothing
        def forward(self, x, y):
            return x + y

        def vjp(self, grad_out):
            return grad_out, grad_out

    assert TENSOR_OPS["add"].__module__ == "autograd_lite.ops.arithmetic"
    assert Add.name == "Add"


def test_explicit_name():
    class Swish(Function):
        name = "swish"

        def forward(self, x):
            self.x = x
            return x / (1 + np.exp(-x))

        def vjp(self, grad_out):
            s = 1 / (1 + np.exp(-self.x))
            return grad_out * (s + self.x * s * (1 - s))

    y = Swish.apply(Tensor([0.5], requires_grad=True))
    assert y.op == "swish"
    assert ag.gradcheck(Swish.apply, np.array([0.5, -1.0]))


def test_broadcasting_constants_and_parameters():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    y = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ScaledAdd.apply(x, y, alpha=0.5)
    out.sum().backward()
    np.testing.assert_allclose(y.grad, [1.0, 1.0, 1.0])
    np.testing.assert_allclose(x.grad, np.ones((2, 3)))
    z = ScaledAdd.apply(x, np.array([1.0, 2.0, 3.0]), alpha=2.0)  # an array is a constant
    np.testing.assert_allclose(z.data[0], [3.0, 5.0, 7.0])
    assert z.parents[1].requires_grad is False


def test_gradcheck_and_transforms():
    x, y = np.array([[0.2, 0.4, 0.6]]), np.array([1.0, -1.0, 2.0])
    assert ag.gradcheck(lambda x, y: ScaledAdd.apply(x, y, alpha=3.0), x, y)
    assert ag.gradcheck(Cube.apply, np.array([0.5, -1.5]))
    assert ag.grad(lambda v: Cube.apply(v))(2.0) == 12.0
    np.testing.assert_allclose(ag.jacobian(Cube.apply, mode="fwd")(np.array([1.0, 2.0])),
                               np.diag([3.0, 12.0]))


def test_second_derivatives_through_a_custom_op():
    h = ag.hessian(lambda x: Cube.apply(x).sum())(np.array([1.0, 2.0]))
    np.testing.assert_allclose(h, np.diag([6.0, 12.0]))
    x = Tensor([2.0], requires_grad=True)
    Cube.apply(x).sum().backward(create_graph=True)
    (g,) = [x.grad]
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad, [12.0])


def test_jvp_without_a_rule_uses_the_vjp():
    x, v = np.array([0.5, 2.0]), np.array([1.0, -1.0])
    _, tangent = ag.jvp(Cube.apply, (x,), (v,))
    np.testing.assert_allclose(tangent, 3 * x ** 2 * v)
    _, tangent = ag.jvp(lambda a, b: ScaledAdd.apply(a, b, alpha=2.0), (x, x), (v, v))
    np.testing.assert_allclose(tangent, 3 * v)


def test_drawn_and_stepped_like_builtin_ops():
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    loss = Cube.apply(x).sum()
    assert "Cube" in ag.draw_graph(loss).source
    steps = list(ag.backward_steps(loss))
    assert [step.op for step in steps] == ["sum", "Cube"]
    np.testing.assert_allclose(steps[1].local_jacobian(0), np.diag([3.0, 12.0]))
    np.testing.assert_allclose(x.grad, [3.0, 12.0])


def test_saved_arrays_are_freed_after_backward():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    assert y._op.saved == ("x",)
    y.sum().backward()
    assert y._op.x is None
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.sum().backward()


def test_in_place_change_of_a_saved_input_is_caught():
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    y = Cube.apply(x).sum()
    x.data[0] = 5.0
    with pytest.raises(RuntimeError, match="'x'.*Cube"):
        y.backward()


def test_no_reference_cycle():
    x = Tensor([1.0], requires_grad=True)
    y = Cube.apply(x)
    ref = weakref.ref(y._op)
    gc.disable()
    try:
        del y
        assert ref() is None
    finally:
        gc.enable()


def test_errors():
    class TwoOutputs(Function):
        def forward(self, x):
            return x, x

        def vjp(self, grad_out):
            return grad_out

    with pytest.raises(TypeError, match="one output"):
        TwoOutputs.apply(Tensor([1.0], requires_grad=True))
    with pytest.raises(TypeError, match="cannot mix"):
        ScaledAdd.apply(Value(1.0), Tensor([1.0]))

    class NoRule(Function):
        def forward(self, x):
            return x

    y = NoRule.apply(Tensor([1.0], requires_grad=True))
    with pytest.raises(NotImplementedError, match="NoRule must define vjp"):
        y.sum().backward()

    class WrongCount(Function):
        def forward(self, x, y):
            return x * y

        def vjp(self, grad_out):
            return grad_out

    with pytest.raises(RuntimeError, match="WrongCount.vjp returned 1 gradient"):
        WrongCount.apply(Tensor([1.0], requires_grad=True), Tensor([2.0])).sum().backward()

    class WrongShape(Function):
        def forward(self, x):
            return x.sum()

        def vjp(self, grad_out):
            return np.ones(5)

    with pytest.raises(ValueError, match="WrongShape"):
        WrongShape.apply(Tensor([1.0, 2.0], requires_grad=True)).backward()


# ----- higher derivatives through values kept on self ------------------------------------------
class SinKeepingCos(Function):
    """sin x, keeping cos x from forward: right for backward, not differentiable again."""

    def forward(self, x):
        self.cos_x = np.cos(x)
        return np.sin(x)

    def vjp(self, grad_out):
        return grad_out * self.cos_x


class SinKeepingInput(Function):
    """sin x, keeping x and computing cos x in vjp (np.cos works on arrays and Tensors)."""

    def forward(self, x):
        self.x = x
        return np.sin(x)

    def vjp(self, grad_out):
        return grad_out * np.cos(self.x)


def test_first_derivatives_use_kept_values_as_they_are():
    x = np.array([0.7, -0.2])
    np.testing.assert_allclose(ag.grad(lambda x: SinKeepingCos.apply(x).sum())(x), np.cos(x))
    assert SinKeepingCos.apply(Tensor(x, requires_grad=True))._op.derived == ("cos_x",)


@pytest.mark.parametrize("route", ["hessian", "grad of grad", "create_graph", "jvp of grad",
                                   "nested closure"])
def test_higher_derivative_through_a_derived_value_is_refused(route):
    f = SinKeepingCos.apply
    x = np.array([0.7])
    with pytest.raises(RuntimeError, match=r"SinKeepingCos: .*self\.cos_x.*neither an input of "
                                           r"the op nor its output.*compute cos_x inside vjp"):
        if route == "hessian":
            ag.hessian(lambda x: f(x).sum())(x)
        elif route == "grad of grad":
            ag.grad(ag.grad(lambda x: f(x).sum()))(0.7)
        elif route == "create_graph":
            t = Tensor(x, requires_grad=True)
            f(t).sum().backward(create_graph=True)
        elif route == "jvp of grad":
            ag.jvp(ag.grad(lambda x: f(x).sum()), (x,), (np.ones(1),))
        else:
            ag.grad(lambda w: ag.grad(lambda y: f(w * y).sum())(x))(x)


def test_keeping_the_input_gives_the_right_second_derivative():
    x = np.array([0.7])
    np.testing.assert_allclose(ag.hessian(lambda x: SinKeepingInput.apply(x).sum())(x),
                               [[-np.sin(0.7)]], rtol=1e-14)  # -0.644, not 0
    assert ag.grad(ag.grad(SinKeepingInput.apply))(0.7) == pytest.approx(-np.sin(0.7))


def test_constants_masks_and_the_output_may_be_kept():
    class Scaled(Function):
        """out = relu(x) * scale: scale set in __init__ (a constant), the mask an int array,
        the output kept under its own name."""

        def __init__(self, scale: float = 2.0) -> None:
            self.scale = np.array(scale)

        def forward(self, x):
            self.mask = (x > 0).astype(np.int8)
            self.out = np.maximum(x, 0) * self.scale
            self.x = x
            return self.out

        def vjp(self, grad_out):
            return grad_out * self.mask * self.scale * (1 + 0 * self.x)

    x = np.array([0.5, -1.0, 2.0])
    assert Scaled.apply(Tensor(x, requires_grad=True), scale=3.0)._op.derived == ()
    np.testing.assert_array_equal(ag.hessian(lambda x: Scaled.apply(x, scale=3.0).sum())(x),
                                  np.zeros((3, 3)))


def test_value_function_reports_derived_floats_too():
    import math

    class ValueSin(Function):
        def forward(self, x):
            self.cos_x = math.cos(x)
            return math.sin(x)

        def vjp(self, grad_out):
            return grad_out * self.cos_x

    out = ValueSin.apply(Value(0.3))
    assert out._op.derived == ("cos_x",)
    out.backward()  # first derivatives are fine


# ----- reference cycles under create_graph ---------------------------------------------------
def collected_without_gc(build):
    """Run `build` with the cycle collector off; True when everything it returned weak
    references to is gone once it returns (freed by reference counting alone)."""
    gc.collect()
    gc.disable()
    try:
        refs = build()
        return all(ref() is None for ref in refs)
    finally:
        gc.enable()


def test_create_graph_cycle_is_only_the_leaf_and_its_grad():
    """x.grad after backward(create_graph=True) is a graph that depends on x (it must, to be
    differentiated again), and x holds it: that one cycle cannot be avoided, as in PyTorch.
    Taking the gradient and resetting x.grad breaks it; nothing else is a cycle."""

    def reset_grad():
        x = Tensor(np.array([0.5, 1.0]), requires_grad=True)
        y = (x.sin() * x.tanh().sigmoid() / (x + 2) ** 2).logsumexp()
        y.backward(create_graph=True)
        g = x.grad
        x.grad = None
        g.sum().backward()  # the second derivative, then everything is dropped
        return [weakref.ref(x), weakref.ref(y), weakref.ref(g), weakref.ref(g.parents[0])]

    def keep_grad():
        x = Tensor(np.array([0.5, 1.0]), requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        return [weakref.ref(x)]

    assert collected_without_gc(reset_grad)
    assert not collected_without_gc(keep_grad)  # the documented cycle, for the collector
    gc.collect()


def test_transforms_leave_no_cycle():
    def build():
        kept = []

        def f(x):
            kept.append(weakref.ref(x))
            y = Cube.apply(x).sum() + (x.exp() * x).sum()
            kept.append(weakref.ref(y))
            return y

        h = ag.hessian(f)(np.array([0.3, -0.2]))
        g = ag.grad(ag.grad(lambda x: (x.sin() * x).sum()))(0.4)
        assert h.shape == (2, 2) and isinstance(g, float)
        return kept

    assert collected_without_gc(build)
