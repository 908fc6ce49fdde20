"""Loading parameters is safe: it never unpickles, refuses crafted files that would run code,
says clearly when a file is truncated, damaged or foreign, and never changes the model unless
the whole file is good. (Round trips and the basic refusals are in tests/nn/test_module.py.)
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from autograd_lite import manual_seed, nn
from autograd_lite.nn.module import FORMAT_KEY, FORMAT_VERSION

NOT_A_MODEL = r"is not a model saved with Module\.save .*Load a file written by module\.save"


class Exploit:
    """Unpickling this creates the file `marker`: it must never happen."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "pwned"))


@pytest.fixture
def model() -> nn.Module:
    manual_seed(0)
    return nn.MLP(2, [3, 1])


@pytest.fixture
def saved(model, tmp_path) -> Path:
    path = tmp_path / "model.npz"
    model.save(path)
    return path


@pytest.fixture(autouse=True)
def pickle_tripwire(monkeypatch):
    """Any attempt to unpickle during a test fails it, whatever catches the exception."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("pickle was used while loading a model")

    class Unpickler(pickle.Unpickler):
        def __init__(self, *args, **kwargs):
            refuse()

    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(pickle, "Unpickler", Unpickler)
    yield calls
    assert not calls, "pickle was called during a load"


def state(model: nn.Module) -> dict[str, np.ndarray]:
    return model.state_dict()


def assert_unchanged(model: nn.Module, before: dict[str, np.ndarray]) -> None:
    after = state(model)
    assert after.keys() == before.keys()
    for name, value in after.items():
        assert value.tobytes() == before[name].tobytes(), f"{name} changed"


def crafted_files(tmp: Path, marker: Path) -> dict[str, bytes]:
    """Files made to run code when unpickled, in every place a pickle could hide."""
    exploit = np.empty(1, dtype=object)
    exploit[0] = Exploit(marker)
    files = {}
    for name, arrays in {
        "object-array-as-a-weight": {"layers.0.weight": exploit},
        "object-array-as-the-marker": {FORMAT_KEY: exploit},
        "object-array-beside-good-weights": {"layers.0.bias": np.zeros(3), "extra": exploit},
    }.items():
        buffer = io.BytesIO()
        arrays = {FORMAT_KEY: np.array(FORMAT_VERSION), **arrays}
        np.savez(buffer, **arrays)
        files[name + ".npz"] = buffer.getvalue()
    buffer = io.BytesIO()
    np.save(buffer, exploit, allow_pickle=True)
    files["object-array.npy"] = buffer.getvalue()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        files[f"pickle-protocol-{protocol}.pkl"] = pickle.dumps(Exploit(marker), protocol)
    # a zip whose member is named like an array but holds a pickle
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{FORMAT_KEY}.npy", pickle.dumps(Exploit(marker)))
        z.writestr("layers.0.weight.npy", pickle.dumps(Exploit(marker)))
    files["pickles-in-a-zip.npz"] = buffer.getvalue()
    return files


def test_crafted_files_are_refused_and_never_run(model, tmp_path):
    marker = tmp_path / "marker"
    before = state(model)
    for name, content in crafted_files(tmp_path, marker).items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ValueError, match=r"is not a model saved with Module\.save|"
                                             r"does not fit") as info:
            model.load(path)
        assert name in str(info.value) or "does not fit" in str(info.value)
        assert not marker.exists(), f"{name}: loading ran the payload"
        assert_unchanged(model, before)


def test_load_always_reads_with_allow_pickle_false(model, saved, monkeypatch):
    """Arrays are read by NumPy's .npy reader, always with allow_pickle=False, and only those
    the model expects plus the format marker (numpy.load is not used: see nn/checkpoint.py)."""
    calls = []
    original = np.lib.format.read_array

    def spy(*args, **kwargs):
        calls.append(kwargs.get("allow_pickle"))
        return original(*args, **kwargs)

    monkeypatch.setattr(np.lib.format, "read_array", spy)
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("numpy.load was called"))
    model.load(saved)
    assert calls == [False] * (len(state(model)) + 1)


def test_saved_files_hold_plain_arrays_only(model, saved):
    with zipfile.ZipFile(saved) as z:
        names = z.namelist()
        for member in names:
            header = z.read(member)[:128]
            assert header.startswith(b"\x93NUMPY"), member
            assert b"'O'" not in header and b"|O" not in header, f"{member} is an object array"
    assert sorted(names) == sorted([f"{k}.npy" for k in state(model)] + [f"{FORMAT_KEY}.npy"])


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_truncated_files_say_so_and_change_nothing(model, saved, tmp_path, fraction):
    content = saved.read_bytes()
    cut = tmp_path / "cut.npz"
    cut.write_bytes(content[:int(len(content) * fraction)])
    before = state(model)
    with pytest.raises(ValueError, match=NOT_A_MODEL):
        model.load(cut)
    assert_unchanged(model, before)


def test_damaged_files_never_load_other_values(model, saved, tmp_path):
    """Random byte changes anywhere in a saved file: the load either fails with the clear
    error and changes nothing, or (where the bytes do not matter) loads the saved values.
    Regression: damaged version, compression or encryption fields used to escape as
    NotImplementedError / RuntimeError, and an exception without a message as
    UnboundLocalError."""
    content = saved.read_bytes()
    expected = state(model)
    rng = np.random.default_rng(0)
    damaged = tmp_path / "damaged.npz"
    outcomes = {"refused": 0, "loaded": 0}
    for _ in range(600):
        data = bytearray(content)
        for _ in range(int(rng.integers(1, 4))):
            data[int(rng.integers(len(data)))] = int(rng.integers(256))
        damaged.write_bytes(bytes(data))
        try:
            model.load(damaged)
        except ValueError as error:
            assert "damaged.npz" in str(error)
            outcomes["refused"] += 1
        else:
            outcomes["loaded"] += 1
        assert_unchanged(model, expected)
    assert outcomes["refused"] > 300


def foreign_files() -> dict[str, bytes]:
    buffer = io.BytesIO()
    np.savez(buffer, weight=np.zeros((1, 2)), bias=np.zeros(1))  # no format marker
    other_program = buffer.getvalue()
    buffer = io.BytesIO()
    np.savez(buffer, **{FORMAT_KEY: np.array("autograd_lite.nn.Module/99")})
    newer_format = buffer.getvalue()
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    single_array = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not arrays")
    plain_zip = buffer.getvalue()
    return {
        "empty.npz": b"",
        "notes.txt": b"layers.0.weight = [[1, 2]]\n",
        "weights.json": json.dumps({"layers.0.weight": [[1.0, 2.0]]}).encode(),
        "image.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "data.h5": b"\x89HDF\r\n\x1a\n" + bytes(64),
        "model.npz.gz": gzip.compress(b"PK\x03\x04" + bytes(64)),
        "other-program.npz": other_program,
        "newer-format.npz": newer_format,
        "single-array.npy": single_array,
        "plain.zip": plain_zip,
        "random.bin": np.random.default_rng(1).bytes(2048),
    }


@pytest.mark.parametrize("name", sorted(foreign_files()))
def test_foreign_files_say_so_and_change_nothing(model, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(foreign_files()[name])
    before = state(model)
    with pytest.raises(ValueError, match=NOT_A_MODEL) as info:
        model.load(path)
    assert name in str(info.value)
    if name == "newer-format.npz":
        assert "autograd_lite.nn.Module/99" in str(info.value)
    assert_unchanged(model, before)


def test_a_folder_and_a_missing_file(model, tmp_path):
    before = state(model)
    with pytest.raises(ValueError, match=NOT_A_MODEL):
        model.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="check the path"):
        model.load(tmp_path / "nothing-here.npz")
    assert_unchanged(model, before)


def test_round_trip_is_bit_exact_for_float32_and_scalar_models(tmp_path):
    manual_seed(1)
    model = nn.MLP(3, [4, 2])
    for p in model.parameters():
        p.data = p.data.astype(np.float32) * np.float32(1.1)
    model.save(tmp_path / "f32.npz")
    manual_seed(2)
    fresh = nn.MLP(3, [4, 2])
    for p in fresh.parameters():
        p.data = p.data.astype(np.float32)
    fresh.load(tmp_path / "f32.npz")
    for a, b in zip(model.parameters(), fresh.parameters()):
        assert a.data.dtype == b.data.dtype == np.float32
        assert a.data.tobytes() == b.data.tobytes()

    manual_seed(3)
    scalar = nn.scalar.MLP(2, [3, 1])
    scalar.save(tmp_path / "scalar.npz")
    manual_seed(4)
    other = nn.scalar.MLP(2, [3, 1])
    other.load(tmp_path / "scalar.npz")
    assert [p.data for p in other.parameters()] == [p.data for p in scalar.parameters()]
