"""A first tour of autograd_lite: a Value graph, a Tensor graph, and a second derivative.

    python examples/tour.py
"""

import numpy as np

from autograd_lite import Tensor, Value

# A scalar graph: c = a*b + a^2, so dc/da = b + 2a and dc/db = a.
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a**2
c.backward()
print(f"c = {c.data}, dc/da = {a.grad} (b + 2a = {b.data + 2 * a.data}), dc/db = {b.grad}")

# A tensor graph: the gradient of a mean squared tanh activation with respect to W.
rng = np.random.default_rng(0)
W = Tensor(rng.standard_normal((3, 2)), requires_grad=True, label="W")
x = Tensor(np.ones((5, 2)))
loss = ((x @ W.T).tanh() ** 2).mean()
loss.backward()
print(f"loss = {loss.item():.6f}, W.grad has shape {W.grad.shape}")

# The same gradient by hand, with NumPy, to compare.
h = np.tanh(np.ones((5, 2)) @ W.data.T)
grad_by_hand = ((2 * h * (1 - h**2)) / h.size).T @ np.ones((5, 2))
print(f"max |autodiff - by hand| = {np.abs(W.grad - grad_by_hand).max():.2e}")

# A second derivative: d^2/dx^2 x^3 = 6x, through create_graph.
t = Tensor(np.array(0.7), requires_grad=True)
(t**3).backward(create_graph=True)
first = t.grad
t.grad = None
first.backward()
print(f"d/dx x^3 at 0.7 = {first.item():.4f} (3x^2 = {3 * 0.49:.4f}); "
      f"d2/dx2 = {float(t.grad):.4f} (6x = {6 * 0.7:.4f})")
