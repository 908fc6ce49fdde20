"""Loss functions fused into one op each: squared error, binary cross-entropy on logits and
softmax cross-entropy.

Written as one node instead of a chain of elementwise ops and a reduction, each with the
formulas a hand-written training step uses: the forward pass keeps what the gradient needs
(the difference, the softmax) and the backward pass is one or two NumPy calls. The values and
gradients are exactly those of the composed expressions; the graph is shorter.

`reduction` is "mean" (over all elements for `mse_loss` and `binary_cross_entropy_with_logits`,
over samples for `cross_entropy`),
"sum" or "none" (the unreduced losses). With `create_graph` the rules rebuild their
intermediate values from the inputs on the graph, so second derivatives are right.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import ShapeError
from ..engine.op import TensorOp, register
from .reductions import wide_sum
from .rule_math import on_graph


def rows(n: int) -> np.ndarray:
    """The row index of every sample, `np.arange(n)`, for picking each sample's label."""
    return np.arange(n)


def reduce_losses(losses: np.ndarray, reduction: str) -> np.ndarray:
    """The per-element losses summed, averaged or kept, as an array of the losses' dtype."""
    if reduction == "none":
        return losses
    total = wide_sum(losses, None, False)  # float16 losses are added in float32
    if reduction == "mean":
        total = total / losses.size if losses.size else total * np.nan
    return np.asarray(total, dtype=losses.dtype)


@register
class MSELoss(TensorOp):
    """out = reduce((pred - target) ** 2).   grad_pred = 2 (pred - target) grad_out (divided by
    the size for the mean), grad_target = -grad_pred."""

    __slots__ = ("reduction", "pred", "target", "diff")
    name = "mse_loss"
    domain = "real"
    saved = ("pred", "target", "diff")
    rule = "grad_pred = 2 (pred - target) grad_out / size (mean),  grad_target = -grad_pred"

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        if pred.shape != target.shape:
            raise ShapeError(
                f"mse_loss: pred has shape {pred.shape} but target has shape {target.shape}; "
                "they must match"
            )
        self.pred = pred
        self.target = target
        self.diff = diff = np.subtract(pred, target)
        return reduce_losses(np.multiply(diff, diff), self.reduction)

    def scale(self, grad_out: Any) -> Any:
        """d loss / d diff, divided by diff: 2 grad_out, over the size for the mean."""
        if self.reduction == "mean":
            size = self.pred.size
            return grad_out * (2.0 / size) if size else grad_out * 0.0
        return grad_out * 2.0

    def vjp(self, grad_out: Any) -> tuple:
        diff = self.diff
        if on_graph(self.pred):  # create_graph: the difference on the graph
            diff = self.pred - self.target
        grad = diff * self.scale(grad_out)
        needs_pred, needs_target = self.needs_grad
        return (grad if needs_pred else None), (-grad if needs_target else None)

    def jvp(self, tangent_pred: Any, tangent_target: Any) -> Any:
        diff = self.pred - self.target if on_graph(self.pred) else self.diff
        if tangent_pred is None:
            tangent = -tangent_target
        elif tangent_target is None:
            tangent = tangent_pred
        else:
            tangent = tangent_pred - tangent_target
        per_element = diff * tangent * 2.0
        if self.reduction == "none":
            return per_element
        total = per_element.sum()
        return total / self.pred.size if self.reduction == "mean" else total

    def describe(self) -> str:
        return f"reduction={self.reduction}"


@register
class CrossEntropy(TensorOp):
    """out = reduce(logsumexp(x[i]) - x[i, labels[i]]) over the rows of logits x (n, C).
    grad_x = (softmax(x) - onehot(labels)) grad_out (divided by n for the mean)."""

    __slots__ = ("labels", "reduction", "x", "probs")
    name = "cross_entropy"
    domain = "real"
    saved = ("x", "probs")
    rule = "grad_x = (softmax(x) - onehot(labels)) grad_out / n (mean)"

    def __init__(self, labels: np.ndarray, reduction: str = "mean") -> None:
        self.labels = labels
        self.reduction = reduction

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or self.labels.shape != (x.shape[0],):
            raise ShapeError(
                f"cross_entropy: logits must have shape (n, C) and labels shape (n,), got "
                f"{x.shape} and {self.labels.shape}"
            )
        self.x: Any = x  # an array, or the input node under create_graph
        picked = rows(x.shape[0]), self.labels
        shifted = x - np.maximum.reduce(x, axis=1, keepdims=True)  # largest exponent 0
        exp = np.exp(shifted)
        total = wide_sum(exp, 1, True)  # float32 for float16 logits: no overflow past 65,504
        losses = (np.log(total[:, 0]) - shifted[picked]).astype(x.dtype, copy=False)
        self.probs = np.divide(exp, total, out=exp)  # the softmax, kept for backward
        return reduce_losses(losses, self.reduction)

    def scale(self, grad_out: Any) -> Any:
        """The factor each sample's gradient row is multiplied by."""
        if self.reduction == "mean":
            n = self.labels.shape[0]
            return grad_out * (1.0 / n) if n else grad_out * 0.0
        if self.reduction == "sum":
            return grad_out
        return grad_out.reshape((-1, 1))

    def vjp(self, grad_out: Any) -> tuple:
        x = self.x
        scale = self.scale(grad_out)
        if on_graph(x):  # create_graph: the softmax on the graph, differentiable again
            return ((x.softmax(axis=1) - self.onehot(x._data)) * scale,)
        grad = self.probs * scale
        picked = rows(x.shape[0]), self.labels
        grad[picked] -= scale if self.reduction != "none" else grad_out
        return (grad,)

    def onehot(self, x: np.ndarray) -> np.ndarray:
        """1 at each sample's label, 0 elsewhere, in the logits' shape and dtype."""
        onehot = np.zeros(x.shape, dtype=x.dtype)
        onehot[rows(x.shape[0]), self.labels] = 1.0
        return onehot

    def jvp(self, tangent_x: Any) -> Any:
        x = self.x
        probs = x.softmax(axis=1) if on_graph(x) else self.probs
        per_sample = (probs * tangent_x).sum(axis=1) - tangent_x[rows(x.shape[0]), self.labels]
        if self.reduction == "none":
            return per_sample
        total = per_sample.sum()
        return total / self.labels.shape[0] if self.reduction == "mean" else total

    def describe(self) -> str:
        return f"reduction={self.reduction}"


@register
class BinaryCrossEntropyWithLogits(TensorOp):
    """out = reduce(max(z, 0) - z y + log(1 + e ** -|z|)) for logits z and targets y in [0, 1]
    (the same shape): the cross-entropy of sigmoid(z) against y, never overflowing.
    grad_z = (sigmoid(z) - y) grad_out (divided by the size for the mean)."""

    __slots__ = ("targets", "reduction", "z", "probs")
    name = "binary_cross_entropy_with_logits"
    domain = "real"
    saved = ("z", "probs")
    rule = "grad_z = (sigmoid(z) - y) grad_out / size (mean)"

    def __init__(self, targets: np.ndarray, reduction: str = "mean") -> None:
        self.targets = targets  # plain data, never differentiated
        self.reduction = reduction

    def forward(self, z: np.ndarray) -> np.ndarray:
        y = self.targets
        if z.shape != y.shape:
            raise ShapeError(
                f"binary_cross_entropy_with_logits: logits have shape {z.shape} but targets "
                f"have shape {y.shape}; they must match"
            )
        self.z: Any = z  # an array, or the input node under create_graph
        # exp(-log(1 + e^-z)) never overflows (as in `sigmoid`); at z = 0 it is exactly 1/2.
        self.probs = np.exp(-np.logaddexp(0, -z)).astype(z.dtype, copy=False)
        # -log(1 - s(z)) = max(z, 0) + log(1 + e^-|z|): no exp of a large positive number.
        losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return reduce_losses(losses.astype(z.dtype, copy=False), self.reduction)

    def scale(self, grad_out: Any) -> Any:
        """The factor the gradient of each logit is multiplied by (an array for "none")."""
        if self.reduction == "mean":
            size = self.targets.size
            return grad_out * (1.0 / size) if size else grad_out * 0.0
        return grad_out

    def vjp(self, grad_out: Any) -> tuple:
        z = self.z
        if on_graph(z):  # create_graph: sigmoid on the graph, so d2/dz2 = s (1 - s)
            return ((z.sigmoid() - self.targets) * self.scale(grad_out),)
        return ((self.probs - self.targets) * self.scale(grad_out),)

    def jvp(self, tangent_z: Any) -> Any:
        z = self.z
        probs = z.sigmoid() if on_graph(z) else self.probs
        per_element = (probs - self.targets) * tangent_z
        if self.reduction == "none":
            return per_element
        total = per_element.sum()
        if self.reduction == "mean":
            size = self.targets.size
            return total * (1.0 / size) if size else total * 0.0
        return total

    def describe(self) -> str:
        return f"reduction={self.reduction}"
