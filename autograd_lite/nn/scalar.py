"""Neural nets on the scalar engine: every weight is its own `Value`, for learners who want
to see (and draw) each one.

The same ideas as `nn.Linear` / `nn.MLP`, written one neuron at a time. A neuron records its
pre-activation `w . x + b` as one `linear` node (see `linear`) whose parents are its weights,
then its inputs, then its bias, so every weight is still its own box in a drawing with its own
gradient; the activation is one more node. micrograd builds the same sum as one `mul` per
weight and one `add` per term: the numbers and the gradients are the same, the graph ten times
larger. To see every product, build the sum by hand:

    total = neuron.b
    for wi, xi in zip(neuron.w, x):
        total = total + wi * xi              # a mul and an add node per weight
    out = total.relu()

Much slower than the Tensor layers; meant for small data.

    model = nn.scalar.MLP(2, [8, 8, 1])          # 2 inputs, two hidden layers, one output
    score = model([0.5, -1.0])                   # a single Value
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from ..arguments import check_choice
from ..ops.scalar import ScalarLinear
from ..random import get_generator
from ..value import Value, as_value, new_value
from .activations import check_activation
from .layers import check_size
from .module import Module

__all__ = ["MLP", "Layer", "Neuron", "binary_cross_entropy_with_logits", "hinge_loss", "linear"]

#: Activations a scalar neuron accepts; "linear" (or None) means no activation.
SCALAR_ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

Number = Value | float

#: A Value's float (what `ScalarLinear.forward` reads from each parent).
DATA = attrgetter("_data")


def linear(
    weights: Sequence[Number], inputs: Sequence[Number], bias: Number | None = None
) -> Value:
    """`weights[0] * inputs[0] + ... + weights[n-1] * inputs[n-1] + bias` as one node.

    `weights` and `inputs` are sequences of the same length of Values or numbers (a number
    becomes a constant, as in `v * 2.0`); `bias` is a Value, a number, or None for no bias.
    Returns one Value made by the op `linear` (`ScalarLinear`), whose parents are the weights,
    then the inputs, then the bias: backward gives each of them its own gradient
    (`grad_w[i] = grad_out * x[i]`, `grad_x[i] = grad_out * w[i]`, `grad_b = grad_out`), the
    same as the graph of products and sums. Raises `ValueError` when the lengths differ.
    """
    weight_values = [as_value(w) for w in weights]
    input_values = [as_value(x) for x in inputs]
    if len(weight_values) != len(input_values):
        raise ValueError(
            f"nn.scalar.linear: got {len(weight_values)} weights but {len(input_values)} inputs; "
            "pass one weight per input"
        )
    return weighted_sum(weight_values, input_values, None if bias is None else as_value(bias))


def weighted_sum(weights: list[Value], inputs: list[Value], bias: Value | None) -> Value:
    """`linear` without the checks, on Values: run `ScalarLinear` and record its node."""
    op = ScalarLinear()
    w = tuple(map(DATA, weights))
    x = tuple(map(DATA, inputs))
    if bias is None:
        return new_value(op.forward(w, x), op, (*weights, *inputs))
    return new_value(op.forward(w, x, bias._data), op, (*weights, *inputs, bias))


class Neuron(Module):
    """One unit: `act(w[0] * x[0] + ... + w[nin-1] * x[nin-1] + b)`.

    `w` is a list of `nin` Values and `b` a Value, drawn uniformly from `[-k, k]` with
    `k = 1 / sqrt(nin)` (as `nn.Linear`). `activation` is "relu", "tanh", "sigmoid" or
    "linear" (None also means linear). The input is a sequence of `nin` Values or numbers;
    the output is one Value. The graph: one `linear` node (parents: the weights, the inputs,
    the bias) and one node for the activation.
    """

    def __init__(self, nin: int, activation: str | None = "relu") -> None:
        self.nin = check_size(nin, "nin", "Neuron")
        self.activation = check_activation(
            "linear" if activation is None else activation, "Neuron", SCALAR_ACTIVATIONS
        )
        rng = get_generator()
        k = 1.0 / math.sqrt(self.nin)
        self.w = [Value(float(rng.uniform(-k, k)), label=f"w{i}") for i in range(self.nin)]
        self.b = Value(float(rng.uniform(-k, k)), label="b")

    def forward(self, x: Sequence[Number]) -> Value:
        x = _check_inputs(x, self.nin, "Neuron")
        return self.evaluate(x)

    def evaluate(self, x: list[Value]) -> Value:
        """`forward` on inputs already checked and made Values (the layers do that once)."""
        total = weighted_sum(self.w, x, self.b)
        if self.activation == "linear":
            return total
        return getattr(total, self.activation)()

    def extra_repr(self) -> str:
        return f"nin={self.nin}, activation={self.activation!r}"


class Layer(Module):
    """`nout` neurons reading the same `nin` inputs; returns a list of `nout` Values."""

    def __init__(self, nin: int, nout: int, activation: str | None = "relu") -> None:
        self.nin = check_size(nin, "nin", "Layer")
        self.nout = check_size(nout, "nout", "Layer")
        self.neurons = [Neuron(self.nin, activation) for _ in range(self.nout)]

    def forward(self, x: Sequence[Number]) -> list[Value]:
        x = _check_inputs(x, self.nin, "Layer")
        return [n.evaluate(x) for n in self.neurons]

    def extra_repr(self) -> str:
        return f"nin={self.nin}, nout={self.nout}, activation={self.neurons[0].activation!r}"

    def __repr__(self) -> str:  # one line instead of one per neuron
        return f"Layer({self.extra_repr()})"


class MLP(Module):
    """Layers of neurons: `MLP(2, [16, 16, 1])` maps 2 inputs through two hidden layers.

    Every layer but the last uses `activation`; the last is linear. The input is a sequence
    of `nin` Values or numbers (a list or a 1-D array); the output is a list of Values, or a
    single Value when the last layer has width 1. `.layers` lists the `Layer`s. Parameters
    are labelled by position (`L0.n3.w1`, `L1.n0.b`) so drawings name them.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu") -> None:
        nin = check_size(nin, "nin", "MLP")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(f"MLP: nouts must be a non-empty list of layer widths, got {nouts!r}")
        sizes = [check_size(n, f"nouts[{i}]", "MLP") for i, n in enumerate(nouts)]
        activation = check_activation(activation, "MLP")
        self.nin = nin
        self.nouts = sizes
        widths = [nin, *sizes]
        last = len(sizes) - 1
        self.layers = [
            Layer(widths[i], widths[i + 1], activation if i < last else "linear")
            for i in range(len(sizes))
        ]
        for li, layer in enumerate(self.layers):
            for ni, neuron in enumerate(layer.neurons):
                for wi, w in enumerate(neuron.w):
                    w.label = f"L{li}.n{ni}.w{wi}"
                neuron.b.label = f"L{li}.n{ni}.b"

    def forward(self, x: Sequence[Number]) -> Value | list[Value]:
        values = _check_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            values = [n.evaluate(values) for n in layer.neurons]
        return values[0] if len(values) == 1 else values

    def extra_repr(self) -> str:
        return f"nin={self.nin}, nouts={self.nouts}"


def binary_cross_entropy_with_logits(
    logits: Sequence[Value], targets: Sequence[float], reduction: str = "mean"
) -> Value:
    """The mean (or sum) over samples of `-(y log s(z) + (1 - y) log(1 - s(z)))`, `s` = sigmoid.

    Each term is `softplus(z) - z * y`, with `softplus(z) = log(1 + exp(z))` written so that it
    never overflows: `z + log(1 + exp(-z))` when `z > 0`. Targets lie in [0, 1].
    """
    where = "nn.scalar.binary_cross_entropy_with_logits"
    logits, targets = _check_pairs(logits, targets, where)
    if any(not 0.0 <= y <= 1.0 for y in targets):
        raise ValueError(f"{where}: targets must lie in [0, 1] (class labels 0 and 1)")
    terms = []
    for z, y in zip(logits, targets):
        z = z if isinstance(z, Value) else Value(z)
        if z.data > 0:
            softplus = z + (1.0 + (-z).exp()).log()
        else:
            softplus = (1.0 + z.exp()).log()
        terms.append(softplus - z * y)
    return _reduce(terms, reduction, where)


def hinge_loss(scores: Sequence[Value], labels: Sequence[float], reduction: str = "mean") -> Value:
    """The mean (or sum) over samples of `max(0, 1 - y * score)`, labels `y` in {-1, +1}."""
    where = "nn.scalar.hinge_loss"
    scores, labels = _check_pairs(scores, labels, where)
    if any(y not in (-1.0, 1.0) for y in labels):
        raise ValueError(f"{where}: labels must be -1 or +1; map 0/1 labels with 2 * y - 1")
    terms = [
        (1.0 - (s if isinstance(s, Value) else Value(s)) * y).relu() for s, y in zip(scores, labels)
    ]
    return _reduce(terms, reduction, where)


def _check_inputs(x: Any, nin: int, where: str) -> list[Value]:
    """The input as a list of Values (numbers become constants), after checking its length."""
    try:
        items = list(x)
    except TypeError:
        raise TypeError(
            f"{where}: the input must be a sequence of {nin} numbers or Values, got "
            f"{type(x).__name__}"
        ) from None
    if len(items) != nin:
        raise ValueError(f"{where}: expected {nin} inputs (nin={nin}), got {len(items)}")
    return [as_value(xi) for xi in items]


def _check_pairs(
    outputs: Sequence[Any], targets: Sequence[Any], where: str
) -> tuple[list[Any], list[float]]:
    outputs = [outputs] if isinstance(outputs, Value) else list(outputs)
    values: list[Any] = list(targets) if hasattr(targets, "__len__") else [targets]
    floats = [float(y) for y in values]
    if len(outputs) != len(floats):
        raise ValueError(
            f"{where}: got {len(outputs)} outputs but {len(floats)} targets; they must pair up"
        )
    if not outputs:
        raise ValueError(f"{where}: got no samples")
    return outputs, floats


def _reduce(terms: list[Value], reduction: str, where: str) -> Value:
    check_choice(reduction, "reduction", where, ("mean", "sum"))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    if reduction == "sum" or len(terms) == 1:
        return total
    return total * (1.0 / len(terms))
