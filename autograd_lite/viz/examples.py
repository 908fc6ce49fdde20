"""Small graphs to explore: what `autograd-lite explore` opens, and the docs' live examples.

Each function returns `(root, module)`: the root to pass to `explore`, and the module whose
parameters name the leaves (None when the leaves carry labels).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import MLP
from ..nn import functional as F
from ..random import manual_seed
from ..tensor import Tensor
from ..value import Value


def fan_out() -> tuple[Value, None]:
    """`tanh((a*b + a**2) * b)` on Values: `a` and `b` are each used twice, so each gets
    its gradient in two contributions that backward adds up."""
    a = Value(2.0, label="a")
    b = Value(-0.5, label="b")
    c = a * b
    c.label = "c"
    d = c + a ** 2
    d.label = "d"
    e = d * b
    e.label = "e"
    out = e.tanh()
    out.label = "out"
    return out, None


def small_mlp() -> tuple[Tensor, Any]:
    """The mean squared error of an MLP 2-3-1 (tanh) on four points: small enough that every
    local Jacobian is written out."""
    manual_seed(0)
    model = MLP(2, [3, 1], activation="tanh")
    x = Tensor(np.array([[0.5, -1.0], [2.0, 0.0], [-1.5, 1.0], [0.0, 0.3]]), label="x")
    target = Tensor(np.array([[1.0], [-1.0], [0.5], [0.0]]), label="target")
    loss = F.mse_loss(model(x), target)
    loss.label = "loss"
    return loss, model


def lesson_network() -> tuple[Tensor, None]:
    """The network of the backpropagation lesson: `a = W x + b`, `h = tanh(a)`,
    `z = u . h + c`, `y = sigmoid(z)`, `loss = (y - t)^2`, with the lesson's random numbers."""
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal(3), 1.0
    W0, b0, u0 = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal(4)
    W = Tensor(W0, requires_grad=True, label="W")
    b = Tensor(b0, requires_grad=True, label="b")
    u = Tensor(u0, requires_grad=True, label="u")
    c = Tensor(0.1, requires_grad=True, label="c")
    a = W @ Tensor(x, label="x") + b
    a.label = "a"
    h = a.tanh()
    h.label = "h"
    z = h @ u + c
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    loss = (y - t) ** 2
    loss.label = "loss"
    return loss, None


EXAMPLES = {"fan-out": fan_out, "mlp": small_mlp, "lesson": lesson_network}
