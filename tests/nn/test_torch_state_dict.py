"""Models move to PyTorch and back through state dicts.

`nn.Sequential` of Linear and activation layers has PyTorch's `state_dict` keys, shapes and
layouts; `nn.MLP.to_sequential()` gives the same for an MLP; `load_state_dict` reads PyTorch
tensors (also ones that require grad) and never shares memory with what it was given. The
round trips train on one side and check outputs and gradients on the other to 1e-12 in float64.
Tests that need PyTorch skip cleanly without it.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import Tensor, datasets, manual_seed, nn, optim
from autograd_lite.nn import functional as F

ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def torch_or_skip():
    return pytest.importorskip("torch")


def torch_sequential(torch, widths: list[int], activation: str):
    """torch.nn.Sequential(Linear, act, Linear, act, ..., Linear) in float64."""
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        if i:
            layers.append(getattr(torch.nn, ACTIVATIONS[activation])())
        layers.append(torch.nn.Linear(a, b))
    return torch.nn.Sequential(*layers).double()


def test_sequential_keys_shapes_and_layout_are_pytorchs():
    torch = torch_or_skip()
    ours = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 4), nn.Tanh(), nn.Sigmoid(),
                         nn.Linear(4, 2, bias=False))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 4),
                                 torch.nn.Tanh(), torch.nn.Sigmoid(),
                                 torch.nn.Linear(4, 2, bias=False))
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(theirs_state) == [
        "0.weight", "0.bias", "2.weight", "2.bias", "5.weight"]
    for key in ours_state:
        assert ours_state[key].shape == tuple(theirs_state[key].shape)
    # Layout, not only shape: weight[o, i] multiplies input i into output o in both.
    theirs.double().load_state_dict({k: torch.from_numpy(v) for k, v in ours_state.items()})
    x = np.random.default_rng(0).normal(size=(7, 3))
    np.testing.assert_allclose(ours(x).data, theirs(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_to_sequential_has_pytorchs_keys_and_shares_the_layers(activation):
    manual_seed(3)
    mlp = nn.MLP(2, [8, 8, 1], activation=activation)
    seq = mlp.to_sequential()
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias",
                                      "4.weight", "4.bias"]
    assert [type(m).__name__ for m in seq] == ["Linear", ACTIVATIONS[activation], "Linear",
                                               ACTIVATIONS[activation], "Linear"]
    assert seq[0] is mlp.layers[0] and seq[4] is mlp.layers[2]
    x = np.random.default_rng(1).normal(size=(5, 2))
    assert np.array_equal(seq(x).data, mlp(x).data)
    # MLP's own keys are unchanged.
    assert list(mlp.state_dict())[:2] == ["layers.0.weight", "layers.0.bias"]
    # Loading into the Sequential loads into the MLP (the same layers).
    state = {k: v + 1.0 for k, v in seq.state_dict().items()}
    seq.load_state_dict(state)
    assert np.array_equal(mlp.layers[1].weight.data, state["2.weight"])


def train_ours(model, steps: int = 30):
    X, y = datasets.make_moons(64, noise=0.1, seed=0)
    opt = optim.Adam(model.parameters(), lr=0.02)
    for _ in range(steps):
        loss = F.binary_cross_entropy_with_logits(model(X).reshape(-1), y.astype(float))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_train_here_then_run_in_pytorch(activation):
    torch = torch_or_skip()
    manual_seed(0)
    mlp = nn.MLP(2, [16, 16, 1], activation=activation)
    train_ours(mlp)
    theirs = torch_sequential(torch, [2, 16, 16, 1], activation)
    # What a user writes: the state dict as torch tensors.
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in
                            mlp.to_sequential().state_dict().items()})
    grid = np.random.default_rng(5).uniform(-2, 2, size=(200, 2))
    np.testing.assert_allclose(theirs(torch.from_numpy(grid)).detach().numpy(), mlp(grid).data,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_train_in_pytorch_then_run_and_differentiate_here(activation):
    torch = torch_or_skip()
    torch.manual_seed(0)
    theirs = torch_sequential(torch, [2, 16, 16, 1], activation)
    X, y = datasets.make_moons(64, noise=0.1, seed=1)
    tx, ty = torch.from_numpy(X), torch.from_numpy(y.astype(float))
    opt = torch.optim.Adam(theirs.parameters(), lr=0.02)
    for _ in range(30):
        loss = torch.nn.BCEWithLogitsLoss()(theirs(tx).reshape(-1), ty)
        opt.zero_grad()
        loss.backward()
        opt.step()

    manual_seed(1)
    mlp = nn.MLP(2, [16, 16, 1], activation=activation)
    mlp.to_sequential().load_state_dict(theirs.state_dict())  # torch tensors, as they come
    ours = nn.Sequential(nn.Linear(2, 16), getattr(nn, ACTIVATIONS[activation])(),
                         nn.Linear(16, 16), getattr(nn, ACTIVATIONS[activation])(),
                         nn.Linear(16, 1))
    ours.load_state_dict(theirs.state_dict())
    for model in (mlp, ours):
        # Same outputs, and the same gradients for the parameters and for the input.
        x = Tensor(X, requires_grad=True)
        loss = nn.BCEWithLogitsLoss()(model(x).reshape(-1), y.astype(float))
        model.zero_grad()
        loss.backward()
        tx_grad = tx.clone().requires_grad_(True)
        torch_loss = torch.nn.BCEWithLogitsLoss()(theirs(tx_grad).reshape(-1), ty)
        theirs.zero_grad()
        torch_loss.backward()
        assert abs(loss.item() - torch_loss.item()) < 1e-12
        np.testing.assert_allclose(x.grad, tx_grad.grad.numpy(), rtol=1e-10, atol=1e-13)
        named = dict(theirs.named_parameters())
        for name, p in (model.to_sequential() if model is mlp else model).named_parameters():
            np.testing.assert_allclose(p.grad, named[name].grad.numpy(), rtol=1e-10, atol=1e-13)


def test_load_state_dict_reads_pytorch_parameters_that_require_grad():
    torch = torch_or_skip()
    theirs = torch.nn.Linear(3, 2)
    named = dict(theirs.named_parameters())  # tensors that require grad: np.asarray refuses them
    assert named["weight"].requires_grad
    ours = nn.Linear(3, 2)
    ours.load_state_dict(named)
    assert ours.weight.dtype == np.float64  # our parameter's dtype is kept
    np.testing.assert_array_equal(ours.weight.data, named["weight"].detach().numpy())


def test_load_state_dict_never_shares_memory_with_its_input():
    model = nn.Linear(2, 2)
    state = {"weight": np.ones((2, 2)), "bias": np.zeros(2)}
    model.load_state_dict(state)
    state["weight"][0, 0] = 5.0
    state["bias"] += 1.0
    assert np.array_equal(model.weight.data, np.ones((2, 2)))
    assert np.array_equal(model.bias.data, np.zeros(2))
    torch = pytest.importorskip("torch")
    tensors = {"weight": torch.ones(2, 2, dtype=torch.float64), "bias": torch.zeros(2)}
    model.load_state_dict(tensors)
    with torch.no_grad():
        tensors["weight"].mul_(3.0)
    assert np.array_equal(model.weight.data, np.ones((2, 2)))
    # Nor through our own Tensors given as values.
    source = Tensor(np.full((2, 2), 2.0))
    model.load_state_dict({"weight": source, "bias": [1.0, 2.0]})
    assert not np.shares_memory(model.weight.data, source.data)


def test_a_pytorch_state_dict_of_another_architecture_lists_every_mismatch():
    torch = torch_or_skip()
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    ours = nn.MLP(2, [4, 3]).to_sequential()
    before = {k: v.copy() for k, v in ours.state_dict().items()}
    with pytest.raises(ValueError) as error:
        ours.load_state_dict(theirs.state_dict())
    message = str(error.value)
    assert "0.weight: shape (8, 2) in the state dict, (4, 2) in the model" in message
    assert "0.bias: shape (8,) in the state dict, (4,) in the model" in message
    assert "2.weight: shape (3, 8) in the state dict, (3, 4) in the model" in message
    assert "No parameter was changed" in message
    for key, value in ours.state_dict().items():
        assert np.array_equal(value, before[key])
    # Keys that do not fit: an MLP's own names against PyTorch's.
    with pytest.raises(ValueError, match=r"missing keys: layers\.0\.weight.*\n.*unexpected keys: "
                                         r"0\.weight"):
        nn.MLP(2, [8, 3]).load_state_dict(theirs.state_dict())


def test_unreadable_values_are_reported_by_name():
    class Opaque:  # refuses NumPy and has a detach() that still refuses it
        def __array__(self, *args, **kwargs):
            raise RuntimeError("cannot convert this device's memory")

        def detach(self):
            return self

    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match=r"weight: cannot be read as an array \(cannot convert"):
        model.load_state_dict({"weight": Opaque(), "bias": [0.0]})
