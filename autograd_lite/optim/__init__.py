"""Optimizers that update Tensor or Value parameters from their gradients: SGD and Adam.

>>> opt = optim.Adam(model.parameters(), lr=0.01)
>>> opt.zero_grad(); loss = ...; loss.backward(); opt.step()
"""

from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer"]
