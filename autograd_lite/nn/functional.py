"""Loss functions on Tensors: squared error, binary and multi-class cross-entropy, hinge.

Each takes `reduction="mean"` (the default: the average over all elements), `"sum"`, or
`"none"` (one loss per element, the shape of the input; per sample for `cross_entropy`).
Targets and labels are plain data (arrays, lists or Tensors); they are checked before anything
is computed, so a bad call raises and records nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arguments import check_choice
from ..engine.errors import ShapeError
from ..functions import linear  # nn.functional.linear, as in PyTorch
from ..ops.losses import BinaryCrossEntropyWithLogits, CrossEntropy, MSELoss
from ..tensor import Tensor, apply_binary, apply_unary, constant
from .activations import as_tensor

__all__ = ["binary_cross_entropy_with_logits", "cross_entropy", "hinge_loss", "linear", "mse_loss"]

REDUCTIONS = ("mean", "sum", "none")


def mse_loss(pred: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Squared error `(pred - target) ** 2`, reduced.

    `pred` and `target` must have the same shape (no silent broadcasting of `(n, 1)` against
    `(n,)`); `target` may be a Tensor (then it is differentiated too) or plain data (taken in
    `pred`'s dtype). Recorded as one `mse_loss` node.
    """
    _check_reduction(reduction, "mse_loss")
    pred = as_tensor(pred)
    if not isinstance(target, Tensor):  # plain data: in pred's dtype, so float32 stays float32
        array = _float_array(target, "target", "mse_loss")
        target = constant(array.astype(pred.dtype, copy=False) if pred.dtype.kind == "f" else array)
    _check_same_shape(pred, target, "pred", "target", "mse_loss")
    return apply_binary(MSELoss(reduction), pred, target)


def binary_cross_entropy_with_logits(logits: Any, targets: Any, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of `sigmoid(logits)` against `targets` in [0, 1], from the logits.

    Per element `-(y log s(z) + (1 - y) log(1 - s(z)))` with `s` the sigmoid, computed as
    `max(z, 0) - z * y + log(1 + exp(-|z|))`, which never overflows (logits of +-1000 give
    finite losses and gradients). `logits` and `targets` have the same shape; targets are plain
    data (a Tensor's values are taken as constants). Recorded as one
    `binary_cross_entropy_with_logits` node whose gradient is `(s(z) - y) / size` (for the
    mean), also at `z = 0`, and whose second derivative is `s(z) (1 - s(z))`.
    """
    where = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, where)
    z = as_tensor(logits)
    y = _float_array(targets, "targets", where)
    _check_same_shape(z, y, "logits", "targets", where)
    if y.size and (y.min() < 0.0 or y.max() > 1.0):
        raise ValueError(f"{where}: targets must lie in [0, 1] (class labels 0 and 1), "
                         f"got values from {y.min()} to {y.max()}")
    # A copy in the logits' dtype (float32 stays float32), so a later write into the caller's
    # targets cannot change the gradient.
    y = np.array(y, dtype=z.dtype if z.dtype.kind == "f" else y.dtype)
    return apply_unary(BinaryCrossEntropyWithLogits(y, reduction), z)


def cross_entropy(logits: Any, labels: Any, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy `-log softmax(logits)[i, labels[i]]` for integer class labels.

    `logits`: shape `(n, C)`; `labels`: integers in `0 .. C-1`, shape `(n,)`. With
    `reduction="none"` the result has shape `(n,)`. Stable for logits of any size (each row is
    shifted by its maximum before `exp`). Recorded as one `cross_entropy` node whose gradient is
    `(softmax(logits) - onehot(labels)) / n` (for the mean).
    """
    where = "cross_entropy"
    _check_reduction(reduction, where)
    logits = as_tensor(logits)
    if logits.ndim != 2:
        raise ShapeError(
            f"{where}: logits must have shape (n, C) (one row of class scores per sample), "
            f"got shape {tuple(logits.shape)}"
        )
    n, classes = logits.shape
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{where}: labels must be integer class indices, got an array of dtype "
            f"{labels.dtype}; convert with labels.astype(int) if they are whole numbers"
        )
    if labels.shape != (n,):
        raise ShapeError(
            f"{where}: labels must have shape ({n},) to match logits of shape {(n, classes)}, "
            f"got shape {labels.shape}"
        )
    if n and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)]
        raise ValueError(
            f"{where}: labels must be in 0 .. {classes - 1} for {classes} classes, "
            f"got {bad[:5].tolist()}{' ...' if bad.size > 5 else ''}"
        )
    # A copy, so a later write into the caller's labels cannot change the gradient.
    return apply_unary(CrossEntropy(labels.astype(np.intp), reduction), logits)


def hinge_loss(scores: Any, labels: Any, reduction: str = "mean") -> Tensor:
    """Hinge loss `max(0, 1 - labels * scores)` for labels in {-1, +1}.

    `scores` and `labels` have the same shape. The subgradient at the kink is 0 (as relu'(0)).
    """
    where = "hinge_loss"
    _check_reduction(reduction, where)
    scores = as_tensor(scores)
    y = _float_array(labels, "labels", where)
    _check_same_shape(scores, y, "scores", "labels", where)
    if not np.all((y == 1.0) | (y == -1.0)):
        bad = np.unique(y[(y != 1.0) & (y != -1.0)])
        raise ValueError(
            f"{where}: labels must be -1 or +1, got {bad[:5].tolist()}; map 0/1 labels with "
            "2 * y - 1"
        )
    return _reduce((1.0 - scores * y).relu(), reduction)


def _check_reduction(reduction: object, where: str) -> None:
    check_choice(reduction, "reduction", where, REDUCTIONS)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _float_array(x: Any, name: str, where: str) -> np.ndarray:
    """Plain data as a float array of its own (a Tensor's data is taken as a constant).

    Always a copy: the loss keeps it until backward, and a caller who refills their targets
    array after the forward pass must not change the gradient.
    """
    array = np.asarray(x._data if isinstance(x, Tensor) else x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be numbers, got an array of dtype {array.dtype}")
    array = array.astype(np.float64 if array.dtype.kind != "f" else array.dtype)
    if not np.isfinite(array).all():
        raise ValueError(f"{where}: {name} must be finite numbers (found NaN or inf)")
    return array


def _check_same_shape(a: Any, b: Any, a_name: str, b_name: str, where: str) -> None:
    if tuple(a.shape) != tuple(b.shape):
        raise ShapeError(
            f"{where}: {a_name} has shape {tuple(a.shape)} but {b_name} has shape "
            f"{tuple(b.shape)}; they must match (reshape one, e.g. pred.reshape(-1) for an "
            "(n, 1) output)"
        )
