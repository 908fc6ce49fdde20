"""Graphs and page readers shared by the explorer tests."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

import autograd_lite as ag
from autograd_lite import Tensor, Value, nn
from autograd_lite.nn import functional as F

TRACE = re.compile(
    r'<script type="application/json" id="autograd-lite-trace">(.*?)</script>', re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SPECIAL = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def fan_out() -> tuple[Value, dict[str, Value]]:
    """`tanh((a*b + a**2) * b)`: a and b each feed two ops."""
    a = Value(2.0, label="a")
    b = Value(-0.5, label="b")
    c = a * b
    c.label = "c"
    d = c + a ** 2
    d.label = "d"
    e = d * b
    e.label = "e"
    out = e.tanh()
    out.label = "out"
    return out, {"a": a, "b": b}


def mlp_loss(loss: str = "mse", samples: int = 100, hidden=(16, 16), seed: int = 0):
    """A 2-16-16-1 MLP's loss on `samples` two-moons points: `(loss, model)`."""
    X, y = ag.datasets.make_moons(samples, noise=0.1, seed=seed)
    ag.manual_seed(seed)
    model = nn.MLP(2, [*hidden, 1])
    out = model(Tensor(X, label="X"))
    if loss == "mse":
        root = F.mse_loss(out, Tensor(y[:, None] * 1.0, label="y"))
    else:
        root = F.binary_cross_entropy_with_logits(out.reshape(-1), y * 1.0)
    root.label = "loss"
    return root, model


def scalar_mlp_loss(samples: int, hidden=(16, 16)):
    """The mean squared error of `nn.scalar.MLP(2, [*hidden, 1])` on `samples` points."""
    from autograd_lite.nn import scalar

    X, y = ag.datasets.make_moons(samples, noise=0.1, seed=0)
    ag.manual_seed(0)
    model = scalar.MLP(2, [*hidden, 1])
    preds = [model(row) for row in X.tolist()]
    loss = sum(((p - t) ** 2 for p, t in zip(preds, y.tolist())), Value(0.0)) * (1.0 / samples)
    loss.label = "loss"
    return loss, model


def decode(value: Any) -> Any:
    """The page's JSON numbers back as floats (NaN and infinities are strings there)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str) and value in SPECIAL:
        return SPECIAL[value]
    return value


def read_trace(html: str) -> dict[str, Any]:
    match = TRACE.search(html)
    assert match, "no trace script in the page"
    return json.loads(match.group(1))


def read_svg(html: str) -> str:
    match = SVG.search(html)
    assert match, "no svg in the page"
    return match.group(0)


def as_array(value: Any) -> np.ndarray:
    return np.asarray(decode(value), dtype=np.float64)
