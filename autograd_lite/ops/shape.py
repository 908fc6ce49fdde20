"""Shape and indexing ops on Tensors: reshape, transpose, broadcast_to, indexing (getitem and
its adjoint scatter_add), concatenate and stack. None of them changes a value, so each vjp
only moves gradients back to where their elements came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.op import TensorOp, register
from .reductions import normalize_axis
from .rule_math import broadcast_to, scatter_add, sum_terms


@register
class Reshape(TensorOp):
    """out = x.reshape(shape).   grad_x = grad_out.reshape(x.shape)."""

    __slots__ = ("shape", "in_shape")
    name = "reshape"
    domain = "real"
    rule = "grad_x = grad_out.reshape(x.shape)"

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.in_shape = x.shape
        try:
            return x.reshape(self.shape)
        except ValueError:
            raise ShapeError(
                f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) into "
                f"shape {tuple(self.shape)}; the number of elements must stay the same"
            ) from None

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out.reshape(self.in_shape),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x.reshape(self.shape)

    def describe(self) -> str:
        return str(tuple(self.shape))


@register
class Transpose(TensorOp):
    """out = x.transpose(axes) (axes reversed when None).   grad_x = grad_out transposed back."""

    __slots__ = ("axes", "inverse")
    name = "transpose"
    domain = "real"
    rule = "grad_x = grad_out.transpose(inverse permutation of axes)"

    def __init__(self, axes: tuple[int, ...] | None = None) -> None:
        self.axes = axes

    def forward(self, x: np.ndarray) -> np.ndarray:
        if self.axes is None:  # `.T`: axes reversed, a permutation that is its own inverse
            self.axes = self.inverse = tuple(range(x.ndim - 1, -1, -1))
            return x.transpose()
        axes = tuple(normalize_axis("transpose", a, x.ndim) for a in self.axes)
        if sorted(axes) != list(range(x.ndim)):
            raise ValueError(
                f"transpose: axes {tuple(self.axes)} are not a permutation of the {x.ndim} axes "
                f"of a tensor of shape {x.shape}; name each axis 0 .. {x.ndim - 1} exactly once"
            )
        self.axes = axes
        self.inverse = tuple(int(i) for i in np.argsort(axes))
        return x.transpose(axes)

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out.transpose(self.inverse),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x.transpose(self.axes)

    def describe(self) -> str:
        return str(self.axes)


@register
class BroadcastTo(TensorOp):
    """out = x repeated to `shape` by broadcasting.   grad_x = grad_out summed back."""

    __slots__ = ("shape",)
    broadcasts = True  # its vjp hands back grad_out: the engine sums it to x's shape
    name = "broadcast_to"
    domain = "real"
    rule = "grad_x = grad_out summed over the broadcast axes"

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = tuple(shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        try:
            return np.broadcast_to(x, self.shape)
        except ValueError:
            raise ShapeError(
                f"broadcast_to: a tensor of shape {x.shape} cannot be broadcast to shape "
                f"{self.shape}: trailing dimensions must be equal or 1"
            ) from None

    def vjp(self, grad_out: Any) -> tuple:
        # The engine sums the gradient back to the input's shape.
        return (grad_out,)

    def jvp(self, tangent_x: Any) -> Any:
        return broadcast_to(tangent_x, self.shape)

    def describe(self) -> str:
        return str(self.shape)


def describe_index(index: Any) -> str:
    """A short readable form of an index, for drawings and reprs."""
    items = index if isinstance(index, tuple) else (index,)
    parts = []
    for item in items:
        if isinstance(item, slice):
            start = "" if item.start is None else item.start
            stop = "" if item.stop is None else item.stop
            parts.append(f"{start}:{stop}" + ("" if item.step is None else f":{item.step}"))
        elif item is Ellipsis:
            parts.append("...")
        elif item is None:
            parts.append("None")
        elif isinstance(item, np.ndarray):
            parts.append(f"<{item.dtype} array {item.shape}>")
        else:
            parts.append(repr(item))
    return "[" + ", ".join(parts) + "]"


def private_index(index: Any) -> Any:
    """`index` with every array in it copied, for an op that keeps it until backward: the
    caller may change its own index or mask array after the forward pass, which must not move
    the gradient. Ints, slices, None and Ellipsis are immutable and kept as they are."""
    if isinstance(index, np.ndarray):
        return index.copy()
    if isinstance(index, tuple):
        return tuple([item.copy() if isinstance(item, np.ndarray) else item for item in index])
    return index


@register
class GetItem(TensorOp):
    """out = x[index] (basic or advanced).   grad_x = zeros like x with grad_out added at index.

    Repeated indices add up their gradients.
    """

    __slots__ = ("index", "in_shape")
    name = "getitem"
    domain = "real"
    rule = "grad_x = scatter_add(grad_out, index) into zeros of x.shape"

    def __init__(self, index: Any) -> None:
        self.index = private_index(index)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.in_shape = x.shape
        try:
            return x[self.index]
        except IndexError as exc:
            raise IndexError(
                f"getitem: cannot index a tensor of shape {x.shape} with "
                f"{describe_index(self.index)}: {exc}. Use ints, slices, None, ..., integer "
                "arrays or a boolean mask of the tensor's shape; an integer along an axis of "
                "size n must lie in -n .. n-1"
            ) from None

    def vjp(self, grad_out: Any) -> tuple:
        return (scatter_add(grad_out, self.index, self.in_shape),)

    def jvp(self, tangent_x: Any) -> Any:
        return tangent_x[self.index]

    def describe(self) -> str:
        return describe_index(self.index)


@register
class ScatterAdd(TensorOp):
    """out = zeros(shape) with x added at index (the adjoint of indexing).

    grad_x = grad_out[index].
    """

    __slots__ = ("index", "shape")
    name = "scatter_add"
    domain = "real"
    rule = "grad_x = grad_out[index]"

    def __init__(self, index: Any, shape: tuple[int, ...]) -> None:
        self.index = private_index(index)
        self.shape = tuple(shape)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return scatter_add(x, self.index, self.shape)

    def vjp(self, grad_out: Any) -> tuple:
        return (grad_out[self.index],)

    def jvp(self, tangent_x: Any) -> Any:
        return scatter_add(tangent_x, self.index, self.shape)

    def describe(self) -> str:
        return f"{describe_index(self.index)} into {self.shape}"


class Join(TensorOp):
    """concatenate / stack: each input fills one piece of the output along `axis` (a slice of
    it for concatenate, one index of a new axis for stack), so its gradient is that piece of
    grad_out and its tangent goes to that piece of a zero output."""

    __slots__ = ("axis", "pieces")
    pieces: tuple[slice | int, ...]

    def __init__(self, axis: int = 0) -> None:
        self.axis = axis

    def at(self, piece: slice | int) -> tuple:
        """The index of `piece` along the axis (every element of the axes before it)."""
        return (slice(None),) * self.axis + (piece,)

    def out_shape(self, part: Any) -> tuple[int, ...]:
        """The output's shape, from the shape of one input's part (a gradient or tangent)."""
        raise NotImplementedError

    def vjp(self, grad_out: Any) -> tuple:
        grads = []
        for piece in self.pieces:
            grads.append(grad_out[self.at(piece)])
        return tuple(grads)

    def jvp(self, *tangents: Any) -> Any:
        # Each tangent is placed in its piece of a zero output (inputs without one contribute
        # zeros): the join written with the adjoint of indexing, which also runs on graph nodes.
        terms = []
        for tangent, piece in zip(tangents, self.pieces):
            if tangent is not None:
                terms.append(scatter_add(tangent, self.at(piece), self.out_shape(tangent)))
        return sum_terms(*terms)

    def describe(self) -> str:
        return f"axis={self.axis}"


@register
class Concatenate(Join):
    """out = concatenate(xs, axis).   grad of each x = its slice of grad_out along axis."""

    __slots__ = ()
    name = "concatenate"
    domain = "real"
    rule = "grad_x_i = grad_out[..., start_i:stop_i, ...] along axis"
    pieces: tuple[slice, ...]

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        first = xs[0]
        if first.ndim == 0:
            raise ValueError("concatenate: 0-d tensors cannot be concatenated; use stack")
        axis = normalize_axis("concatenate", self.axis, first.ndim)
        for x in xs[1:]:
            if x.ndim != first.ndim or any(
                a != b for i, (a, b) in enumerate(zip(x.shape, first.shape)) if i != axis
            ):
                raise ShapeError(
                    f"concatenate: shapes must match except along axis {axis}: got "
                    + ", ".join(str(t.shape) for t in xs)
                )
        self.axis = axis
        stops = np.cumsum([x.shape[axis] for x in xs]).tolist()
        self.pieces = tuple(map(slice, [0, *stops[:-1]], stops))
        return np.concatenate(xs, axis=axis)

    def out_shape(self, part: Any) -> tuple[int, ...]:
        sizes = list(part.shape)
        sizes[self.axis] = self.pieces[-1].stop
        return tuple(sizes)


@register
class Stack(Join):
    """out = stack(xs, axis) (a new axis).   grad of x_i = grad_out taken at i along axis."""

    __slots__ = ()
    name = "stack"
    domain = "real"
    rule = "grad_x_i = grad_out[..., i, ...] along the new axis"
    pieces: tuple[int, ...]

    def forward(self, *xs: np.ndarray) -> np.ndarray:
        first = xs[0]
        for x in xs[1:]:
            if x.shape != first.shape:
                raise ShapeError(
                    "stack: all tensors must have the same shape, got "
                    + ", ".join(str(t.shape) for t in xs)
                    + "; reshape or broadcast them to one shape first (or use concatenate to "
                    "join along an existing axis)"
                )
        self.axis = normalize_axis("stack", self.axis, first.ndim + 1)
        self.pieces = tuple(range(len(xs)))
        return np.stack(xs, axis=self.axis)

    def out_shape(self, part: Any) -> tuple[int, ...]:
        shape = tuple(part.shape)
        return shape[:self.axis] + (len(self.pieces),) + shape[self.axis:]
