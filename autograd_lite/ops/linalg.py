"""Matrix products on Tensors: `@` exactly as `numpy.matmul` (1-D, 2-D and batched operands,
batch dimensions broadcast)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.backward import sum_to_shape
from ..engine.errors import ShapeError
from ..engine.op import TensorOp, register
from .generic import matrix_transpose, sum_terms


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
