"""Neural-network building blocks on the Tensor engine, and their scalar twins in `nn.scalar`.

- `Module`: base class with automatic parameter discovery, `state_dict`, `save` / `load`;
  `Parameter`: PyTorch's name for a trained leaf Tensor.
- Layers: `Linear`, `MLP`, `Sequential`, `Flatten`, `Identity`; activations `ReLU`, `Tanh`,
  `Sigmoid`.
- Loss modules with PyTorch's names: `MSELoss`, `CrossEntropyLoss`, `BCEWithLogitsLoss`.
- `nn.functional`: `mse_loss`, `binary_cross_entropy_with_logits`, `cross_entropy`,
  `hinge_loss`.
- `nn.scalar`: `Neuron`, `Layer`, `MLP` on `Value`, one weight per node.
"""

from . import functional, scalar
from .activations import ReLU, Sigmoid, Tanh
from .layers import MLP, Flatten, Identity, Linear, Sequential
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "BCEWithLogitsLoss", "CrossEntropyLoss", "Flatten", "Identity", "Linear", "MLP", "MSELoss",
    "Module", "Parameter", "ReLU", "Sequential", "Sigmoid", "Tanh", "functional", "scalar",
]
