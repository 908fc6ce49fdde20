"""The workloads T1, T2, O1, S1 and S2: their data, initial weights and engines.

Every engine of a workload starts from the same data and the same initial weights, in the
same float dtype, and runs the same computation (a peer that cannot, such as micrograd
without tanh, runs the nearest variant and says so in its note).

    T1  tiny MLP step: batch 100, 2-16-16-1, relu, MSE, SGD, float64
    T2  MLP step: batch 128, 784-256-128-10, relu, softmax cross-entropy, SGD (float64, float32)
    O1  per-op cost: the chain y = relu(y * w + b) on shape-(4,) operands, forward + backward
    S1  scalar MLP epoch: 2-16-16-1 over 100 two-moons points, hinge loss + L2, SGD
    S2  scalar chain y = tanh(0.999 y + 0.001), 1,000 to 1,000,000 links deep, per op
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import peers
from .floors import (
    NumpyMLP,
    PythonScalarMLP,
    numpy_relu_chain,
    python_relu_chain,
    python_tanh_chain,
)
from .harness import Engine

OURS = "autograd_lite"


@dataclass
class MLPSpec:
    """One MLP training step: layer widths, batch, loss ("mse" or "ce"), dtype and rate."""

    name: str
    sizes: list[int]
    batch: int
    loss: str
    dtype: Any
    lr: float


def mlp_spec(name: str, quick: bool = False) -> MLPSpec:
    if name == "T1":
        return MLPSpec("T1", [2, 16, 16, 1], 100 if not quick else 8, "mse", np.float64, 0.05)
    dtype = np.float32 if name.endswith("float32") else np.float64
    sizes = [784, 256, 128, 10] if not quick else [12, 8, 6, 10]
    return MLPSpec(name, sizes, 128 if not quick else 8, "ce", dtype, 0.01)


def mlp_data(spec: MLPSpec, seed: int = 0) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Initial weights `[W0, b0, ...]` (PyTorch's default uniform init), inputs and targets."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(spec.sizes[:-1], spec.sizes[1:]):
        k = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-k, k, size=(fan_out, fan_in)).astype(spec.dtype))
        params.append(rng.uniform(-k, k, size=fan_out).astype(spec.dtype))
    if spec.loss == "mse":
        from autograd_lite.datasets import make_moons

        x, y = make_moons(spec.batch, noise=0.1, seed=seed)
        x = x.astype(spec.dtype)
        target = y.astype(spec.dtype).reshape(-1, 1)
    else:
        x = rng.standard_normal((spec.batch, spec.sizes[0])).astype(spec.dtype)
        target = rng.integers(0, spec.sizes[-1], size=spec.batch)
    return params, x, target


class OursMLP:
    """The step as a user writes it with autograd_lite: nn.MLP, nn.functional, optim.SGD."""

    def __init__(self, params, x, target, loss, lr) -> None:
        from autograd_lite import Tensor, nn, optim

        self.F = nn.functional
        sizes = [params[i].shape[0] for i in range(0, len(params), 2)]
        self.model = nn.MLP(params[0].shape[1], sizes, activation="relu")
        for layer, w, b in zip(self.model.layers, params[0::2], params[1::2]):
            layer.weight = Tensor(w.copy(), requires_grad=True, label="weight")
            layer.bias = Tensor(b.copy(), requires_grad=True, label="bias")
        self.x = Tensor(x)
        self.target = target
        self.loss = loss
        self.opt = optim.SGD(self.model.parameters(), lr=lr)

    def step(self):
        self.opt.zero_grad()
        out = self.model(self.x)
        if self.loss == "mse":
            loss = self.F.mse_loss(out, self.target)
        else:
            loss = self.F.cross_entropy(out, self.target)
        loss.backward()
        self.opt.step()
        return loss

    def first(self) -> dict:
        loss = self.step()
        grads = [p.grad for layer in self.model.layers for p in (layer.weight, layer.bias)]
        return {"loss": loss.item(), "grads": grads}

    def run(self) -> None:
        self.step()


class TorchMLP:
    """The same step in PyTorch: nn.Sequential of Linear and ReLU, F.*_loss, optim.SGD."""

    def __init__(self, params, x, target, loss, lr) -> None:
        torch = peers.load_torch()
        self.torch = torch
        dtype = torch.float32 if params[0].dtype == np.float32 else torch.float64
        layers: list[Any] = []
        n_layers = len(params) // 2
        for i in range(n_layers):
            w, b = params[2 * i], params[2 * i + 1]
            linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(w))
                linear.bias.copy_(torch.from_numpy(b))
            layers.append(linear)
            if i < n_layers - 1:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        self.x = torch.from_numpy(x)
        self.loss = loss
        self.target = torch.from_numpy(target if loss == "mse" else target.astype(np.int64))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.F = torch.nn.functional

    def step(self):
        self.opt.zero_grad()
        out = self.model(self.x)
        if self.loss == "mse":
            loss = self.F.mse_loss(out, self.target)
        else:
            loss = self.F.cross_entropy(out, self.target)
        loss.backward()
        self.opt.step()
        return loss

    def first(self) -> dict:
        loss = self.step()
        grads = [p.grad.numpy().copy() for p in self.model.parameters()]
        return {"loss": loss.item(), "grads": grads}

    def run(self) -> None:
        self.step()


class HipsMLP:
    """The same step in HIPS autograd: a loss function of the parameter list, value_and_grad."""

    def __init__(self, params, x, target, loss, lr) -> None:
        autograd = peers.load_hips()
        anp = autograd.numpy
        logsumexp = autograd.scipy.special.logsumexp
        rows = np.arange(x.shape[0])
        n_layers = len(params) // 2

        def loss_fn(p):
            h = x
            for i in range(n_layers):
                z = anp.dot(h, p[2 * i].T) + p[2 * i + 1]
                h = anp.maximum(z, 0.0) if i < n_layers - 1 else z
            if loss == "mse":
                diff = h - target
                return anp.mean(diff * diff)
            log_probs = h - logsumexp(h, axis=1, keepdims=True)
            return -anp.mean(log_probs[rows, target])

        self.value_and_grad = autograd.value_and_grad(loss_fn)
        self.params = [p.copy() for p in params]
        self.lr = lr

    def step(self):
        loss, grads = self.value_and_grad(self.params)
        lr = self.lr
        self.params = [p - lr * g for p, g in zip(self.params, grads)]
        return loss, grads

    def first(self) -> dict:
        loss, grads = self.step()
        return {"loss": float(loss), "grads": list(grads)}

    def run(self) -> None:
        self.step()


MLP_ENGINES = {
    "floor": NumpyMLP,
    "ours": OursMLP,
    "torch": TorchMLP,
    "hips": HipsMLP,
}


def make_mlp_runner(kind: str, spec: MLPSpec):
    params, x, target = mlp_data(spec)
    return MLP_ENGINES[kind](params, x, target, spec.loss, spec.lr)


def available(loader) -> str:
    """"" when the peer loads, else the reason it is skipped."""
    try:
        loader()
    except peers.Missing as reason:
        return str(reason)
    return ""


def mlp_engines(name: str, quick: bool = False) -> list[Engine]:
    spec = mlp_spec(name, quick)
    engines = [
        Engine("NumPy floor (hand-written)", "floor", lambda: make_mlp_runner("floor", spec)),
        Engine(OURS, "ours", lambda: make_mlp_runner("ours", spec)),
    ]
    for label, kind, loader in (
        (peers.torch_label(), "torch", peers.load_torch),
        ("HIPS autograd", "hips", peers.load_hips),
    ):
        missing = available(loader)
        engine = Engine(label, "peer", lambda kind=kind: make_mlp_runner(kind, spec))
        if missing:
            engine.note = "skipped: " + missing
        engines.append(engine)
    return engines


# ----- O1: per-op cost ---------------------------------------------------------------------
O1_X = np.array([0.5, 1.0, 1.5, 2.0])
O1_W = np.array([0.999, 0.99, 0.98, 0.97])
O1_B = np.array([0.001, 0.002, 0.003, 0.004])


class FloorChain:
    def __init__(self, links: int) -> None:
        self.links = links

    def first(self) -> dict:
        total, gx, gw, gb = numpy_relu_chain(O1_X, O1_W, O1_B, self.links)
        return {"out": total, "grad_x": gx, "grad_w": gw, "grad_b": gb}

    def run(self) -> None:
        numpy_relu_chain(O1_X, O1_W, O1_B, self.links)


class OursChain:
    def __init__(self, links: int) -> None:
        from autograd_lite import Tensor

        self.links = links
        self.x = Tensor(O1_X.copy(), requires_grad=True)
        self.w = Tensor(O1_W.copy(), requires_grad=True)
        self.b = Tensor(O1_B.copy(), requires_grad=True)

    def run(self):
        x, w, b = self.x, self.w, self.b
        x.grad = w.grad = b.grad = None
        y = x
        for _ in range(self.links):
            y = (y * w + b).relu()
        total = y.sum()
        total.backward()
        return total

    def first(self) -> dict:
        total = self.run()
        return {"out": total.item(), "grad_x": self.x.grad, "grad_w": self.w.grad,
                "grad_b": self.b.grad}


class TorchChain:
    def __init__(self, links: int) -> None:
        torch = peers.load_torch()
        self.links = links
        self.x = torch.tensor(O1_X, requires_grad=True)
        self.w = torch.tensor(O1_W, requires_grad=True)
        self.b = torch.tensor(O1_B, requires_grad=True)

    def run(self):
        x, w, b = self.x, self.w, self.b
        x.grad = w.grad = b.grad = None
        y = x
        for _ in range(self.links):
            y = (y * w + b).relu()
        total = y.sum()
        total.backward()
        return total

    def first(self) -> dict:
        total = self.run()
        return {"out": total.item(), "grad_x": self.x.grad.numpy(), "grad_w": self.w.grad.numpy(),
                "grad_b": self.b.grad.numpy()}


class HipsChain:
    def __init__(self, links: int) -> None:
        autograd = peers.load_hips()
        anp = autograd.numpy

        def chain(params):
            y, w, b = params
            for _ in range(links):
                y = anp.maximum(y * w + b, 0.0)
            return anp.sum(y)

        self.value_and_grad = autograd.value_and_grad(chain)
        self.params = [O1_X.copy(), O1_W.copy(), O1_B.copy()]

    def run(self):
        return self.value_and_grad(self.params)

    def first(self) -> dict:
        total, (gx, gw, gb) = self.run()
        return {"out": float(total), "grad_x": gx, "grad_w": gw, "grad_b": gb}


class ScalarRelu:
    """The O1 chain on one number (x=0.5, w=0.999, b=0.001) in a scalar engine."""

    def __init__(self, value_class, links: int) -> None:
        self.Value = value_class
        self.links = links
        self.x = value_class(0.5)
        self.w = value_class(0.999)
        self.b = value_class(0.001)

    def run(self):
        x, w, b = self.x, self.w, self.b
        x.grad = w.grad = b.grad = 0.0
        y = x
        for _ in range(self.links):
            y = (y * w + b).relu()
        y.backward()
        return y

    def first(self) -> dict:
        y = self.run()
        return {"out": y.data, "grad_x": self.x.grad}


def scalar_relu_reference(links: int) -> dict:
    y, g = python_relu_chain(0.5, links)
    return {"out": y, "grad_x": g}


def o1_engines(quick: bool = False) -> list[Engine]:
    links = 100 if not quick else 3
    ops = 3 * links + 1
    engines = [
        Engine("NumPy floor (hand-written)", "floor", lambda: FloorChain(links), units=ops),
        Engine(OURS, "ours", lambda: OursChain(links), units=ops),
    ]
    missing = available(peers.load_torch)
    engines.append(Engine(peers.torch_label(), "peer", lambda: TorchChain(links), units=ops,
                          note="skipped: " + missing if missing else ""))
    missing = available(peers.load_hips)
    engines.append(Engine("HIPS autograd", "peer", lambda: HipsChain(links), units=ops,
                          note="skipped: " + missing if missing else ""))

    def ours_scalar():
        from autograd_lite import Value

        return ScalarRelu(Value, links)

    engines.append(Engine(f"{OURS} Value (scalar)", "ours", ours_scalar, units=3 * links,
                          compare=False, reference=lambda: scalar_relu_reference(links),
                          note="the same chain on one float"))
    missing = available(peers.load_micrograd)
    engines.append(Engine(
        "micrograd (scalar)", "peer",
        lambda: ScalarRelu(peers.load_micrograd().Value, links), units=3 * links,
        compare=False, reference=lambda: scalar_relu_reference(links),
        note="skipped: " + missing if missing else "the same chain on one float"))
    return engines


# ----- S1: scalar MLP epoch ----------------------------------------------------------------
S1_ALPHA = 1e-4
S1_LR = 0.05


def s1_data(quick: bool = False, seed: int = 0):
    """Two-moons points as lists of floats, labels in {-1, +1}, and per-neuron weights."""
    from autograd_lite.datasets import make_moons

    n = 100 if not quick else 6
    sizes = [2, 16, 16, 1] if not quick else [2, 3, 1]
    x, y = make_moons(n, noise=0.1, seed=seed)
    xs = [[float(a), float(b)] for a, b in x]
    ys = [2.0 * float(v) - 1.0 for v in y]
    rng = np.random.default_rng(seed)
    layers = []
    for nin, nout in itertools.pairwise(sizes):
        k = 1.0 / np.sqrt(nin)
        layers.append([([float(v) for v in rng.uniform(-k, k, nin)], float(rng.uniform(-k, k)))
                       for _ in range(nout)])
    return sizes, layers, xs, ys


def value_epoch(model, params, xs, ys, alpha, lr):
    """One epoch as a micrograd user writes it (the same code runs on both Value engines)."""
    scores = [model(x) for x in xs]
    losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in params)
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total


class ValueMLP:
    """S1 on a scalar engine: `ours` builds nn.scalar.MLP, `micrograd` micrograd.nn.MLP."""

    def __init__(self, kind: str, quick: bool) -> None:
        sizes, layers, self.xs, self.ys = s1_data(quick)
        if kind == "ours":
            from autograd_lite.nn.scalar import MLP

            self.model = MLP(sizes[0], sizes[1:])
        else:
            self.model = peers.load_micrograd_nn().MLP(sizes[0], sizes[1:])
        self.params = []
        for layer, weights in zip(self.model.layers, layers):
            for neuron, (w, b) in zip(layer.neurons, weights):
                for wi, value in zip(neuron.w, w):
                    wi.data = value
                neuron.b.data = b
                self.params.extend(neuron.w)
                self.params.append(neuron.b)

    def run(self):
        return value_epoch(self.model, self.params, self.xs, self.ys, S1_ALPHA, S1_LR)

    def first(self) -> dict:
        total = self.run()
        return {"loss": total.data, "grads": [p.grad for p in self.params]}


def s1_floor(quick: bool) -> PythonScalarMLP:
    _, layers, xs, ys = s1_data(quick)
    return PythonScalarMLP(layers, xs, ys, S1_ALPHA, S1_LR)


def s1_engines(quick: bool = False) -> list[Engine]:
    engines = [
        Engine("pure Python floor (hand-written)", "floor", lambda: s1_floor(quick)),
        Engine(OURS, "ours", lambda: ValueMLP("ours", quick)),
    ]
    missing = available(peers.load_micrograd)
    engines.append(Engine("micrograd", "peer", lambda: ValueMLP("micrograd", quick),
                          note="skipped: " + missing if missing else ""))
    return engines


# ----- S2: a deep scalar chain -------------------------------------------------------------
class FloorTanhChain:
    def __init__(self, links: int) -> None:
        self.links = links

    def first(self) -> dict:
        y, g = python_tanh_chain(0.5, self.links)
        return {"out": y, "grad_x": g}

    def run(self) -> None:
        python_tanh_chain(0.5, self.links)


class OursTanhChain:
    def __init__(self, links: int) -> None:
        from autograd_lite import Value

        self.x = Value(0.5)
        self.links = links

    def run(self):
        x = self.x
        x.grad = 0.0
        y = x
        for _ in range(self.links):
            y = (y * 0.999 + 0.001).tanh()
        y.backward()
        return y

    def first(self) -> dict:
        y = self.run()
        return {"out": y.data, "grad_x": self.x.grad}


class TorchTanhChain:
    def __init__(self, links: int) -> None:
        torch = peers.load_torch()
        self.x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        self.links = links

    def run(self):
        x = self.x
        x.grad = None
        y = x
        for _ in range(self.links):
            y = (y * 0.999 + 0.001).tanh()
        y.backward()
        return y

    def first(self) -> dict:
        y = self.run()
        return {"out": y.item(), "grad_x": self.x.grad.item()}


class HipsTanhChain:
    def __init__(self, links: int) -> None:
        autograd = peers.load_hips()
        anp = autograd.numpy

        def chain(y):
            for _ in range(links):
                y = anp.tanh(y * 0.999 + 0.001)
            return y

        self.value_and_grad = autograd.value_and_grad(chain)

    def run(self):
        return self.value_and_grad(0.5)

    def first(self) -> dict:
        y, g = self.run()
        return {"out": float(y), "grad_x": float(g)}


class MicrogradReluChain:
    """micrograd has no tanh: the same chain with relu (it fails on depth, not on the op)."""

    def __init__(self, links: int) -> None:
        self.Value = peers.load_micrograd().Value
        self.links = links
        self.x = self.Value(0.5)

    def run(self):
        x = self.x
        x.grad = 0.0
        y = x
        for _ in range(self.links):
            y = (y * 0.999 + 0.001).relu()
        y.backward()
        return y

    def first(self) -> dict:
        y = self.run()
        return {"out": y.data, "grad_x": self.x.grad}


S2_DEPTHS = (1_000, 10_000, 100_000, 1_000_000)
S2_QUICK_DEPTHS = (10, 30)


def s2_engines(links: int, peer_max_depth: int) -> list[Engine]:
    ops = 3 * links
    engines = [
        Engine("pure Python floor (hand-written)", "floor", lambda: FloorTanhChain(links),
               units=ops),
        Engine(OURS, "ours", lambda: OursTanhChain(links), units=ops),
    ]
    too_deep = links > peer_max_depth
    for label, factory, loader in (
        (peers.torch_label(), TorchTanhChain, peers.load_torch),
        ("HIPS autograd", HipsTanhChain, peers.load_hips),
    ):
        missing = available(loader)
        note = ("skipped: " + missing if missing else
                f"skipped: deeper than --peer-max-depth {peer_max_depth}" if too_deep else "")
        engines.append(Engine(label, "peer", lambda f=factory: f(links), units=ops, note=note))
    missing = available(peers.load_micrograd)
    engines.append(Engine(
        "micrograd (relu chain)", "peer", lambda: MicrogradReluChain(links), units=ops,
        compare=False, reference=lambda: scalar_relu_reference(links),
        note="skipped: " + missing if missing else "relu for tanh (micrograd has no tanh)"))
    return engines
