"""NumPy-style functions on Tensors: `autograd_lite.exp(x)`, `autograd_lite.sum(x, axis=0)`...

Each accepts a Tensor or anything `numpy.asarray` takes and returns a Tensor; they call the
same ops as the Tensor methods.
"""

from __future__ import annotations

from typing import Any

from .ops.linalg import Linear
from .tensor import (
    Tensor,
    apply_binary,
    as_tensor,
    concatenate,
    new_tensor,
    norm,
    stack,
    where,
)


def exp(x: Any) -> Tensor:
    """e ** x, elementwise."""
    return as_tensor(x).exp()


def log(x: Any) -> Tensor:
    """Natural logarithm, elementwise."""
    return as_tensor(x).log()


def sqrt(x: Any) -> Tensor:
    """Square root, elementwise."""
    return as_tensor(x).sqrt()


def abs(x: Any) -> Tensor:  # NumPy's name, shadowing the builtin on purpose
    """Absolute value, elementwise (gradient 0 at 0)."""
    return as_tensor(x).abs()


def sin(x: Any) -> Tensor:
    """Sine, elementwise."""
    return as_tensor(x).sin()


def cos(x: Any) -> Tensor:
    """Cosine, elementwise."""
    return as_tensor(x).cos()


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return as_tensor(x).tanh()


def sigmoid(x: Any) -> Tensor:
    """Logistic sigmoid, elementwise, without overflow."""
    return as_tensor(x).sigmoid()


def relu(x: Any) -> Tensor:
    """max(x, 0), elementwise (gradient 0 at 0)."""
    return as_tensor(x).relu()


def maximum(x: Any, y: Any) -> Tensor:
    """Elementwise maximum, broadcasting (ties share the gradient equally)."""
    x_t = x if isinstance(x, Tensor) else as_tensor(x, y if isinstance(y, Tensor) else None)
    return x_t.maximum(y)


def minimum(x: Any, y: Any) -> Tensor:
    """Elementwise minimum, broadcasting (ties share the gradient equally)."""
    x_t = x if isinstance(x, Tensor) else as_tensor(x, y if isinstance(y, Tensor) else None)
    return x_t.minimum(y)


def clip(x: Any, a_min: Any = None, a_max: Any = None) -> Tensor:
    """Values limited to [a_min, a_max] (either may be None); Tensor bounds are differentiated
    as PyTorch's `clamp` (see `Tensor.clip`)."""
    return as_tensor(x).clip(a_min, a_max)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (None: all axes; an int or a tuple)."""
    return as_tensor(x).sum(axis, keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` (None: all axes; an int or a tuple)."""
    return as_tensor(x).mean(axis, keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis` (ties share the gradient equally)."""
    return as_tensor(x).max(axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis` (ties share the gradient equally)."""
    return as_tensor(x).min(axis, keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Product over `axis` (None: all axes; an int or a tuple)."""
    return as_tensor(x).prod(axis, keepdims)


def var(x: Any, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
    """Variance over `axis`, sum((x - mean)^2) / (n - ddof), as `numpy.var`."""
    return as_tensor(x).var(axis, ddof, keepdims)


def std(x: Any, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
    """Standard deviation over `axis` (the square root of `var`)."""
    return as_tensor(x).std(axis, ddof, keepdims)


def cumsum(x: Any, axis: Any = None) -> Tensor:
    """Running sums along `axis` (None: over the flattened values)."""
    return as_tensor(x).cumsum(axis)


def mod(x: Any, y: Any) -> Tensor:
    """x % y elementwise, as `numpy.mod` (the result has the sign of y)."""
    x_t = x if isinstance(x, Tensor) else as_tensor(x, y if isinstance(y, Tensor) else None)
    return x_t % y


def outer(x: Any, y: Any) -> Tensor:
    """The outer product of the flattened `x` (n values) and `y` (m values): shape (n, m),
    out[i, j] = x[i] * y[j], as `numpy.outer`."""
    x_t = x if isinstance(x, Tensor) else as_tensor(x, y if isinstance(y, Tensor) else None)
    y_t = y if isinstance(y, Tensor) else as_tensor(y, x_t)
    return x_t.reshape(-1, 1) * y_t.reshape(1, -1)


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """The axes of length 1 removed (only those in `axis` when given)."""
    return as_tensor(x).squeeze(axis)


def expand_dims(x: Any, axis: Any) -> Tensor:
    """New axes of length 1 at the positions `axis` (NumPy's name)."""
    return as_tensor(x).expand_dims(axis)


def unsqueeze(x: Any, dim: int) -> Tensor:
    """A new axis of length 1 at position `dim` (PyTorch's name)."""
    return as_tensor(x).unsqueeze(dim)


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """The values as a 1-D tensor (axes `start_dim` .. `end_dim` merged, as in PyTorch)."""
    return as_tensor(x).flatten(start_dim, end_dim)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) over `axis`, without overflow."""
    return as_tensor(x).logsumexp(axis, keepdims)


def softmax(x: Any, axis: int = -1) -> Tensor:
    """exp(x) / sum(exp(x)) along `axis`."""
    return as_tensor(x).softmax(axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """x - logsumexp(x) along `axis`."""
    return as_tensor(x).log_softmax(axis)


def reshape(x: Any, shape: Any) -> Tensor:
    """The same values in a new shape."""
    return as_tensor(x).reshape(shape)


def transpose(x: Any, axes: Any = None) -> Tensor:
    """Axes permuted (reversed when `axes` is None)."""
    return as_tensor(x).transpose(axes)


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Two axes exchanged."""
    return as_tensor(x).swapaxes(axis1, axis2)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Tensor:
    """The values repeated along broadcast axes to `shape`."""
    return as_tensor(x).broadcast_to(shape)


def matmul(x: Any, y: Any) -> Tensor:
    """x @ y, exactly as `numpy.matmul`."""
    return as_tensor(x) @ y


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """`x @ weight.T + bias` as one `linear` node (what `nn.Linear` computes).

    Shapes: x `(..., in_features)`, weight `(out_features, in_features)`, bias
    `(out_features,)` or None -> `(..., out_features)`. The values and gradients are those of
    the three-op expression; the graph has one node instead of `transpose`, `matmul` and
    `add`, which makes a training step cheaper. Raises `ShapeError` for mismatched shapes.
    """
    x = x if type(x) is Tensor else as_tensor(x)
    weight = weight if type(weight) is Tensor else as_tensor(weight)
    if bias is None:
        return apply_binary(Linear(), x, weight)
    bias = bias if type(bias) is Tensor else as_tensor(bias)
    op = Linear()
    return new_tensor(op.forward(x._data, weight._data, bias._data), op, (x, weight, bias))


__all__ = [
    "abs", "broadcast_to", "clip", "concatenate", "cos", "cumsum", "exp", "expand_dims",
    "flatten", "log", "log_softmax", "linear", "logsumexp", "matmul", "max", "maximum", "mean",
    "min", "minimum", "mod", "norm", "outer", "prod", "relu", "reshape", "sigmoid", "sin",
    "softmax", "sqrt", "squeeze", "stack", "std", "sum", "swapaxes", "tanh", "transpose",
    "unsqueeze", "var", "where",
]
