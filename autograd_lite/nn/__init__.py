"""Neural-network building blocks on the Tensor engine, and their scalar twins in `nn.scalar`.

- `Module`: base class with automatic parameter discovery, `state_dict`, `save` / `load`.
- Layers: `Linear`, `MLP`, `Sequential`; activations `ReLU`, `Tanh`, `Sigmoid`.
- `nn.functional`: `mse_loss`, `binary_cross_entropy_with_logits`, `cross_entropy`,
  `hinge_loss`.
- `nn.scalar`: `Neuron`, `Layer`, `MLP` on `Value`, one weight per node.
"""

from . import functional, scalar
from .activations import ReLU, Sigmoid, Tanh
from .layers import MLP, Linear, Sequential
from .module import Module

__all__ = [
    "MLP", "Linear", "Module", "ReLU", "Sequential", "Sigmoid", "Tanh", "functional", "scalar",
]
