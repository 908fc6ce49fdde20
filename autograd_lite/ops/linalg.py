"""Matrix products on Tensors: `@` exactly as `numpy.matmul` (1-D, 2-D and batched operands,
batch dimensions broadcast)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.gradients import sum_to_shape
from ..engine.op import TensorOp, register
from .rule_math import broadcast_to, matrix_transpose, sum_terms


def check_matmul_shapes(xs: tuple[int, ...], ys: tuple[int, ...]) -> None:
    """Raise a ShapeError in the user's terms when `x @ y` is not defined."""
    if not xs or not ys:
        raise ShapeError(
            f"matmul: shapes {xs} and {ys}: 0-d operands are not allowed with @; use * to "
            "multiply by a scalar"
        )
    x_dim = len(xs) - 1
    y_dim = 0 if len(ys) == 1 else len(ys) - 2
    if xs[x_dim] != ys[y_dim]:
        raise ShapeError(
            f"matmul: shapes {xs} and {ys} are not aligned: {xs[x_dim]} (dim {x_dim}) != "
            f"{ys[y_dim]} (dim {y_dim}). The last axis of the left operand must match the "
            "second-to-last axis of the right one (transpose an operand with .T?)"
        )


def is_transposed_matrix(a: Any) -> bool:
    """True for a 2-D ndarray laid out as the transpose of a contiguous one (`W.T`)."""
    return type(a) is np.ndarray and a.ndim == 2 and not a.flags.c_contiguous and \
        a.flags.f_contiguous


@register
class MatMul(TensorOp):
    """out = x @ y.   grad_x = grad_out @ y^T, grad_y = x^T @ grad_out (batch axes summed).

    A 1-D left operand acts as a row vector and a 1-D right operand as a column vector, as in
    NumPy; the gradients are computed on those 2-D views and reshaped back.
    """

    __slots__ = ("x", "y")
    broadcasts = True
    name = "matmul"
    domain = "real"
    saved = ("x", "y")
    rule = "grad_x = grad_out @ y^T,  grad_y = x^T @ grad_out"

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        check_matmul_shapes(x.shape, y.shape)
        self.x = x
        self.y = y
        try:
            return np.matmul(x, y)
        except ValueError:
            raise ShapeError(
                f"matmul: shapes {x.shape} and {y.shape}: the batch dimensions {x.shape[:-2]} "
                f"and {y.shape[:-2]} cannot be broadcast together; the axes before the last two "
                "must be equal or 1"
            ) from None

    def vjp(self, grad_out: Any) -> tuple:
        x, y = self.x, self.y
        needs_x, needs_y = self.needs_grad
        if x.ndim > 1 and y.ndim > 1:
            grad_x = grad_out @ matrix_transpose(y) if needs_x else None
            if not needs_y:
                grad_y = None
            elif is_transposed_matrix(y):
                # y is W.T (as in `x @ W.T`): build the gradient in W's own layout, so that
                # W's gradient comes out contiguous instead of as a strided transpose.
                grad_y = matrix_transpose(matrix_transpose(grad_out) @ x)
            else:
                grad_y = matrix_transpose(x) @ grad_out
            return grad_x, grad_y
        # Promote 1-D operands to a row (left) or a column (right), as matmul does.
        x2 = x if x.ndim > 1 else x.reshape((1, x.shape[0]))
        y2 = y if y.ndim > 1 else y.reshape((y.shape[0], 1))
        batch = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2])
        g2 = grad_out.reshape(batch + (x2.shape[-2], y2.shape[-1]))
        grad_x = grad_y = None
        if needs_x:
            grad_x = sum_to_shape(g2 @ matrix_transpose(y2), x2.shape, "matmul").reshape(x.shape)
        if needs_y:
            grad_y = sum_to_shape(matrix_transpose(x2) @ g2, y2.shape, "matmul").reshape(y.shape)
        return grad_x, grad_y

    def jvp(self, tangent_x: Any, tangent_y: Any) -> Any:
        # matmul is bilinear: d(x @ y) = dx @ y + x @ dy, with NumPy's 1-D and batch rules.
        return sum_terms(
            None if tangent_x is None else tangent_x @ self.y,
            None if tangent_y is None else self.x @ tangent_y,
        )


def check_linear_shapes(xs: tuple[int, ...], ws: tuple[int, ...],
                        bs: tuple[int, ...] | None) -> None:
    """Raise a ShapeError in the user's terms when `linear(x, weight, bias)` is not defined."""
    if len(ws) != 2:
        raise ShapeError(
            f"linear: weight must be a matrix of shape (out_features, in_features), got shape "
            f"{ws}"
        )
    if not xs or xs[-1] != ws[1]:
        raise ShapeError(
            f"linear: the input's last dimension must be in_features={ws[1]} (weight has shape "
            f"{ws}), got an input of shape {xs}"
        )
    if bs is not None and bs != (ws[0],):
        raise ShapeError(
            f"linear: bias must have shape ({ws[0]},) (one per output feature of weight "
            f"{ws}), got shape {bs}"
        )


def sum_leading(a: Any) -> Any:
    """`a` summed over every axis but the last (a bias's gradient from a batch of outputs)."""
    if isinstance(a, np.ndarray):
        return np.add.reduce(a if a.ndim == 2 else a.reshape((-1, a.shape[-1])), axis=0)
    return a.reshape((-1, a.shape[-1])).sum(axis=0)


@register
class Linear(TensorOp):
    """out = x @ weight^T + bias, an affine layer as one node (the bias is optional).

    Shapes: x (..., in), weight (out, in), bias (out,) -> out (..., out).
    grad_x = grad_out @ weight;  grad_weight = grad_out^T @ x and grad_bias = grad_out, both
    summed over the leading (batch) axes. The same numbers as `x @ weight.T + bias` in three
    nodes, with the same NumPy calls a hand-written layer makes.
    """

    __slots__ = ("x", "weight")
    name = "linear"
    domain = "real"
    saved = ("x", "weight")
    rule = "grad_x = grad_out @ W,  grad_W = grad_out^T @ x,  grad_b = sum(grad_out, batch axes)"

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None
                ) -> np.ndarray:
        check_linear_shapes(x.shape, weight.shape, None if bias is None else bias.shape)
        self.x = x
        self.weight = weight
        out = np.matmul(x, weight.T)
        if bias is None:
            return out
        if out.dtype == bias.dtype and type(out) is np.ndarray:
            return np.add(out, bias, out=out)  # into the fresh product: no second array
        return np.add(out, bias)

    def vjp(self, grad_out: Any) -> tuple:
        x, weight = self.x, self.weight
        needs = self.needs_grad
        grad_x = grad_out @ weight if needs[0] else None
        grad_w = grad_b = None
        if needs[1]:
            if grad_out.ndim == 2:
                grad_w = matrix_transpose(grad_out) @ x
            else:  # a single sample, or extra batch axes: flatten them into one
                rows = grad_out.reshape((-1, weight.shape[0]))
                grad_w = matrix_transpose(rows) @ x.reshape((-1, weight.shape[1]))
        if len(needs) == 2:
            return grad_x, grad_w
        if needs[2]:
            grad_b = sum_leading(grad_out)
        return grad_x, grad_w, grad_b

    def jvp(self, tangent_x: Any, tangent_w: Any, tangent_b: Any = None) -> Any:
        # Affine in x and bilinear in (x, weight): d out = dx @ W^T + x @ dW^T + db.
        if tangent_x is None and tangent_w is None and tangent_b is not None:
            shape = self.x.shape[:-1] + (self.weight.shape[0],)
            return broadcast_to(tangent_b, shape)  # the bias's tangent, repeated per sample
        return sum_terms(
            None if tangent_x is None else tangent_x @ matrix_transpose(self.weight),
            None if tangent_w is None else self.x @ matrix_transpose(tangent_w),
            tangent_b,
        )
