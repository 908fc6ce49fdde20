"""autograd_lite: a small, readable reverse-mode automatic differentiation engine on NumPy.

`Value` (one float) and `Tensor` (an n-d array) record the operations made with them;
`.backward()` applies the chain rule as vector-Jacobian products, one named rule per op.
"""

from . import (
    datasets,
    nn,
    numpy_functions,  # noqa: F401  (what NumPy's functions do on Tensors)
    ops,  # noqa: F401  (registers the built-in ops)
    optim,
)
from .custom_op import Function
from .debug import backward_steps, detect_anomaly
from .engine.errors import ShapeError
from .engine.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .engine.op import CUSTOM_OPS, SCALAR_OPS, TENSOR_OPS
from .functions import (
    abs,
    broadcast_to,
    clip,
    concatenate,
    cos,
    cumsum,
    exp,
    expand_dims,
    flatten,
    linear,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mod,
    norm,
    outer,
    prod,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    swapaxes,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from .gradient_check import GradcheckError, gradcheck, numerical_grad
from .random import manual_seed
from .tensor import Tensor
from .transforms import (
    elementwise_grad,
    grad,
    hessian,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)
from .value import Value
from .viz import Explorer, draw_graph, explore

__version__ = "0.1.0"

__all__ = [
    "SCALAR_OPS", "ShapeError", "TENSOR_OPS", "Tensor", "Value", "abs", "broadcast_to", "clip",
    "concatenate", "cos", "enable_grad", "exp", "is_grad_enabled", "linear", "log", "log_softmax",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "no_grad", "relu",
    "reshape", "set_grad_enabled", "sigmoid", "sin", "softmax", "sqrt", "stack", "sum",
    "swapaxes", "tanh", "transpose", "where", "cumsum", "expand_dims", "flatten", "mod",
    "norm", "outer", "prod", "squeeze", "std", "unsqueeze", "var",
    "Explorer", "backward_steps", "detect_anomaly", "draw_graph", "explore",
    "datasets", "manual_seed", "nn", "optim",
    "CUSTOM_OPS", "Function", "GradcheckError", "elementwise_grad", "grad", "gradcheck",
    "hessian", "jacobian", "jvp", "numerical_grad", "value_and_grad", "vjp",
]
