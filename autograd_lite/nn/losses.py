"""Loss modules with PyTorch's names: `MSELoss`, `CrossEntropyLoss`, `BCEWithLogitsLoss`.

Each holds a `reduction` (`"mean"` by default, `"sum"` or `"none"`) and calls the function of
`nn.functional` with it, so `nn.MSELoss(reduction="sum")(pred, target)` is
`F.mse_loss(pred, target, reduction="sum")`. PyTorch's other options (class weights,
`ignore_index`, `label_smoothing`, `pos_weight`, the old `size_average` and `reduce`) are
refused with an error that says how to get the same loss, never ignored.
"""

from __future__ import annotations

from typing import Any

from ..arguments import check_choice
from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["BCEWithLogitsLoss", "CrossEntropyLoss", "MSELoss"]


class Loss(Module):
    """A loss module: `reduction` checked once, the rest is the functional form's."""

    #: What to write instead of each PyTorch option this loss does not take.
    alternatives: dict[str, str] = {}

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        where = type(self).__name__
        for name in options:
            hint = self.alternatives.get(name, "")
            raise TypeError(
                f"{where}: PyTorch's option {name}= is not supported here; the only option is "
                f"reduction ('mean', 'sum' or 'none'). {hint}".rstrip()
            )
        self.reduction = check_choice(reduction, "reduction", where, F.REDUCTIONS)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(Loss):
    """Mean squared error: `MSELoss(reduction="mean")(pred, target)`, `(pred - target) ** 2`
    reduced; `pred` and `target` of the same shape (see `nn.functional.mse_loss`)."""

    alternatives = {"size_average": "Use reduction='mean' or 'sum'.",
                    "reduce": "Use reduction='none' for one loss per element."}

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.mse_loss(pred, target, reduction=self.reduction)


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy of logits `(n, C)` against integer class labels `(n,)`:
    `CrossEntropyLoss(reduction="mean")(logits, labels)` (see `nn.functional.cross_entropy`).
    With `reduction="none"` the result has shape `(n,)`."""

    alternatives = {
        "weight": "For class weights w, take reduction='none' and combine the losses yourself: "
                  "(losses * w[labels]).sum() / w[labels].sum().",
        "ignore_index": "Drop those samples first: keep = labels != index, then "
                        "loss(logits[keep], labels[keep]).",
        "label_smoothing": "Write it from log_softmax: -(((1 - e) * onehot + e / C) "
                           "* logits.log_softmax(axis=1)).sum(axis=1).",
        "size_average": "Use reduction='mean' or 'sum'.",
        "reduce": "Use reduction='none' for one loss per sample.",
    }

    def forward(self, logits: Any, labels: Any) -> Tensor:
        return F.cross_entropy(logits, labels, reduction=self.reduction)


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy from logits, targets in [0, 1] of the logits' shape:
    `BCEWithLogitsLoss(reduction="mean")(logits, targets)` (see
    `nn.functional.binary_cross_entropy_with_logits`); stable for logits of any size."""

    alternatives = {
        "weight": "Take reduction='none' and weight the losses yourself: (losses * w).mean().",
        "pos_weight": "Write the loss out: p * y * softplus(-z) + (1 - y) * softplus(z), with "
                      "softplus(z) = maximum(z, 0) + log(1 + exp(-abs(z))).",
        "size_average": "Use reduction='mean' or 'sum'.",
        "reduce": "Use reduction='none' for one loss per element.",
    }

    def forward(self, logits: Any, targets: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(logits, targets, reduction=self.reduction)
