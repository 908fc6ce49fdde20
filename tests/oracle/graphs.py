"""Random composite graphs, built step by step in autograd_lite and replayed in PyTorch.

A graph starts from a few leaves whose shapes all broadcast to `BASE` (so broadcasting happens
everywhere) and a 4 x 4 weight leaf. Each step applies one recipe (an op or a short
composition) to operands picked from every node built so far, so nodes are reused by many
later steps (shared subexpressions, fan-out, diamonds). Steps keep every node's shape
broadcastable to `BASE`. The choices depend only on shapes and on a seeded generator, and are
recorded, so the same recipe replays exactly in the other engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd_lite as ag
from autograd_lite import Tensor

BASE = (2, 3, 4)
LEAF_SHAPES = [(2, 3, 4), (3, 4), (4,), (3, 1), (1, 4), (), (2, 1, 4), (2, 3, 1), (1,)]
UNARY = ["neg", "exp_tanh", "sin", "cos", "tanh", "sigmoid", "soft_sqrt", "soft_log",
         "abs_shift", "relu_shift", "clip", "pow_const", "rpow", "square", "scale", "softmax",
         "log_softmax", "flip", "gather", "transpose_roundtrip", "reshape_roundtrip",
         "matmul_weight", "matvec", "reduce", "mask_sum"]
BINARY = ["add", "sub", "mul", "safe_div", "maximum", "minimum", "pow_pos", "where",
          "stack_mean", "concat_fold"]
REDUCE_KINDS = ["sum", "mean", "max", "min", "logsumexp"]


@dataclass
class Step:
    name: str
    args: tuple[int, ...]
    params: dict[str, Any] = field(default_factory=dict)


class AgEngine:
    """The recipes' vocabulary in autograd_lite."""

    name = "autograd_lite"

    def leaf(self, a: np.ndarray) -> Tensor:
        return Tensor(a, requires_grad=True)

    def const(self, a: Any) -> Tensor:
        return Tensor(np.asarray(a, dtype=np.float64))

    def shape(self, x: Any) -> tuple[int, ...]:
        return tuple(x.shape)

    def unary(self, name: str, x: Tensor) -> Tensor:
        return getattr(x, name)()

    clip = staticmethod(lambda x, lo, hi: x.clip(lo, hi))
    maximum = staticmethod(ag.maximum)
    minimum = staticmethod(ag.minimum)
    where = staticmethod(ag.where)
    matmul = staticmethod(ag.matmul)
    softmax = staticmethod(lambda x, axis: x.softmax(axis=axis))
    log_softmax = staticmethod(lambda x, axis: x.log_softmax(axis=axis))
    reshape = staticmethod(lambda x, shape: x.reshape(shape))
    transpose = staticmethod(lambda x: x.T)
    broadcast_to = staticmethod(lambda x, shape: x.broadcast_to(shape))
    flip_last = staticmethod(lambda x: x[..., ::-1])
    take_last = staticmethod(lambda x, idx: x[..., idx])
    masked = staticmethod(lambda x, mask: x[mask])
    corner = staticmethod(lambda w, k: w[:k, :k])
    concatenate = staticmethod(lambda xs, axis: ag.concatenate(xs, axis=axis))
    stack = staticmethod(lambda xs, axis: ag.stack(xs, axis=axis))

    def reduce(self, kind: str, x: Tensor, axis: Any, keepdims: bool) -> Tensor:
        return getattr(x, kind)(axis=axis, keepdims=keepdims)


class TorchEngine:
    """The same vocabulary in PyTorch (float64)."""

    name = "torch"

    def __init__(self, torch: Any) -> None:
        self.torch = torch

    def leaf(self, a: np.ndarray) -> Any:
        return self.torch.tensor(a, dtype=self.torch.float64, requires_grad=True)

    def const(self, a: Any) -> Any:
        return self.torch.tensor(np.asarray(a, dtype=np.float64))

    def shape(self, x: Any) -> tuple[int, ...]:
        return tuple(x.shape)

    def unary(self, name: str, x: Any) -> Any:
        return getattr(self.torch, name)(x)

    def clip(self, x: Any, lo: float, hi: float) -> Any:
        return self.torch.clamp(x, lo, hi)

    def maximum(self, x: Any, y: Any) -> Any:
        return self.torch.maximum(x, y)

    def minimum(self, x: Any, y: Any) -> Any:
        return self.torch.minimum(x, y)

    def where(self, cond: np.ndarray, x: Any, y: Any) -> Any:
        return self.torch.where(self.torch.as_tensor(cond), x, y)

    def matmul(self, x: Any, y: Any) -> Any:
        return self.torch.matmul(x, y)

    def softmax(self, x: Any, axis: int) -> Any:
        return self.torch.softmax(x, dim=axis)

    def log_softmax(self, x: Any, axis: int) -> Any:
        return self.torch.log_softmax(x, dim=axis)

    def reshape(self, x: Any, shape: tuple[int, ...]) -> Any:
        return x.reshape(shape)

    def transpose(self, x: Any) -> Any:
        return x.permute(tuple(reversed(range(x.ndim))))

    def broadcast_to(self, x: Any, shape: tuple[int, ...]) -> Any:
        return self.torch.broadcast_to(x, shape)

    def flip_last(self, x: Any) -> Any:
        return self.torch.flip(x, dims=(-1,))

    def take_last(self, x: Any, idx: np.ndarray) -> Any:
        return x[..., self.torch.as_tensor(idx)]

    def masked(self, x: Any, mask: np.ndarray) -> Any:
        return x[self.torch.as_tensor(mask)]

    def corner(self, w: Any, k: int) -> Any:
        return w[:k, :k]

    def concatenate(self, xs: list[Any], axis: int) -> Any:
        return self.torch.cat(xs, dim=axis)

    def stack(self, xs: list[Any], axis: int) -> Any:
        return self.torch.stack(xs, dim=axis)

    def reduce(self, kind: str, x: Any, axis: Any, keepdims: bool) -> Any:
        dims = tuple(range(x.ndim)) if axis is None else (axis,)
        if not dims:
            return x
        if kind in ("max", "min"):
            return getattr(self.torch, "a" + kind)(x, dim=dims, keepdim=keepdims)
        return getattr(self.torch, kind)(x, dim=dims, keepdim=keepdims)


def apply_step(E: Any, step: Step, nodes: list[Any], weight: Any) -> Any:
    """Run one recipe step in engine `E`."""
    p = step.params
    a = nodes[step.args[0]]
    b = nodes[step.args[1]] if len(step.args) > 1 else None
    name = step.name
    if name == "neg":
        return -a
    if name == "exp_tanh":
        return E.unary("exp", E.unary("tanh", a))
    if name in ("sin", "cos", "tanh", "sigmoid"):
        return E.unary(name, a)
    if name == "soft_sqrt":
        return E.unary("sqrt", a * a + 0.5)
    if name == "soft_log":
        return E.unary("log", a * a + 0.5)
    if name == "abs_shift":
        return E.unary("abs", a + p["shift"])
    if name == "relu_shift":
        return E.unary("relu", a - p["shift"])
    if name == "clip":
        return E.clip(a, p["lo"], p["hi"])
    if name == "pow_const":
        return (a * a + 0.5) ** p["exponent"]
    if name == "rpow":
        return p["base"] ** E.unary("tanh", a)
    if name == "square":
        return a * a
    if name == "scale":
        return a * E.const(p["scale"])
    if name == "softmax":
        return E.softmax(a, p["axis"])
    if name == "log_softmax":
        return E.log_softmax(a, p["axis"])
    if name == "flip":
        return E.flip_last(a)
    if name == "gather":
        return E.take_last(a, p["index"])
    if name == "transpose_roundtrip":
        return E.transpose(E.unary("sin", E.transpose(a)) * E.const(p["scale"]))
    if name == "reshape_roundtrip":
        flat = E.reshape(a, (-1,)) * E.const(p["scale"])
        return E.reshape(flat, E.shape(a))
    if name == "matmul_weight":
        return E.matmul(a, E.corner(weight, E.shape(a)[-1]))
    if name == "matvec":
        k = E.shape(a)[-1]
        row = E.reshape(E.corner(weight, k), (k * k,))[:k]
        return E.reshape(E.matmul(a, row), E.shape(a)[:-1] + (1,))
    if name == "reduce":
        return E.reduce(p["kind"], a, p["axis"], p["keepdims"])
    if name == "mask_sum":
        return E.reduce("sum", E.masked(a, p["mask"]), None, False)
    if name == "add":
        return a + b
    if name == "sub":
        return a - b
    if name == "mul":
        return a * b
    if name == "safe_div":
        return a / (b * b + 0.5)
    if name == "maximum":
        return E.maximum(a, b)
    if name == "minimum":
        return E.minimum(a, b)
    if name == "pow_pos":
        return (a * a + 0.5) ** E.unary("tanh", b)
    if name == "where":
        return E.where(p["cond"], a, b)
    common = p["common"]
    if name == "stack_mean":
        both = E.stack([E.broadcast_to(a, common), E.broadcast_to(b, common)], 0)
        return E.reduce("mean", both, 0, False)
    if name == "concat_fold":
        joined = E.concatenate([E.broadcast_to(a, common), E.broadcast_to(b, common)], -1)
        folded = E.reshape(joined, common[:-1] + (2, common[-1]))
        return E.reduce("sum", folded, -2, False)
    raise ValueError(f"unknown recipe step {name!r}")


def choose_step(rng: np.random.Generator, shapes: list[tuple[int, ...]]) -> Step:
    """A random step whose operands' shapes suit it; biased towards recent nodes."""
    n = len(shapes)
    weights = np.arange(1, n + 1, dtype=float) ** 1.5

    def pick() -> int:
        return int(rng.choice(n, p=weights / weights.sum()))

    while True:
        binary = rng.random() < 0.4
        name = str(rng.choice(BINARY if binary else UNARY))
        args = (pick(), pick()) if binary else (pick(),)
        shape = shapes[args[0]]
        ndim = len(shape)
        params: dict[str, Any] = {}
        if name in ("softmax", "log_softmax", "flip", "gather", "matmul_weight", "matvec",
                    "transpose_roundtrip") and ndim == 0:
            continue
        if name in ("abs_shift", "relu_shift"):
            params["shift"] = float(rng.uniform(-0.5, 0.5))
        elif name == "clip":
            lo = float(rng.uniform(-1.0, 0.2))
            params.update(lo=lo, hi=lo + float(rng.uniform(0.2, 1.5)))
        elif name == "pow_const":
            params["exponent"] = float(rng.choice([1.5, -0.5, 2.0, 3.0]))
        elif name == "rpow":
            params["base"] = float(rng.uniform(0.5, 3.0))
        elif name == "scale":
            params["scale"] = rng.uniform(-1.5, 1.5, size=shape)
        elif name in ("transpose_roundtrip",):
            params["scale"] = rng.uniform(-1.5, 1.5, size=tuple(reversed(shape)))
        elif name == "reshape_roundtrip":
            params["scale"] = rng.uniform(-1.5, 1.5, size=(math.prod(shape),))
        elif name in ("softmax", "log_softmax"):
            params["axis"] = int(rng.integers(-ndim, ndim))
        elif name == "gather":
            params["index"] = rng.integers(0, shape[-1], size=shape[-1])
        elif name == "reduce":
            kind = str(rng.choice(REDUCE_KINDS))
            options: list[tuple[Any, bool]] = [(None, False), (None, True)]
            if ndim:
                options += [(-1, True), (0, False), (ndim - 1, True), (0, True)]
            axis, keepdims = options[int(rng.integers(len(options)))]
            params.update(kind=kind, axis=axis, keepdims=keepdims)
        elif name == "mask_sum":
            params["mask"] = rng.random(shape) < 0.6
        elif name == "where":
            common = np.broadcast_shapes(shape, shapes[args[1]])
            cond_shape = common[int(rng.integers(0, len(common) + 1)):]
            params["cond"] = rng.random(cond_shape) < 0.5
        elif name in ("stack_mean", "concat_fold"):
            common = np.broadcast_shapes(shape, shapes[args[1]])
            if name == "concat_fold" and not common:
                continue
            params["common"] = tuple(common)
        return Step(name, args, params)


@dataclass
class Graph:
    """A generated graph: leaf values, the weight leaf, the steps, and the loss weights."""

    leaves: list[np.ndarray]
    weight: np.ndarray
    steps: list[Step]
    loss_weights: list[np.ndarray]
    retained: list[int]


def generate(seed: int, n_steps: int = 16) -> Graph:
    """A random graph: its steps are chosen while building it with autograd_lite."""
    rng = np.random.default_rng(seed)
    count = int(rng.integers(2, 5))
    leaves = [rng.standard_normal(LEAF_SHAPES[int(i)])
              for i in rng.choice(len(LEAF_SHAPES), count)]
    weight = rng.standard_normal((4, 4)) * 0.5
    E = AgEngine()
    nodes = [E.leaf(a) for a in leaves]
    w = E.leaf(weight)
    steps = []
    for _ in range(n_steps):
        step = choose_step(rng, [tuple(x.shape) for x in nodes])
        nodes.append(apply_step(E, step, nodes, w))
        steps.append(step)
    loss_weights = [rng.standard_normal(tuple(x.shape)) for x in nodes[count:]]
    retained = sorted({int(i) for i in rng.integers(count, len(nodes), size=3)})
    return Graph(leaves, weight, steps, loss_weights, retained)


def run(E: Any, graph: Graph) -> tuple[list[Any], Any, list[Any]]:
    """Build the graph in engine `E`: returns (leaves incl. the weight, all nodes, loss)."""
    leaves = [E.leaf(a) for a in graph.leaves]
    weight = E.leaf(graph.weight)
    nodes = list(leaves)
    for step in graph.steps:
        nodes.append(apply_step(E, step, nodes, weight))
    for i in graph.retained:
        nodes[i].retain_grad()
    loss = None
    for node, w in zip(nodes[len(leaves):], graph.loss_weights):
        term = E.reduce("sum", node * E.const(w), None, False)
        loss = term if loss is None else loss + term
    return leaves + [weight], nodes, loss
