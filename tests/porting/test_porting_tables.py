"""Every row of the tables in docs/porting.md, both sides run.

Each row of a table is a test below, registered under the table's heading and the row's first
cell; `test_every_row_of_the_guide_has_a_test` keeps the page and this file in step. A row's
original side runs where that library is installed (PyTorch, micrograd, HIPS autograd; JAX is
not, so its rows compare with HIPS autograd, which means the same thing, or with known
values).
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, nn, optim

PAGE = Path(__file__).resolve().parents[2] / "docs" / "porting.md"
PYTORCH, MICROGRAD, FUNCTIONAL = "From PyTorch", "From micrograd", "From HIPS autograd and JAX"

#: (table, row) -> its test
ROWS: dict[tuple[str, str], Callable[[], None]] = {}


def row(table: str, name: str):
    def register(test: Callable[[], None]) -> Callable[[], None]:
        assert (table, name) not in ROWS, (table, name)
        ROWS[(table, name)] = test
        return test
    return register


def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def optional(name: str):
    """The module `name`, or None where it is not installed (that side of the row is skipped)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def close(a, b, tol=1e-12):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               rtol=tol, atol=tol)


# ---- From PyTorch ---------------------------------------------------------------------------

@row(PYTORCH, "imports")
def imports_pytorch():
    import autograd_lite as ag_
    from autograd_lite import nn as nn_
    from autograd_lite import optim as optim_
    assert ag_.nn is nn_ and ag_.optim is optim_
    torch = torch_or_none()
    if torch is not None:
        from torch import nn as torch_nn
        from torch import optim as torch_optim
        # the names a port uses most exist on both sides
        for name in ("Linear", "Sequential", "ReLU", "MSELoss", "Parameter", "Module"):
            assert hasattr(torch_nn, name) and hasattr(nn_, name)
        assert hasattr(torch_optim, "SGD") and hasattr(optim_, "SGD")


@row(PYTORCH, "a tensor that requires grad")
def tensor_requires_grad():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    close(w.grad, [2.0, 4.0])
    torch = torch_or_none()
    if torch is not None:
        tw = torch.tensor([1.0, 2.0], requires_grad=True)
        (tw * tw).sum().backward()
        close(w.grad, tw.grad.numpy())


@row(PYTORCH, "random start values")
def random_start_values():
    rng = np.random.default_rng(0)
    t = ag.Tensor(rng.standard_normal((3, 2)))
    assert t.shape == (3, 2) and t.dtype == np.float64
    again = ag.Tensor(np.random.default_rng(0).standard_normal((3, 2)))
    assert np.array_equal(t.data, again.data)  # seeded: the same numbers each run


@row(PYTORCH, "a seeded layer")
def seeded_layer():
    ag.manual_seed(0)
    first = nn.Linear(2, 3)
    ag.manual_seed(0)
    second = nn.Linear(2, 3)
    assert np.array_equal(first.weight.data, second.weight.data)
    bound = 1 / math.sqrt(2)  # PyTorch's distribution: uniform in [-1/sqrt(in), 1/sqrt(in)]
    assert np.all(np.abs(first.weight.data) <= bound)
    torch = torch_or_none()
    if torch is not None:
        torch.manual_seed(0)
        assert tuple(torch.nn.Linear(2, 3).weight.shape) == first.weight.shape


@row(PYTORCH, "backward and the gradient")
def backward_and_gradient():
    x = ag.Tensor([0.5, -1.0], requires_grad=True)
    loss = (x.tanh() ** 2).sum()
    loss.backward()
    assert isinstance(x.grad, np.ndarray)
    torch = torch_or_none()
    if torch is not None:
        tx = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
        (tx.tanh() ** 2).sum().backward()
        close(x.grad, tx.grad.numpy())


@row(PYTORCH, "numbers out")
def numbers_out():
    t = ag.Tensor([[1.0, 2.0]], requires_grad=True)
    loss = (t * 3).sum()
    assert loss.item() == 9.0 and isinstance(loss.item(), float)
    assert np.array_equal(t.detach().numpy(), [[1.0, 2.0]])
    assert np.array_equal(np.asarray(t), [[1.0, 2.0]])
    torch = torch_or_none()
    if torch is not None:
        tt = torch.tensor([[1.0, 2.0]], requires_grad=True)
        assert (tt * 3).sum().item() == loss.item()
        assert np.array_equal(tt.detach().numpy(), t.detach().numpy())


@row(PYTORCH, "a hand-written update step")
def hand_written_update():
    def fit(w, lr, no_grad, steps=3):
        for _ in range(steps):
            loss = ((w - 3.0) ** 2).sum()
            loss.backward()
            with no_grad():
                w -= lr * w.grad
            w.grad = None
        return w

    w = ag.Tensor([0.0, 1.0], requires_grad=True)
    same = w
    fit(w, 0.1, ag.no_grad)
    assert w is same  # updated in place, as in PyTorch
    close(w.data, 3.0 - 3.0 * 0.8 ** 3 * np.array([1.0, 2.0 / 3.0]))
    torch = torch_or_none()
    if torch is not None:
        tw = fit(torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True), 0.1,
                 torch.no_grad)
        close(w.data, tw.detach().numpy())


@row(PYTORCH, "elementwise functions")
def elementwise_functions():
    x = ag.Tensor(np.linspace(-2, 2, 5), requires_grad=True)
    out = np.sin(x) + ag.exp(x) + x.relu()
    assert isinstance(out, Tensor)
    close(ag.sin(x).data, np.sin(x).data)
    assert isinstance(np.exp(x), Tensor)
    close(np.exp(x).data, ag.exp(x).data)
    out.sum().backward()
    close(x.grad, np.cos(x.data) + np.exp(x.data) + (x.data > 0))
    torch = torch_or_none()
    if torch is not None:
        tx = torch.tensor(np.linspace(-2, 2, 5), requires_grad=True)
        (torch.sin(tx) + torch.exp(tx) + tx.relu()).sum().backward()
        close(x.grad, tx.grad.numpy())


@row(PYTORCH, "powers and new axes")
def powers_and_new_axes():
    x = ag.Tensor(np.linspace(-1, 1, 4), requires_grad=True)
    p = ag.Tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    assert xx.shape == (4, 3)
    close(xx.data, x.data[:, None] ** np.array([1, 2, 3]))
    xx.sum().backward()
    close(x.grad, 1 + 2 * x.data + 3 * x.data ** 2)
    torch = torch_or_none()
    if torch is not None:
        tx = torch.tensor(np.linspace(-1, 1, 4), requires_grad=True)
        txx = tx.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
        close(xx.data, txx.detach().numpy())
        txx.sum().backward()
        close(x.grad, tx.grad.numpy())


@row(PYTORCH, "layers")
def layers_pytorch():
    ag.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1), nn.Flatten(0, 1))
    x = np.random.default_rng(2).normal(size=(5, 2))
    assert model(x).shape == (5,)
    torch = torch_or_none()
    if torch is not None:
        theirs = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(),
                                     torch.nn.Linear(8, 1), torch.nn.Flatten(0, 1)).double()
        theirs.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
        close(model(x).data, theirs(torch.from_numpy(x)).detach().numpy())


@row(PYTORCH, "a custom module")
def custom_module():
    rng = np.random.default_rng(0)

    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(rng.standard_normal())

        def forward(self, x):
            return self.a * x

    model = Scale()
    assert [name for name, _ in model.named_parameters()] == ["a"]
    assert model.a.shape == () and model.a.requires_grad
    model(ag.Tensor([1.0, 2.0])).sum().backward()
    close(model.a.grad, 3.0)
    torch = torch_or_none()
    if torch is not None:
        class TorchScale(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = torch.nn.Parameter(torch.randn(()))

            def forward(self, x):
                return self.a * x

        theirs = TorchScale()
        assert [name for name, _ in theirs.named_parameters()] == ["a"]
        assert tuple(theirs.a.shape) == model.a.shape
        theirs(torch.tensor([1.0, 2.0])).sum().backward()
        close(theirs.a.grad.numpy(), model.a.grad)


@row(PYTORCH, "loss modules")
def loss_modules():
    pred, target = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
    labels = np.array([1, 0])
    ours = [nn.MSELoss(reduction="sum")(pred, target).item(),
            nn.CrossEntropyLoss()(pred, labels).item(),
            nn.BCEWithLogitsLoss()(pred, target).item()]
    torch = torch_or_none()
    if torch is None:
        close(ours[0], 0.25 + 1.0 + 1.0 + 1.0)
        return
    tp, tt = torch.tensor(pred), torch.tensor(target)
    theirs = [torch.nn.MSELoss(reduction="sum")(tp, tt).item(),
              torch.nn.CrossEntropyLoss()(tp, torch.tensor(labels)).item(),
              torch.nn.BCEWithLogitsLoss()(tp, tt).item()]
    close(ours, theirs)


@row(PYTORCH, "functional losses")
def functional_losses():
    logits, labels = np.array([[2.0, -1.0, 0.5], [0.0, 1.0, 3.0]]), np.array([0, 2])
    ours = nn.functional.cross_entropy(logits, labels).item()
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    close(ours, -log_probs[[0, 1], labels].mean())
    torch = torch_or_none()
    if torch is not None:
        theirs = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels))
        close(ours, theirs.item())


@row(PYTORCH, "optimizers")
def optimizers():
    def train(params, opt, steps=5):
        for _ in range(steps):
            loss = ((params[0] - 1.0) ** 2).sum() + (params[1] ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return [np.array(p.detach().numpy()) for p in params]

    start = [np.array([0.0, 2.0]), np.array([1.5])]
    for kind, options in (("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.05})):
        params = [ag.Tensor(a.copy(), requires_grad=True) for a in start]
        ours = train(params, getattr(optim, kind)(params, **options))
        torch = torch_or_none()
        if torch is None:
            assert abs(ours[1][0]) < 1.5
            continue
        tparams = [torch.tensor(a.copy(), requires_grad=True) for a in start]
        theirs = train(tparams, getattr(torch.optim, kind)(tparams, **options))
        for a, b in zip(ours, theirs):
            close(a, b)


@row(PYTORCH, "a custom operation")
def custom_operation():
    class Cube(ag.Function):
        def forward(self, x):
            self.x = x
            return x ** 3

        def vjp(self, grad_out):
            return grad_out * 3 * self.x ** 2

    x = ag.Tensor([1.0, -2.0], requires_grad=True)
    Cube.apply(x).sum().backward()
    close(x.grad, [3.0, 12.0])
    with pytest.raises(TypeError, match="written like PyTorch's"):
        type("TorchStyle", (ag.Function,), {"forward": staticmethod(lambda ctx, x: x)})
    torch = torch_or_none()
    if torch is not None:
        class TorchCube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x ** 2

        tx = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
        TorchCube.apply(tx).sum().backward()
        close(x.grad, tx.grad.numpy())


def small_model():
    ag.manual_seed(3)
    return nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))


@row(PYTORCH, "weights to PyTorch")
def weights_to_pytorch():
    model = small_model()
    sd = model.state_dict()
    assert list(sd) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    torch = pytest.importorskip("torch")
    torch_model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(),
                                      torch.nn.Linear(4, 1)).double()
    torch_model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    x = np.random.default_rng(4).normal(size=(6, 2))
    close(model(x).data, torch_model(torch.from_numpy(x)).detach().numpy())


@row(PYTORCH, "weights from PyTorch")
def weights_from_pytorch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(5)
    torch_model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(),
                                      torch.nn.Linear(4, 1)).double()
    model = small_model()
    model.load_state_dict(torch_model.state_dict())
    x = np.random.default_rng(4).normal(size=(6, 2))
    close(model(x).data, torch_model(torch.from_numpy(x)).detach().numpy())


@row(PYTORCH, "checking a gradient")
def checking_a_gradient():
    x = np.array([0.3, -0.7])
    assert ag.gradcheck(lambda t: (t.sin() * t).sum(), x)
    torch = torch_or_none()
    if torch is not None:
        assert torch.autograd.gradcheck(lambda t: (t.sin() * t).sum(),
                                        (torch.tensor(x, requires_grad=True),))


@row(PYTORCH, "function transforms")
def function_transforms_pytorch():
    def f(x):
        return (x ** 3).sum()

    x = np.array([1.0, 2.0])
    close(ag.grad(f)(x), 3 * x ** 2)
    close(ag.hessian(f)(x), np.diag(6 * x))
    torch = torch_or_none()
    if torch is not None:
        import torch.func
        tx = torch.tensor(x)
        with warnings.catch_warnings():  # torch.func's first call warns about torch.jit
            warnings.simplefilter("ignore", DeprecationWarning)
            close(ag.grad(f)(x), torch.func.grad(f)(tx).numpy())
            close(ag.hessian(f)(x), torch.func.hessian(f)(tx).numpy())


# ---- From micrograd ---------------------------------------------------------------------------

def micrograd_value():
    engine = pytest.importorskip("micrograd.engine")
    return engine.Value


@row(MICROGRAD, "imports")
def imports_micrograd():
    from autograd_lite import Value
    a, b = Value(-4.0), Value(2.0)
    ours = (a * b + b ** 3).relu()
    mg = optional("micrograd.engine")
    if mg is not None:
        from micrograd.engine import Value as MgValue
        c, d = MgValue(-4.0), MgValue(2.0)
        assert ours.data == (c * d + d ** 3).relu().data


@row(MICROGRAD, "a labelled leaf")
def labelled_leaf():
    a = ag.Value(2.0, label="a")
    assert a.label == "a" and a.data == 2.0 and a.op == ""


def expression(Value):
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b ** 3
    e = (b - a).relu() + c.relu()
    f = (d - e) ** 2
    g = f / 2.0
    return a, b, g


@row(MICROGRAD, "operations")
def operations_micrograd():
    a, b, g = expression(ag.Value)
    x = ag.Value(0.3)
    assert abs(x.tanh().data - math.tanh(0.3)) < 1e-15 and x.exp().data == math.exp(0.3)
    mg = optional("micrograd.engine")
    if mg is not None:
        assert g.data == expression(mg.Value)[2].data


@row(MICROGRAD, "backward and the gradient")
def backward_micrograd():
    a, b, g = expression(ag.Value)
    g.backward()
    assert isinstance(a.grad, float)
    mg = optional("micrograd.engine")
    if mg is not None:
        ma, mb, mgv = expression(mg.Value)
        mgv.backward()
        # micrograd adds gradients in the order of a set, which varies: equal to an ulp.
        np.testing.assert_allclose([a.grad, b.grad], [ma.grad, mb.grad], rtol=5e-16, atol=0)


@row(MICROGRAD, "a network")
def network_micrograd():
    from autograd_lite.nn.scalar import MLP
    model = MLP(2, [16, 16, 1])
    out = model([ag.Value(0.5), ag.Value(-1.0)])
    assert isinstance(out, ag.Value)  # a width-1 output is one Value, as in micrograd
    assert model.num_parameters() == 337  # micrograd's demo prints 337 too
    mg = optional("micrograd.nn")
    if mg is not None:
        from micrograd.nn import MLP as MgMLP
        assert len(MgMLP(2, [16, 16, 1]).parameters()) == 337


@row(MICROGRAD, "a linear neuron")
def linear_neuron():
    from autograd_lite.nn.scalar import Neuron
    neuron = Neuron(3, activation="linear")
    x = [1.0, -2.0, 0.5]
    out = neuron(x)
    expected = sum(w.data * xi for w, xi in zip(neuron.w, x)) + neuron.b.data
    assert abs(out.data - expected) < 1e-15 and out.op == "linear"
    mg = optional("micrograd.nn")
    if mg is not None:
        from micrograd.nn import Neuron as MgNeuron
        theirs = MgNeuron(3, nonlin=False)
        for w, v in zip(theirs.w, neuron.w):
            w.data = v.data
        theirs.b.data = neuron.b.data
        assert theirs(x).data == out.data


@row(MICROGRAD, "the update step")
def update_micrograd():
    from autograd_lite.nn.scalar import MLP
    ag.manual_seed(0)
    model = MLP(2, [4, 1])
    before = [p.data for p in model.parameters()]
    loss = (model([1.0, 2.0]) - 1.0) ** 2
    model.zero_grad()
    loss.backward()
    grads = [p.grad for p in model.parameters()]
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    assert [p.data for p in model.parameters()] == [v - 0.1 * g for v, g in zip(before, grads)]
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    mg = optional("micrograd.nn")
    if mg is not None:  # the same lines on micrograd's MLP, from the same start
        theirs = mg.MLP(2, [4, 1])
        for ours_p, their_p in zip(model.parameters(), theirs.parameters(), strict=True):
            their_p.data = ours_p.data
        for net in (model, theirs):
            loss = (net([1.0, 2.0]) - 1.0) ** 2
            net.zero_grad()
            loss.backward()
            for p in net.parameters():
                p.data -= 0.1 * p.grad
        assert [p.data for p in model.parameters()] == [p.data for p in theirs.parameters()]


@row(MICROGRAD, "the graph")
def graph_micrograd():
    a, b = ag.Value(2.0), ag.Value(3.0)
    c = a * b
    assert c.parents == (a, b) and c.op == "mul"
    mg = optional("micrograd.engine")
    if mg is not None:
        ma, mb = mg.Value(2.0), mg.Value(3.0)
        mc = ma * mb
        assert mc._prev == {ma, mb} and mc._op == "*"


@row(MICROGRAD, "a new operation")
def new_operation_micrograd():
    class Cube(ag.Function):
        def forward(self, x):
            self.x = x
            return x ** 3

        def vjp(self, grad_out):
            return grad_out * 3 * self.x ** 2

    v = ag.Value(2.0)
    out = Cube.apply(v)
    out.backward()
    assert (out.data, v.grad) == (8.0, 12.0)
    with pytest.raises(TypeError, match="micrograd's way to record an operation"):
        ag.Value(8.0, (v,), "cube")


@row(MICROGRAD, "stepping backward by hand")
def stepping_micrograd():
    x, w = ag.Value(0.5), ag.Value(-2.0)
    o = (x * w).tanh()
    steps = list(ag.backward_steps(o))
    assert [s.op for s in steps] == ["tanh", "mul"]
    assert abs(x.grad - (1 - math.tanh(-1.0) ** 2) * -2.0) < 1e-15


@row(MICROGRAD, "drawing the graph")
def drawing_micrograd():
    x = ag.Value(1.0, label="x")
    y = (x * 2 + 1).relu()
    y.backward()
    source = ag.draw_graph(y).source
    assert "relu" in source and "x" in source


# ---- From HIPS autograd and JAX ---------------------------------------------------------------

def hips():
    return optional("autograd")


@row(FUNCTIONAL, "imports")
def imports_functional():
    from autograd_lite import grad
    close(grad(lambda x: x ** 2)(3.0), 6.0)
    autograd = hips()
    if autograd is not None:
        assert autograd.grad(lambda x: x ** 2)(3.0) == grad(lambda x: x ** 2)(3.0)


def tanh_by_exp(np_):
    return lambda x: (1.0 - np_.exp(-2 * x)) / (1.0 + np_.exp(-(2 * x)))


@row(FUNCTIONAL, "NumPy's ufuncs inside f")
def ufuncs_inside_f():
    f = tanh_by_exp(np)
    x = np.linspace(-2, 2, 7)
    ours = ag.grad(lambda x: f(x).sum())(x)
    close(ours, 1 - np.tanh(x) ** 2)
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        g = tanh_by_exp(anp)
        close(ours, autograd.grad(lambda x: anp.sum(g(x)))(x))


@row(FUNCTIONAL, "NumPy's functions inside f")
def numpy_functions_inside_f():
    x = np.array([[1.0, 2.0], [3.0, -1.0]])
    W = np.array([0.5, -0.25])
    ours = ag.grad(lambda W: np.sum(np.tanh(np.dot(x, W))))(W)
    close(ours, x.T @ (1 - np.tanh(x @ W) ** 2))
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        close(ours, autograd.grad(lambda W: anp.sum(anp.tanh(anp.dot(x, W))))(W))


@row(FUNCTIONAL, "grad")
def grad_functional():
    def f(x, y):
        return x * y ** 2

    close(ag.grad(f)(2.0, 3.0), 9.0)
    close(ag.grad(f, argnums=1)(2.0, 3.0), 12.0)
    autograd = hips()
    if autograd is not None:
        close(ag.grad(f, argnums=1)(2.0, 3.0), autograd.grad(f, argnum=1)(2.0, 3.0))


@row(FUNCTIONAL, "value and gradient")
def value_and_gradient():
    value, gradient = ag.value_and_grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    close(value, 5.0)
    close(gradient, [2.0, 4.0])
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        v, g = autograd.value_and_grad(lambda x: anp.sum(x ** 2))(np.array([1.0, 2.0]))
        close(value, v)
        close(gradient, g)


def vector_function(np_):
    return lambda x: np_.tanh(x) * x[0]


@row(FUNCTIONAL, "Jacobians")
def jacobians():
    x = np.array([0.5, -1.0, 2.0])
    rev = ag.jacobian(vector_function(ag), mode="rev")(x)
    fwd = ag.jacobian(vector_function(ag), mode="fwd")(x)
    close(rev, fwd)
    close(ag.jacobian(vector_function(ag))(x), rev)
    assert rev.shape == (3, 3)  # rows are outputs, columns inputs
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        close(rev, autograd.jacobian(vector_function(anp))(x))


@row(FUNCTIONAL, "Hessians")
def hessians():
    def f(x):
        return (x[0] ** 2 * x[1] + x[1] ** 3).sum()

    x = np.array([1.0, 2.0])
    close(ag.hessian(f)(x), [[2 * x[1], 2 * x[0]], [2 * x[0], 6 * x[1]]])
    autograd = hips()
    if autograd is not None:
        close(ag.hessian(f)(x), autograd.hessian(f)(x))


@row(FUNCTIONAL, "vjp and jvp")
def vjp_and_jvp():
    f = vector_function(ag)
    x, v = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, -1.0])
    J = ag.jacobian(f)(x)
    out, vjp_fn = ag.vjp(f, x)
    close(out, np.tanh(x) * x[0])
    close(vjp_fn(v)[0], v @ J)
    out2, tangent = ag.jvp(f, (x,), (v,))
    close(out2, out)
    close(tangent, J @ v)
    autograd = hips()
    if autograd is not None:  # HIPS autograd spells them make_vjp and make_jvp
        import autograd.numpy as anp
        g = vector_function(anp)
        hips_vjp, hips_out = autograd.make_vjp(g)(x)
        close(hips_out, out)
        close(vjp_fn(v)[0], hips_vjp(v))
        close(tangent, autograd.make_jvp(g)(x)(v)[1])


@row(FUNCTIONAL, "Hessian-vector products")
def hessian_vector_products():
    def f(X):
        return np.sum(np.tanh(X) ** 2)

    rng = np.random.default_rng(0)
    X, V = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    revrev = ag.grad(lambda X: np.vdot(ag.grad(f)(X), V))(X)
    fwdrev = ag.jvp(ag.grad(f), (X,), (V,))[1]
    dense = np.tensordot(ag.hessian(f)(X), V, 2)
    close(revrev, dense)
    close(fwdrev, dense)
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        close(dense, autograd.hessian_tensor_product(lambda X: anp.sum(anp.tanh(X) ** 2))(X, V))


@row(FUNCTIONAL, "nested transforms with closures")
def nested_closures():
    assert ag.grad(lambda x: x * ag.grad(lambda y: x * y)(2.0))(1.0) == 2.0
    autograd = hips()
    if autograd is not None:
        assert autograd.grad(lambda x: x * autograd.grad(lambda y: x * y)(2.0))(1.0) == 2.0


@row(FUNCTIONAL, "elementwise_grad")
def elementwise_grad_row():
    x = np.linspace(-2, 2, 5)
    ours = ag.elementwise_grad(np.tanh)(x)
    close(ours, 1 - np.tanh(x) ** 2)
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        close(ours, autograd.elementwise_grad(anp.tanh)(x))


@row(FUNCTIONAL, "pytrees")
def pytrees_row():
    def loss(params):
        return ((params["W"] * 2.0) ** 2).sum() + params["b"] ** 2

    grads = ag.grad(loss)({"W": np.array([1.0, -1.0]), "b": 3.0})
    assert list(grads) == ["W", "b"]
    close(grads["W"], [8.0, -8.0])
    close(grads["b"], 6.0)

    def net(np_):
        def output(params, x):
            for W, b in params:
                x = np_.tanh(np_.dot(x, W) + b)
            return np_.sum(x)
        return output

    rng = np.random.default_rng(0)
    params = [(rng.normal(size=(2, 3)), rng.normal(size=3)),
              (rng.normal(size=(3, 1)), rng.normal(size=1))]
    x = rng.normal(size=(4, 2))
    pairs = ag.grad(net(np))(params, x)
    assert type(pairs) is list and all(type(pair) is tuple for pair in pairs)
    assert [g.shape for pair in pairs for g in pair] == [(2, 3), (3,), (3, 1), (1,)]
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        theirs = autograd.grad(net(anp))(params, x)
        for ours_pair, their_pair in zip(pairs, theirs, strict=True):
            for ours_leaf, their_leaf in zip(ours_pair, their_pair, strict=True):
                close(ours_leaf, their_leaf)


@row(FUNCTIONAL, "logsumexp")
def logsumexp_row():
    x = np.array([[1000.0, 1000.0], [0.0, -1.0]])
    out = ag.logsumexp(x, axis=1, keepdims=True)
    close(out.data, [[1000.0 + math.log(2.0)], [math.log(1.0 + math.exp(-1.0))]])
    autograd = hips()
    if autograd is not None:
        from autograd.scipy.special import logsumexp
        close(out.data, logsumexp(x, axis=1, keepdims=True))


@row(FUNCTIONAL, "products and remainders")
def products_and_remainders():
    x = np.array([1.5, -2.0, 4.0])
    close(ag.grad(lambda x: np.prod(x))(x), [-8.0, 6.0, -3.0])
    close(ag.grad(lambda x: ag.prod(x))(x), [-8.0, 6.0, -3.0])
    close(ag.grad(lambda x: (x % 1.0).sum())(x), [1.0, 1.0, 1.0])
    close(ag.Tensor(x) % 1.0, x % 1.0)
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        close(autograd.grad(lambda x: anp.prod(x))(x), [-8.0, 6.0, -3.0])
        close(autograd.grad(lambda x: anp.sum(x % 1.0))(x), [1.0, 1.0, 1.0])


@row(FUNCTIONAL, "checking a gradient")
def checking_gradient_functional():
    x = np.array([0.3, -0.7, 1.1])
    assert ag.gradcheck(lambda t: (t.exp() * t).sum(), x)
    autograd = hips()
    if autograd is not None:
        import autograd.numpy as anp
        from autograd.test_util import check_grads
        check_grads(lambda t: anp.sum(anp.exp(t) * t), modes=["rev"], order=1)(x)


@row(FUNCTIONAL, "a custom operation")
def custom_operation_functional():
    class Logistic(ag.Function):
        def forward(self, x):
            self.out = 1 / (1 + np.exp(-x))
            return self.out

        def vjp(self, grad_out):
            return grad_out * self.out * (1 - self.out)

    x = np.array([-1.0, 0.0, 2.0])
    ours = ag.grad(lambda x: Logistic.apply(x).sum())(x)
    s = 1 / (1 + np.exp(-x))
    close(ours, s * (1 - s))
    autograd = hips()
    if autograd is not None:
        from autograd.extend import defvjp, primitive

        @primitive
        def logistic(x):
            return 1 / (1 + np.exp(-x))

        defvjp(logistic, lambda ans, x: lambda g: g * ans * (1 - ans))
        import autograd.numpy as anp
        close(ours, autograd.grad(lambda x: anp.sum(logistic(x)))(x))


@row(FUNCTIONAL, "the update step")
def update_functional():
    def loss(w):
        return ((w - np.array([1.0, -2.0])) ** 2).sum()

    w = np.zeros(2)
    for _ in range(50):
        w = w - 0.1 * ag.grad(loss)(w)
    assert isinstance(w, np.ndarray)
    close(w, [1.0, -2.0], tol=1e-4)


# ---- the page and this file in step -----------------------------------------------------------

def page_rows() -> list[tuple[str, str]]:
    """(table, row) for every row of the three tables on the page, in order."""
    rows: list[tuple[str, str]] = []
    heading = ""
    for line in PAGE.read_text().splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("|") and heading in (PYTORCH, MICROGRAD, FUNCTIONAL):
            first = line.split("|")[1].strip()
            if first not in ("", "---"):
                rows.append((heading, first))
    return rows


def test_every_row_of_the_guide_has_a_test():
    rows = page_rows()
    assert len(rows) == len(set(rows)), "a row name appears twice in one table"
    assert set(rows) == set(ROWS), (
        f"rows without a test: {sorted(set(rows) - set(ROWS))}; "
        f"tests without a row: {sorted(set(ROWS) - set(rows))}")


@pytest.mark.parametrize("test", [pytest.param(test, id=f"{table[5:]}: {name}")
                                  for (table, name), test in sorted(ROWS.items())])
def test_row(test):
    test()
