"""PyTorch's module names: the loss modules, Flatten, Identity and Parameter.

Values and gradients are compared with PyTorch in float64 where it is installed (the tests that
need it skip cleanly otherwise); the rest checks against NumPy.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from autograd_lite import Tensor, nn, no_grad, optim
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(7)


def torch_or_skip():
    return pytest.importorskip("torch")


# ---- loss modules -------------------------------------------------------------------------

def loss_inputs(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "CrossEntropyLoss":
        return RNG.normal(size=(6, 4)) * 3, np.array([0, 3, 1, 1, 2, 0])
    if name == "BCEWithLogitsLoss":
        return RNG.normal(size=(6, 2)) * 3, RNG.uniform(size=(6, 2))
    return RNG.normal(size=(6, 2)), RNG.normal(size=(6, 2))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", ["MSELoss", "CrossEntropyLoss", "BCEWithLogitsLoss"])
def test_loss_modules_match_pytorch_values_and_gradients(name, reduction):
    torch = torch_or_skip()
    pred, target = loss_inputs(name)
    ours = Tensor(pred, requires_grad=True)
    loss = getattr(nn, name)(reduction=reduction)(ours, target)
    theirs = torch.tensor(pred, requires_grad=True)
    torch_target = torch.tensor(target)
    torch_loss = getattr(torch.nn, name)(reduction=reduction)(theirs, torch_target)
    np.testing.assert_allclose(loss.data, torch_loss.detach().numpy(), rtol=1e-12, atol=1e-14)
    seed = RNG.normal(size=loss.shape)
    loss.backward(seed)
    torch_loss.backward(torch.tensor(seed))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["MSELoss", "CrossEntropyLoss", "BCEWithLogitsLoss"])
def test_loss_modules_default_to_the_mean_and_call_the_functional_form(name):
    pred, target = loss_inputs(name)
    module = getattr(nn, name)()
    assert module.reduction == "mean"
    assert repr(module) == f"{name}(reduction='mean')"
    function = {"MSELoss": F.mse_loss, "CrossEntropyLoss": F.cross_entropy,
                "BCEWithLogitsLoss": F.binary_cross_entropy_with_logits}[name]
    for reduction in ("mean", "sum", "none"):
        expected = function(pred, target, reduction=reduction).data
        got = getattr(nn, name)(reduction=reduction)(pred, target).data
        assert np.array_equal(got, expected)
    assert module.parameters() == []


@pytest.mark.parametrize("name, option", [
    ("MSELoss", "size_average"), ("MSELoss", "reduce"), ("CrossEntropyLoss", "weight"),
    ("CrossEntropyLoss", "ignore_index"), ("CrossEntropyLoss", "label_smoothing"),
    ("BCEWithLogitsLoss", "weight"), ("BCEWithLogitsLoss", "pos_weight"),
])
def test_pytorch_options_we_do_not_take_are_refused_with_a_way_to_get_them(name, option):
    with pytest.raises(TypeError, match=rf"{name}: PyTorch's option {option}= is not supported"
                                        r".*reduction \('mean', 'sum' or 'none'\)\. \w+"):
        getattr(nn, name)(**{option: 1})


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="unknown reduction 'avg'; valid ones are 'mean'"):
        nn.MSELoss(reduction="avg")


def test_label_smoothing_hint_is_the_right_formula():
    # The message for label_smoothing gives a formula; check it against PyTorch's option.
    torch = torch_or_skip()
    logits, labels = loss_inputs("CrossEntropyLoss")
    e, classes = 0.1, logits.shape[1]
    onehot = np.eye(classes)[labels]
    z = Tensor(logits)
    ours = -(((1 - e) * onehot + e / classes) * z.log_softmax(axis=1)).sum(axis=1)
    theirs = torch.nn.CrossEntropyLoss(reduction="none", label_smoothing=e)(
        torch.tensor(logits), torch.tensor(labels))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)


# ---- Flatten and Identity -----------------------------------------------------------------

@pytest.mark.parametrize("shape, dims", [
    ((2, 3, 4), ()), ((2, 3, 4), (0, 1)), ((2, 3, 4), (1, 2)), ((2, 3, 4), (0, -1)),
    ((2, 1), (0, 1)), ((), (0, -1)), ((5,), (0,)), ((2, 0, 3), ()), ((2, 3, 4, 5), (-3, -2)),
])
def test_flatten_matches_pytorch_shapes_and_passes_gradients(shape, dims):
    x = Tensor(RNG.normal(size=shape), requires_grad=True)
    out = nn.Flatten(*dims)(x)
    torch = pytest.importorskip("torch")
    expected = torch.nn.Flatten(*dims)(torch.tensor(x.data)).numpy()
    assert out.shape == expected.shape
    assert np.array_equal(out.data, expected)
    assert out.op == "reshape"
    seed = RNG.normal(size=out.shape)
    out.backward(seed)
    assert np.array_equal(x.grad, seed.reshape(shape))


def test_flatten_errors_match_pytorch_kinds():
    with pytest.raises(IndexError, match=r"axis 1 is out of range .* 1 axes.*Flatten\(0\)"):
        nn.Flatten()(np.zeros(5))
    with pytest.raises(ValueError, match="start_dim=1 comes after end_dim=0"):
        nn.Flatten(1, 0)(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="start_dim must be an integer"):
        nn.Flatten(1.5)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


def test_identity_returns_its_input_and_ignores_constructor_arguments():
    x = Tensor(np.ones(3), requires_grad=True)
    layer = nn.Identity(54, unused=0.1)
    assert layer(x) is x
    assert layer.parameters() == []
    assert repr(layer) == "Identity()"


def test_sequential_with_flatten_and_identity_trains_like_pytorch():
    torch = torch_or_skip()
    ours = nn.Sequential(nn.Flatten(), nn.Linear(6, 4), nn.Tanh(), nn.Identity(), nn.Linear(4, 1),
                         nn.Flatten(0, 1))
    theirs = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(6, 4), torch.nn.Tanh(),
                                 torch.nn.Identity(), torch.nn.Linear(4, 1),
                                 torch.nn.Flatten(0, 1)).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x, y = RNG.normal(size=(8, 2, 3)), RNG.normal(size=8)
    ours_opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    theirs_opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        loss = nn.MSELoss()(ours(x), y)
        ours_opt.zero_grad()
        loss.backward()
        ours_opt.step()
        torch_loss = torch.nn.MSELoss()(theirs(torch.tensor(x)), torch.tensor(y))
        theirs_opt.zero_grad()
        torch_loss.backward()
        theirs_opt.step()
        assert abs(loss.item() - torch_loss.item()) < 1e-12
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-12, atol=1e-14)


# ---- Parameter ----------------------------------------------------------------------------

def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(np.array([1.0, 2.0]))
    assert isinstance(p, Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.op == "" and p.dtype == np.float64
    assert repr(p) == "Parameter([1., 2.], shape=(2,), requires_grad=True)"
    out = (p * p).sum()
    assert type(out) is Tensor  # results of operations are plain tensors, as in PyTorch
    out.backward()
    assert np.array_equal(p.grad, [2.0, 4.0])
    assert nn.Parameter(3).dtype == np.float64  # Python numbers become float64
    with pytest.raises(TypeError, match="floating-point dtype"):
        nn.Parameter(np.array([1, 2]))


def test_parameter_of_a_tensor_shares_its_memory_as_in_pytorch():
    t = Tensor(np.zeros(3))
    p = nn.Parameter(t)
    with no_grad():
        p += 1.0
    assert np.array_equal(t.data, [1.0, 1.0, 1.0])


def test_modules_find_parameters_and_the_update_step_keeps_them():
    # PyTorch's tutorial "Custom nn Modules" (beginner_source/examples_nn/polynomial_module.py)
    # builds its model from four nn.Parameter scalars.
    class Polynomial3(nn.Module):
        def __init__(self):
            self.a = nn.Parameter(0.1)
            self.b = nn.Parameter(0.2)
            self.constant = Tensor(np.ones(2))  # not a parameter

        def forward(self, x):
            return self.a + self.b * x * self.constant

    model = Polynomial3()
    assert [n for n, _ in model.named_parameters()] == ["a", "b"]
    assert list(model.state_dict()) == ["a", "b"]
    opt = optim.SGD(model.parameters(), lr=0.1)
    x = np.array([1.0, 2.0])
    loss = ((model(x) - 1.0) ** 2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    assert all(type(p) is nn.Parameter for p in model.parameters())
    # d/da = sum 2 (a + b x - 1) = 2 (-0.7 - 0.5) = -2.4; d/db = sum 2 (a + b x - 1) x = -3.4
    assert abs(model.a.item() - (0.1 + 0.24)) < 1e-15
    assert abs(model.b.item() - (0.2 + 0.34)) < 1e-15


def test_a_frozen_parameter_is_refused_rather_than_left_out_of_the_state_dict():
    with pytest.raises(ValueError, match="requires_grad=False .* missing from parameters"):
        nn.Parameter(np.ones(2), requires_grad=False)


def test_parameter_survives_pickle_and_deepcopy():
    p = nn.Parameter(np.arange(3.0), label="w")
    for clone in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        assert type(clone) is nn.Parameter
        assert clone.requires_grad and clone.label == "w"
        assert np.array_equal(clone.data, p.data)
        (clone * 2).sum().backward()
        assert np.array_equal(clone.grad, [2.0, 2.0, 2.0])
