"""nn.Module: parameter discovery, zero_grad, repr, state dicts and files that never unpickle."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from autograd_lite import Tensor, Value, nn
from autograd_lite.random import manual_seed


class Block(nn.Module):
    """A user subclass that never calls super().__init__()."""

    def __init__(self) -> None:
        self.scale = Tensor(np.ones(3), requires_grad=True)
        self.frozen = Tensor(np.ones(3))  # no grad: not a parameter
        self.inner = nn.Linear(3, 2)

    def forward(self, x):
        return self.inner(x * self.scale)


class Model(nn.Module):
    def __init__(self) -> None:
        self.first = Block()
        self.blocks = [nn.Linear(2, 2), nn.Linear(2, 2, bias=False)]
        self.heads = {"a": nn.Linear(2, 1), "b": Tensor(np.zeros(1), requires_grad=True)}
        self.scalar = Value(0.5)
        self.note = "not a parameter"

    def forward(self, x):
        h = self.first(x)
        for block in self.blocks:
            h = block(h).tanh()
        return self.heads["a"](h) + self.heads["b"]


def test_parameters_found_in_attributes_lists_dicts_and_subclasses():
    model = Model()
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "first.scale", "first.inner.weight", "first.inner.bias",
        "blocks.0.weight", "blocks.0.bias", "blocks.1.weight",
        "heads.a.weight", "heads.a.bias", "heads.b", "scalar",
    ]
    assert model.parameters()[0] is model.first.scale
    assert model.parameters()[-1] is model.scalar
    assert model.num_parameters() == 3 + 6 + 2 + 4 + 2 + 4 + 2 + 1 + 1 + 1
    # stable: the same order every time
    assert [id(p) for p in model.parameters()] == [id(p) for p in model.parameters()]


def test_non_leaf_tensors_and_computed_values_are_not_parameters():
    class Holder(nn.Module):
        def __init__(self) -> None:
            w = Tensor(np.ones(2), requires_grad=True)
            self.w = w
            self.cache = w * 2  # an intermediate result, not a weight
            self.v = Value(1.0)
            self.v2 = self.v * 3

    assert [n for n, _ in Holder().named_parameters()] == ["w", "v"]


def test_shared_parameter_listed_once_under_first_name():
    class Tied(nn.Module):
        def __init__(self) -> None:
            self.a = nn.Linear(2, 2)
            self.b = nn.Linear(2, 2)
            self.b.weight = self.a.weight
            self.again = self.a  # the same module twice

    assert [n for n, _ in Tied().named_parameters()] == ["a.weight", "a.bias", "b.bias"]


def test_call_runs_forward_and_base_forward_is_abstract():
    block = Block()
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(block(x).data, block.forward(x).data)
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1.0)


def test_zero_grad_resets_tensors_to_none_and_values_to_zero():
    model = Model()
    model(np.ones((4, 3))).sum().backward()
    model.scalar.grad = 3.0
    assert model.first.inner.weight.grad is not None
    model.zero_grad()
    for p in model.parameters():
        assert p.grad is None if isinstance(p, Tensor) else p.grad == 0.0


def test_nested_repr():
    text = repr(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.MLP(3, [4, 1], activation="tanh")))
    assert text == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): MLP(in_features=3, layer_sizes=[4, 1], activation='tanh'\n"
        "    (layers.0): Linear(in_features=3, out_features=4, bias=True)\n"
        "    (layers.1): Linear(in_features=4, out_features=1, bias=True)\n"
        "  )\n"
        ")"
    )


def test_modules_lists_each_module_once():
    model = Model()
    kinds = [type(m).__name__ for m in model.modules()]
    assert kinds == ["Model", "Block", "Linear", "Linear", "Linear", "Linear"]


# ---- state dicts ----------------------------------------------------------------------------


def test_state_dict_is_a_copy_and_round_trips():
    manual_seed(1)
    source = nn.MLP(2, [3, 1])
    manual_seed(2)
    target = nn.MLP(2, [3, 1])
    state = source.state_dict()
    assert list(state) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    state["layers.0.weight"][...] = 99.0  # editing the copy leaves the model alone
    assert not np.any(source.layers[0].weight.data == 99.0)
    target.load_state_dict(source.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_array_equal(target(x).data, source(x).data)


def test_load_state_dict_lists_every_mismatch_and_changes_nothing():
    model = nn.MLP(2, [3, 1])
    before = model.state_dict()
    bad = model.state_dict()
    del bad["layers.1.bias"]
    bad["layers.0.weight"] = np.zeros((2, 3))
    bad["extra.weight"] = np.zeros(1)
    bad["layers.0.bias"] = np.array(["a", "b", "c"])
    with pytest.raises(ValueError) as info:
        model.load_state_dict(bad)
    message = str(info.value)
    assert "missing keys: layers.1.bias" in message
    assert "unexpected keys: extra.weight" in message
    assert "layers.0.weight: shape (2, 3) in the state dict, (3, 2) in the model" in message
    assert "layers.0.bias: expected numbers" in message
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_keeps_parameter_dtype_and_values_of_scalar_models():
    manual_seed(3)
    a = nn.scalar.MLP(2, [2, 1])
    manual_seed(4)
    b = nn.scalar.MLP(2, [2, 1])
    state = a.state_dict()
    assert all(v.shape == () and v.dtype == np.float64 for v in state.values())
    b.load_state_dict(state)
    assert [p.data for p in b.parameters()] == [p.data for p in a.parameters()]
    assert all(isinstance(p.data, float) for p in b.parameters())

    lin = nn.Linear(2, 2)
    lin.weight.data = lin.weight.data.astype(np.float32)
    lin.load_state_dict({"weight": np.ones((2, 2)), "bias": [1, 2]})
    assert lin.weight.data.dtype == np.float32
    np.testing.assert_array_equal(lin.bias.data, [1.0, 2.0])


def test_save_and_load_round_trip(tmp_path):
    manual_seed(5)
    model = nn.MLP(2, [4, 1])
    path = tmp_path / "model.weights"  # the exact name is used, no ".npz" added
    model.save(path)
    assert path.exists()
    manual_seed(6)
    fresh = nn.MLP(2, [4, 1])
    assert fresh.load(path) is fresh
    x = np.ones((3, 2))
    np.testing.assert_array_equal(fresh(x).data, model(x).data)
    with pytest.raises(ValueError, match="missing keys: layers.2.weight"):
        nn.MLP(2, [4, 4, 1]).load(path)


class _Exploit:
    """Unpickling this would create the file `marker` (it must never happen)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_files_with_pickles_are_refused_without_running_them(tmp_path):
    marker = tmp_path / "pwned"
    model = nn.Linear(2, 1)
    before = model.state_dict()

    # an .npz whose array needs pickle, with a valid-looking format marker
    crafted = tmp_path / "crafted.npz"
    payload = np.empty(1, dtype=object)
    payload[0] = _Exploit(marker)
    from autograd_lite.nn.module import FORMAT_KEY, FORMAT_VERSION

    np.savez(crafted, weight=payload, bias=np.zeros(1), **{FORMAT_KEY: np.array(FORMAT_VERSION)})
    with pytest.raises(ValueError, match="not a model saved with Module.save"):
        model.load(crafted)

    # a bare pickle file
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps(_Exploit(marker)))
    with pytest.raises(ValueError, match="pickle"):
        model.load(raw)

    assert not marker.exists()
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_other_files_get_a_clear_error(tmp_path):
    model = nn.Linear(2, 1)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    plain_npz = tmp_path / "plain.npz"
    np.savez(plain_npz, weight=np.zeros((1, 2)), bias=np.zeros(1))
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    for path in (text, plain_npz, single):
        with pytest.raises(ValueError, match="not a model saved with Module.save"):
            model.load(path)
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "missing.npz")
