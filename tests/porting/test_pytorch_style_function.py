"""A custom Function written as PyTorch's `torch.autograd.Function` is refused at its class
statement with the same operation written here; the rewritten one gives PyTorch's numbers.

PyTorch's style (a `@staticmethod forward(ctx, ...)`, `ctx.save_for_backward`,
`backward(ctx, grad_output)`) would otherwise fail only when called, with Python's generic
"missing 1 required positional argument". Supporting a `ctx` halfway would hide saved values
from `create_graph` (wrong second derivatives, no error), so the class is refused instead.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import CUSTOM_OPS, Function, Tensor, hessian

HOW = r"Here a Function is an ordinary class.*def forward\(self, x\).*def vjp\(self, grad_out\)"


def test_the_tutorials_legendre_function_is_refused_with_the_translation():
    # PyTorch tutorial "Defining New autograd Functions"
    # (beginner_source/examples_autograd/polynomial_custom_function.py), its class as written.
    with pytest.raises(TypeError, match=r"(?s)LegendrePolynomial3 is written like PyTorch's "
                                        r"torch\.autograd\.Function.*" + HOW +
                                        r".*call LegendrePolynomial3\.apply\(x\)") as error:
        class LegendrePolynomial3(Function):
            @staticmethod
            def forward(ctx, input):
                ctx.save_for_backward(input)
                return 0.5 * (5 * input ** 3 - 3 * input)

            @staticmethod
            def backward(ctx, grad_output):
                input, = ctx.saved_tensors
                return grad_output * 1.5 * (5 * input ** 2 - 1)
    assert "ctx.save_for_backward(x)" in str(error.value)
    refused = (f"{__name__}.test_the_tutorials_legendre_function_is_refused_with_the_translation"
               ".<locals>.LegendrePolynomial3")
    assert refused not in CUSTOM_OPS


@pytest.mark.parametrize("style", ["static forward", "class forward", "backward method",
                                   "setup_context"])
def test_every_part_of_pytorchs_style_is_recognised(style):
    body = {
        "static forward": {"forward": staticmethod(lambda ctx, x: x)},
        "class forward": {"forward": classmethod(lambda cls, ctx, x: x)},
        "backward method": {"forward": lambda self, x: x, "backward": lambda self, g: g},
        "setup_context": {"forward": lambda x: x, "setup_context": staticmethod(lambda *a: None),
                          "vjp": lambda self, g: g},
    }[style]
    with pytest.raises(TypeError, match="(?s)" + HOW):
        type("Op", (Function,), body)


def test_a_helper_named_backward_beside_vjp_is_allowed():
    class Double(Function):
        def forward(self, x):
            return 2 * x

        def vjp(self, grad_out):
            return self.backward(grad_out)

        def backward(self, grad_out):  # the user's own helper, vjp is defined
            return 2 * grad_out

    x = Tensor(np.ones(3), requires_grad=True)
    Double.apply(x).sum().backward()
    assert np.array_equal(x.grad, [2.0, 2.0, 2.0])


class LegendrePolynomial3(Function):
    """P3(x) = (5 x^3 - 3 x) / 2, the tutorial's op written as the error message says."""

    def forward(self, x):
        self.x = x                      # was ctx.save_for_backward(input)
        return 0.5 * (5 * x ** 3 - 3 * x)

    def vjp(self, grad_out):
        x = self.x                      # was input, = ctx.saved_tensors
        return grad_out * 1.5 * (5 * x ** 2 - 1)


def test_the_rewritten_function_matches_pytorchs_values_gradients_and_hessian():
    torch = pytest.importorskip("torch")

    class TorchLegendre(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)

    data = np.linspace(-1.5, 1.5, 7)
    ours = Tensor(data, requires_grad=True)
    out = LegendrePolynomial3.apply(ours)
    theirs = torch.tensor(data, requires_grad=True)
    torch_out = TorchLegendre.apply(theirs)
    np.testing.assert_allclose(out.data, torch_out.detach().numpy(), rtol=1e-15)
    out.sum().backward()
    torch_out.sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-15)
    # Second derivatives through the op: 15 x on the diagonal (its vjp uses operators only).
    h = hessian(lambda x: LegendrePolynomial3.apply(x).sum())(data)
    np.testing.assert_allclose(h, np.diag(15 * data), rtol=1e-12, atol=1e-12)
