"""PyTorch tutorial "PyTorch: Tensors and autograd" (pytorch/tutorials,
beginner_source/examples_autograd/polynomial_autograd.py): fit y = a + b x + c x^2 + d x^3 to
sin(x) on [-pi, pi] by gradient descent on the summed squared error, 2000 steps, with the
update written by hand inside `no_grad()` and the gradients reset to None after each step.

Both sides start from the same four numbers (the tutorial draws them with `torch.randn`) and run
in float64, so their printed losses can be compared to rounding error.
"""

from __future__ import annotations

import math

import numpy as np

#: Lines changed from the original, and why.
CHANGES = [
    ("import torch", "import numpy as np; from autograd_lite import Tensor, no_grad",
     "the imports"),
    ("dtype = torch.float; device = ...; torch.set_default_device(device)", "(removed)",
     "float64 by default and no devices: autograd_lite runs on NumPy on the CPU"),
    ("x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)",
     "x = Tensor(np.linspace(-math.pi, math.pi, 2000))", "NumPy makes the array"),
    ("y = torch.sin(x)", "y = np.sin(x)", "NumPy's ufuncs run on Tensors"),
    ("a = torch.randn((), dtype=dtype, requires_grad=True)",
     "a = Tensor(rng.standard_normal(), requires_grad=True)",
     "autograd_lite has no global random state; NumPy's generator draws (here both sides take "
     "the same numbers)"),
    ("with torch.no_grad():", "with no_grad():", "the name"),
]

STEPS = 2000


def initial(seed: int = 0) -> list[float]:
    return [float(v) for v in np.random.default_rng(seed).standard_normal(4)]


def original(init: list[float], steps: int = STEPS) -> tuple[list, list]:
    import torch
    dtype = torch.float64  # the tutorial's torch.float, in float64 to compare with the port
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, dtype=dtype, requires_grad=True) for v in init)
    printed = []
    learning_rate = 1e-6
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
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


def port(init: list[float], steps: int = STEPS) -> tuple[list, list]:
    from autograd_lite import Tensor, no_grad
    x = Tensor(np.linspace(-math.pi, math.pi, 2000))
    y = np.sin(x)
    a, b, c, d = (Tensor(v, requires_grad=True) for v in init)
    printed = []
    learning_rate = 1e-6
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
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
