"""Test cases for every registered Tensor op: how to call it, on which shapes and domains.

`tests/ops/test_registry_coverage.py` fails if an op of the registry has no case here, so a new
op cannot skip the gradient checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import autograd_lite as ag
from autograd_lite import Tensor


@dataclass
class Case:
    """One way to call one op: `fn(*tensors)` on inputs of `shapes` drawn from `domain`.

    domain: "real" (standard normal), "positive" (0.5 .. 2), "away_from_zero" (|x| in
    0.2 .. 2, for kinks at 0), "distinct" (well-separated values, for max/min ties).
    """

    op: str
    fn: Callable[..., Tensor]
    shapes: list[tuple[int, ...]]
    domain: str | list[str] = "real"
    name: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        shapes = "_".join("x".join(map(str, s)) or "0d" for s in self.shapes)
        return f"{self.op}-{self.name or shapes}"

    def sample(self, rng: np.random.Generator) -> list[np.ndarray]:
        domains = self.domain if isinstance(self.domain, list) else [self.domain] * len(self.shapes)
        arrays = []
        for shape, domain in zip(self.shapes, domains):
            if domain == "positive":
                a = rng.uniform(0.5, 2.0, shape)
            elif domain == "away_from_zero":
                a = rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
            elif domain == "distinct":
                n = int(np.prod(shape)) if shape else 1
                a = (rng.permutation(n) * 0.37 - n * 0.15).reshape(shape)
            else:
                a = rng.standard_normal(shape)
            arrays.append(np.asarray(a, dtype=np.float64))
        return arrays


#: Targets of the binary cross-entropy cases: labels and soft targets in [0, 1].
BCE_TARGETS = np.array([[1.0, 0.0, 0.25], [0.0, 1.0, 0.75]])


def _pairs(op: str, fn: Callable, domain: str | list[str] = "real") -> list[Case]:
    """The broadcasting pairs every binary elementwise op is checked on."""
    shapes = [
        [(3,), (3,)], [(2, 3), (3,)], [(2, 1), (1, 3)], [(), (4,)], [(2, 3), ()],
        [(1,), (2, 1)], [(), ()], [(2, 1, 3), (4, 1)],
    ]
    return [Case(op, fn, s, domain) for s in shapes]


CASES: list[Case] = [
    *_pairs("add", lambda x, y: x + y),
    *_pairs("sub", lambda x, y: x - y),
    *_pairs("mul", lambda x, y: x * y),
    *_pairs("div", lambda x, y: x / y, ["real", "away_from_zero"]),
    *_pairs("pow", lambda x, y: x ** y, ["positive", "real"]),
    Case("pow", lambda x: x ** 3, [(2, 3)], name="cube"),
    Case("pow", lambda x: x ** 2.5, [(4,)], "positive", name="const-exponent"),
    Case("pow", lambda x: 2.0 ** x, [(3,)], name="const-base"),
    Case("mod", lambda x, y: x % y, [(3,), (3,)], ["real", "positive"]),
    Case("mod", lambda x, y: ag.mod(x, y), [(2, 3), (3,)], ["real", "positive"], name="broadcast"),
    Case("mod", lambda x: x % 0.7, [(4,)], name="const-divisor"),
    Case("neg", lambda x: -x, [(3,)]),
    Case("neg", lambda x: -x, [()]),
    Case("exp", lambda x: x.exp(), [(2, 3)]),
    Case("exp", lambda x: ag.exp(x), [()]),
    Case("log", lambda x: x.log(), [(2, 3)], "positive"),
    Case("log", lambda x: ag.log(x), [(1,)], "positive"),
    Case("sqrt", lambda x: x.sqrt(), [(2, 3)], "positive"),
    Case("sqrt", lambda x: ag.sqrt(x), [()], "positive"),
    Case("abs", lambda x: x.abs(), [(2, 3)], "away_from_zero"),
    Case("abs", lambda x: abs(x), [()], "away_from_zero"),
    Case("sin", lambda x: x.sin(), [(2, 3)]),
    Case("sin", lambda x: ag.sin(x), [()]),
    Case("cos", lambda x: x.cos(), [(2, 3)]),
    Case("cos", lambda x: ag.cos(x), [(1, 1)]),
    Case("tanh", lambda x: x.tanh(), [(2, 3)]),
    Case("tanh", lambda x: ag.tanh(x), [()]),
    Case("sigmoid", lambda x: x.sigmoid(), [(2, 3)]),
    Case("sigmoid", lambda x: ag.sigmoid(x), [()]),
    Case("relu", lambda x: x.relu(), [(2, 3)], "away_from_zero"),
    Case("relu", lambda x: ag.relu(x), [()], "away_from_zero"),
    *_pairs("maximum", lambda x, y: ag.maximum(x, y)),
    *_pairs("minimum", lambda x, y: ag.minimum(x, y)),
    Case("clip", lambda x: x.clip(-0.5, 0.5), [(3, 4)]),
    Case("clip", lambda x: ag.clip(x, None, 0.3), [(5,)], name="upper-only"),
    Case("clip", lambda x: ag.clip(x, -0.2, None), [()], name="lower-only"),
    Case("clip", lambda x, lo, hi: x.clip(lo, hi), [(3, 4), (4,), (3, 1)],
         name="tensor-bounds"),
    Case("clip", lambda x, lo: ag.clip(x, lo, 0.5), [(2, 3), (2, 1)], name="tensor-lower"),
    Case("clip", lambda x, hi: x.clip(None, hi), [(4,), ()], name="tensor-upper"),
    Case("where", lambda x, y: ag.where(np.array([True, False, True]), x, y), [(3,), (3,)]),
    Case("where", lambda x, y: ag.where(np.array([[True], [False]]), x, y), [(3,), (2, 3)]),
    Case("where", lambda x, y: ag.where(np.array([[True, False, True]] * 2), x, y),
         [(), (1, 3)], name="cond-broadcasts"),
    Case("sum", lambda x: x.sum(), [(2, 3)]),
    Case("sum", lambda x: x.sum(axis=0), [(2, 3)], name="axis0"),
    Case("sum", lambda x: x.sum(axis=(0, 2)), [(2, 3, 4)], name="axes02"),
    Case("sum", lambda x: x.sum(axis=-1, keepdims=True), [(2, 3)], name="keepdims"),
    Case("sum", lambda x: ag.sum(x), [()], name="0d"),
    Case("mean", lambda x: x.mean(), [(2, 3)]),
    Case("mean", lambda x: x.mean(axis=1), [(2, 3)], name="axis1"),
    Case("mean", lambda x: x.mean(axis=(0, 1), keepdims=True), [(2, 3, 2)], name="keepdims"),
    Case("mean", lambda x: ag.mean(x), [()], name="0d"),
    Case("max", lambda x: x.max(), [(2, 3)], "distinct"),
    Case("max", lambda x: x.max(axis=1), [(2, 3)], "distinct", name="axis1"),
    Case("max", lambda x: x.max(axis=(0, 2), keepdims=True), [(2, 3, 2)], "distinct",
         name="keepdims"),
    Case("max", lambda x: ag.max(x, axis=0), [(1, 4)], "distinct", name="size1"),
    Case("min", lambda x: x.min(), [(2, 3)], "distinct"),
    Case("min", lambda x: x.min(axis=0), [(2, 3)], "distinct", name="axis0"),
    Case("min", lambda x: ag.min(x, axis=-1, keepdims=True), [(3, 2)], "distinct",
         name="keepdims"),
    Case("logsumexp", lambda x: x.logsumexp(), [(2, 3)]),
    Case("logsumexp", lambda x: x.logsumexp(axis=1), [(2, 3)], name="axis1"),
    Case("logsumexp", lambda x: ag.logsumexp(x, axis=(0, 1), keepdims=True), [(2, 3, 2)],
         name="keepdims"),
    Case("prod", lambda x: x.prod(), [(2, 3)]),
    Case("prod", lambda x: x.prod(axis=1), [(2, 3)], name="axis1"),
    Case("prod", lambda x: ag.prod(x, axis=(0, 2), keepdims=True), [(2, 3, 2)], name="keepdims"),
    Case("prod", lambda x: ag.prod(x), [()], name="0d"),
    Case("var", lambda x: x.var(), [(2, 3)]),
    Case("var", lambda x: x.var(axis=0, ddof=1), [(3, 2)], name="ddof1"),
    Case("var", lambda x: ag.var(x, axis=(0, 2), keepdims=True), [(2, 3, 2)], name="keepdims"),
    Case("std", lambda x: ag.std(x, axis=-1), [(2, 4)], "distinct"),
    Case("std", lambda x: x.std(ddof=1), [(3,)], "distinct", name="ddof1"),
    Case("std", lambda x: x.std(axis=(0, 2), keepdims=True), [(2, 3, 2)], "distinct",
         name="keepdims"),
    Case("norm", lambda x: ag.norm(x), [(2, 3)]),
    Case("norm", lambda x: x.norm(axis=1), [(2, 3)], name="axis1"),
    Case("norm", lambda x: ag.norm(x, "fro", axis=(0, 2), keepdims=True), [(2, 3, 2)],
         name="fro-keepdims"),
    Case("cumsum", lambda x: x.cumsum(axis=1), [(2, 3)]),
    Case("cumsum", lambda x: ag.cumsum(x), [(2, 3)], name="flat"),
    Case("cumsum", lambda x: x.cumsum(axis=0), [(4,)], name="1d"),
    Case("softmax", lambda x: x.softmax(), [(2, 3)]),
    Case("softmax", lambda x: ag.softmax(x, axis=0), [(3, 2)], name="axis0"),
    Case("softmax", lambda x: x.softmax(axis=0), [(4,)], name="1d"),
    Case("log_softmax", lambda x: x.log_softmax(), [(2, 3)]),
    Case("log_softmax", lambda x: ag.log_softmax(x, axis=0), [(3, 2)], name="axis0"),
    Case("reshape", lambda x: x.reshape(3, 2), [(2, 3)]),
    Case("reshape", lambda x: x.reshape((1, 6, 1)), [(6,)], name="add-axes"),
    Case("reshape", lambda x: ag.reshape(x, (1,)), [()], name="0d"),
    Case("transpose", lambda x: x.T, [(2, 3)]),
    Case("transpose", lambda x: x.transpose(1, 0, 2), [(2, 3, 4)], name="axes"),
    Case("transpose", lambda x: ag.swapaxes(x, 0, -1), [(2, 3, 4)], name="swapaxes"),
    Case("broadcast_to", lambda x: x.broadcast_to((2, 3)), [(3,)]),
    Case("broadcast_to", lambda x: ag.broadcast_to(x, (4, 3)), [(1, 3)], name="size1"),
    Case("broadcast_to", lambda x: x.broadcast_to((2, 2)), [()], name="0d"),
    Case("getitem", lambda x: x[1:, ::2], [(3, 4)], name="slices"),
    Case("getitem", lambda x: x[np.array([0, 0, 2])], [(3, 2)], name="repeated"),
    Case("getitem", lambda x: x[[1, 1], [0, 0]], [(3, 2)], name="repeated-pairs"),
    Case("getitem", lambda x: x[np.array([[True, False], [False, True], [True, True]])],
         [(3, 2)], name="bool-mask"),
    Case("getitem", lambda x: x[..., 1], [(2, 3)], name="ellipsis"),
    Case("getitem", lambda x: x[None, 0], [(2, 3)], name="newaxis"),
    Case("getitem", lambda x: x[1], [(4,)], name="int"),
    Case("scatter_add", lambda x: x._scatter_add(np.array([0, 2, 0]), (4,)), [(3,)]),
    Case("scatter_add", lambda x: x._scatter_add((slice(1, 3),), (4, 2)), [(2, 2)],
         name="slice"),
    Case("concatenate", lambda x, y: ag.concatenate([x, y]), [(2, 3), (1, 3)]),
    Case("concatenate", lambda x, y: ag.concatenate([x, y, x], axis=-1), [(2, 1), (2, 3)],
         name="axis-1"),
    Case("stack", lambda x, y: ag.stack([x, y]), [(3,), (3,)]),
    Case("stack", lambda x, y: ag.stack([x, y, x], axis=1), [(2, 2), (2, 2)], name="axis1"),
    Case("stack", lambda x, y: ag.stack([x, y]), [(), ()], name="0d"),
    Case("matmul", lambda x, y: x @ y, [(3, 4), (4, 2)]),
    Case("matmul", lambda x, y: x @ y, [(4,), (4, 2)], name="vec-mat"),
    Case("matmul", lambda x, y: x @ y, [(3, 4), (4,)], name="mat-vec"),
    Case("matmul", lambda x, y: x @ y, [(4,), (4,)], name="vec-vec"),
    Case("matmul", lambda x, y: x @ y, [(2, 3, 4), (4, 5)], name="batched"),
    Case("matmul", lambda x, y: ag.matmul(x, y), [(2, 1, 3, 4), (5, 4, 2)],
         name="broadcast-batch"),
    Case("matmul", lambda x, y: x @ y, [(3,), (2, 3, 4)], name="vec-batched"),
    Case("matmul", lambda x, y: x @ y, [(2, 3, 4), (4,)], name="batched-vec"),
    Case("linear", lambda x, w, b: ag.linear(x, w, b), [(5, 3), (4, 3), (4,)]),
    Case("linear", lambda x, w: ag.linear(x, w), [(5, 3), (4, 3)], name="no-bias"),
    Case("linear", lambda x, w, b: ag.linear(x, w, b), [(3,), (2, 3), (2,)], name="one-sample"),
    Case("linear", lambda x, w, b: ag.nn.functional.linear(x, w, b), [(2, 3, 4), (2, 4), (2,)],
         name="batch-axes"),
    Case("mse_loss", lambda p, t: ag.nn.functional.mse_loss(p, t), [(4, 2), (4, 2)]),
    Case("mse_loss", lambda p, t: ag.nn.functional.mse_loss(p, t, reduction="sum"), [(3,), (3,)],
         name="sum"),
    Case("mse_loss", lambda p, t: ag.nn.functional.mse_loss(p, t, reduction="none"),
         [(2, 3), (2, 3)], name="none"),
    Case("mse_loss", lambda p: ag.nn.functional.mse_loss(p, np.array([0.5, -1.0, 2.0])), [(3,)],
         name="data-target"),
    Case("binary_cross_entropy_with_logits",
         lambda z: ag.nn.functional.binary_cross_entropy_with_logits(z, BCE_TARGETS), [(2, 3)]),
    Case("binary_cross_entropy_with_logits",
         lambda z: ag.nn.functional.binary_cross_entropy_with_logits(
             z, np.array([1.0, 0.0, 1.0, 1.0]), reduction="sum"), [(4,)], name="sum"),
    Case("binary_cross_entropy_with_logits",
         lambda z: ag.nn.functional.binary_cross_entropy_with_logits(
             z, BCE_TARGETS.T, reduction="none"), [(3, 2)], name="none"),
    Case("binary_cross_entropy_with_logits",
         lambda z: ag.nn.functional.binary_cross_entropy_with_logits(z, 0.0), [()], name="0d"),
    Case("cross_entropy", lambda x: ag.nn.functional.cross_entropy(x, [2, 0, 1, 2]), [(4, 3)]),
    Case("cross_entropy", lambda x: ag.nn.functional.cross_entropy(x, [1, 1], reduction="sum"),
         [(2, 4)], name="sum"),
    Case("cross_entropy", lambda x: ag.nn.functional.cross_entropy(x, [0, 3, 1], reduction="none"),
         [(3, 4)], name="none"),
]
