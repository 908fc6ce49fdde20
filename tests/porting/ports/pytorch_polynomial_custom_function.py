"""PyTorch tutorial "PyTorch: Defining New autograd Functions" (pytorch/tutorials,
beginner_source/examples_autograd/polynomial_custom_function.py): fit y = a + b P3(c + d x) to
sin(x), where P3(x) = (5 x^3 - 3 x) / 2 is the Legendre polynomial of degree three, written as
a custom autograd Function with its derivative P3'(x) = 3 (5 x^2 - 1) / 2; 2000 steps of
gradient descent from a = 0, b = -1, c = 0, d = 0.3.

PyTorch's Function keeps values on a `ctx` with `save_for_backward` and names its rule
`backward(ctx, grad_output)`; here the op instance keeps them and the rule is
`vjp(self, grad_out)` (a class written the PyTorch way is refused with that translation).
"""

from __future__ import annotations

import math

import numpy as np

#: Lines changed from the original, and why.
CHANGES = [
    ("import torch", "import numpy as np; from autograd_lite import Function, Tensor, no_grad",
     "the imports"),
    ("class LegendrePolynomial3(torch.autograd.Function):",
     "class LegendrePolynomial3(Function):", "the base class"),
    ("@staticmethod / def forward(ctx, input): ctx.save_for_backward(input)",
     "def forward(self, input): self.input = input",
     "the op instance is the context: forward keeps what backward needs on self"),
    ("@staticmethod / def backward(ctx, grad_output): input, = ctx.saved_tensors",
     "def vjp(self, grad_output): input = self.input",
     "the rule is named vjp and reads what forward kept"),
    ("dtype = torch.float; device = torch.device('cpu')", "(removed)",
     "float64 by default, no devices"),
    ("x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)",
     "x = Tensor(np.linspace(-math.pi, math.pi, 2000))", "NumPy makes the array"),
    ("y = torch.sin(x)", "y = np.sin(x)", "NumPy's ufuncs run on Tensors"),
    ("a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)",
     "a = Tensor(0.0, requires_grad=True)", "the constructor"),
    ("with torch.no_grad():", "with no_grad():", "the name"),
]

STEPS = 2000


def original(steps: int = STEPS) -> tuple[list, list]:
    import torch

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    dtype = torch.float64  # the tutorial's torch.float, in float64 to compare with the port
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
    printed = []
    learning_rate = 5e-6
    for t in range(steps):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            printed.append((t, loss.item()))
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return printed, [a.item(), b.item(), c.item(), d.item()]


def port(steps: int = STEPS) -> tuple[list, list]:
    from autograd_lite import Function, Tensor, no_grad

    class LegendrePolynomial3(Function):
        def forward(self, input):
            self.input = input
            return 0.5 * (5 * input ** 3 - 3 * input)

        def vjp(self, grad_output):
            input = self.input
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    x = Tensor(np.linspace(-math.pi, math.pi, 2000))
    y = np.sin(x)
    a = Tensor(0.0, requires_grad=True)
    b = Tensor(-1.0, requires_grad=True)
    c = Tensor(0.0, requires_grad=True)
    d = Tensor(0.3, requires_grad=True)
    printed = []
    learning_rate = 5e-6
    for t in range(steps):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            printed.append((t, loss.item()))
        loss.backward()
        with no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return printed, [a.item(), b.item(), c.item(), d.item()]
