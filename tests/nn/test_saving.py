"""Saving never loses data: every parameter is saved whatever its name, a save that fails
leaves the old file byte for byte, two parameters never share a name, and a file that does not
fit is refused from its directory and headers, before any array is read."""

from __future__ import annotations

import inspect
import io
import os
import re
import stat
import tracemalloc
import zipfile

import numpy as np
import pytest

from autograd_lite import Tensor, Value, manual_seed, nn
from autograd_lite.nn import checkpoint
from autograd_lite.nn.module import FORMAT_KEY, FORMAT_VERSION


def numpy_special_names() -> set[str]:
    """Every argument name of NumPy's savez / savez_compressed / save / load and of the
    private writer they call, plus the names savez gives to positional arrays."""
    names = {"file", "allow_pickle", "fix_imports", "compress", "args", "kwds",
             "pickle_kwargs", "arr_0", "arr_1", "mmap_mode", "encoding", "max_header_size"}
    for fn in (np.savez, np.savez_compressed, np.save, np.load):
        names |= {p for p in inspect.signature(fn).parameters}
    return names


#: Names that NumPy's own API or the zip format could misread, and odd but legal dict keys.
ODD_NAMES = ["w.npy", "a/b", "../up", "", " ", "θ", "back\\slash", "arr_0.npy", "x" * 300,
             "__autograd_lite_format", "PK"]


class Named(nn.Module):
    """One parameter per name, each an attribute of exactly that name (set with setattr, so any
    string works), between two ordinary parameters."""

    def __init__(self, names, seed=0) -> None:
        rng = np.random.default_rng(seed)
        self.first = Value(float(rng.standard_normal()))
        for i, name in enumerate(names):
            setattr(self, name, Tensor(rng.standard_normal((2, i % 3 + 1)), requires_grad=True))
        self.last = Tensor(rng.standard_normal(4), requires_grad=True)

    def forward(self, x):
        return x


def assert_same_parameters(a: nn.Module, b: nn.Module) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for name in sa:
        assert sa[name].dtype == sb[name].dtype
        assert sa[name].tobytes() == sb[name].tobytes(), name


def test_the_special_names_include_numpys_own_arguments():
    names = numpy_special_names()
    assert {"file", "allow_pickle", "fix_imports", "mmap_mode"} <= names


@pytest.mark.parametrize("name", sorted(numpy_special_names()) + ODD_NAMES)
def test_every_parameter_is_saved_and_loaded_whatever_its_name(tmp_path, name):
    model = Named(["before", name, "after"], seed=1)
    path = tmp_path / "model.npz"
    path.write_bytes(b"an older checkpoint")
    model.save(path)
    fresh = Named(["before", name, "after"], seed=2)
    fresh.load(path)
    assert_same_parameters(model, fresh)
    # Any zip reader sees every parameter as a plain .npy member under its own name.
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{k}.npy" for k in [*model.state_dict(), FORMAT_KEY])
        for key, value in model.state_dict().items():
            member = io.BytesIO(archive.read(f"{key}.npy"))
            stored = np.lib.format.read_array(member, allow_pickle=False)
            assert stored.dtype == value.dtype and stored.tobytes() == value.tobytes()


def test_a_parameter_named_file_no_longer_truncates_the_checkpoint(tmp_path):
    path = tmp_path / "model.npz"
    Named(["weight"]).save(path)
    before = path.read_bytes()
    model = Named(["file", "allow_pickle"], seed=3)
    model.save(path)  # used to truncate the file to 0 bytes and then fail
    assert path.read_bytes() != before
    loaded = Named(["file", "allow_pickle"], seed=4).load(path)
    assert_same_parameters(model, loaded)


def test_names_numpy_load_would_confuse_round_trip(tmp_path):
    # numpy.load's npz["w.npy"] returns the member of key "w"; our reader keeps them apart.
    model = Named(["w", "w.npy", "w.npy.npy"], seed=5)
    model.save(tmp_path / "m.npz")
    fresh = Named(["w", "w.npy", "w.npy.npy"], seed=6).load(tmp_path / "m.npz")
    assert_same_parameters(model, fresh)


@pytest.mark.parametrize("holder", [
    lambda a, b: {1: a, "1": b},
    lambda a, b: {1.0: a, "1.0": b},
    lambda a, b: {True: a, "True": b},
    lambda a, b: {"0": a, 0: b},
    lambda a, b: {"x": [a], "x.0": b},
])
def test_two_parameters_with_one_dotted_name_are_refused(tmp_path, holder):
    class Clash(nn.Module):
        def __init__(self):
            self.blocks = holder(Tensor(np.ones(2), requires_grad=True),
                                 Tensor(np.zeros(3), requires_grad=True))

    model = Clash()
    path = tmp_path / "m.npz"
    path.write_bytes(b"previous contents")
    for call in (model.named_parameters, model.parameters, model.state_dict,
                 lambda: model.save(path), lambda: model.load_state_dict({}),
                 lambda: model.load(path)):
        with pytest.raises(ValueError, match=r"two different parameters are both named "
                                             r"'blocks\.[\w.]+'.*distinct names"):
            call()
    assert path.read_bytes() == b"previous contents"


def test_a_dotted_key_that_repeats_a_nested_path_is_refused():
    class Clash(nn.Module):
        def __init__(self):
            self.a = {"b": Tensor(np.ones(1), requires_grad=True)}
            setattr(self, "a.b", Tensor(np.ones(1), requires_grad=True))

    with pytest.raises(ValueError, match=r"both named 'a\.b'"):
        Clash().state_dict()


def test_a_shared_parameter_is_not_a_collision(tmp_path):
    class Shared(nn.Module):
        def __init__(self):
            w = Tensor(np.ones(2), requires_grad=True)
            self.first = {"w": w}
            self.second = {"w": w}

    model = Shared()
    assert [name for name, _ in model.named_parameters()] == ["first.w"]
    model.save(tmp_path / "s.npz")
    Shared().load(tmp_path / "s.npz")


def test_reserved_and_unstorable_names_are_refused_before_writing(tmp_path):
    path = tmp_path / "m.npz"
    path.write_bytes(b"old")
    for bad in ("nul\0byte", None):
        model = Named([bad] if bad else [])
        if bad is None:
            setattr(model, FORMAT_KEY, Tensor(np.ones(1), requires_grad=True))
        with pytest.raises(ValueError, match="rename the attribute or dict key"):
            model.save(path)
    assert path.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["m.npz"]


# ----- a save that fails leaves the old file byte for byte ------------------------------------

def failing_writer(monkeypatch, after: int, error: type[BaseException] = OSError):
    """Make NumPy's .npy writer fail on the `after`-th array, midway through its bytes."""
    original = np.lib.format.write_array
    count = {"n": 0}

    def write_array(fp, array, *args, **kwargs):
        count["n"] += 1
        if count["n"] > after:
            fp.write(b"\x93NUMPY partial")
            raise error("disk full (simulated)")
        return original(fp, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_array)


@pytest.mark.parametrize("after", [0, 1, 3])
@pytest.mark.parametrize("error", [OSError, KeyboardInterrupt, MemoryError])
def test_a_failed_save_leaves_the_old_file_byte_for_byte(tmp_path, monkeypatch, after, error):
    manual_seed(0)
    path = tmp_path / "model.npz"
    nn.MLP(2, [4, 1]).save(path)
    before = path.read_bytes()
    mode = stat.S_IMODE(path.stat().st_mode)
    manual_seed(1)
    model = nn.MLP(2, [4, 1])
    failing_writer(monkeypatch, after, error)
    with pytest.raises(error, match="simulated"):
        model.save(path)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert os.listdir(tmp_path) == ["model.npz"], "the temporary file was left behind"


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.Linear(2, 1).save(path)
    before = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError("replace refused (simulated)")

    monkeypatch.setattr(checkpoint.os, "replace", refuse)
    with pytest.raises(PermissionError, match="simulated"):
        nn.Linear(2, 1).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def test_a_failed_first_save_creates_nothing(tmp_path, monkeypatch):
    failing_writer(monkeypatch, 1)
    with pytest.raises(OSError, match="simulated"):
        nn.Linear(2, 1).save(tmp_path / "new.npz")
    assert os.listdir(tmp_path) == []


def test_save_into_a_missing_folder_or_onto_a_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.Linear(2, 1).save(tmp_path / "no" / "such" / "m.npz")
    with pytest.raises(IsADirectoryError, match="is a folder; give a file name"):
        nn.Linear(2, 1).save(tmp_path)
    assert os.listdir(tmp_path) == []


def test_a_replaced_file_keeps_its_permissions_and_a_link_stays_a_link(tmp_path):
    path = tmp_path / "model.npz"
    nn.Linear(2, 1).save(path)
    os.chmod(path, 0o640)
    nn.Linear(2, 1).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    link = tmp_path / "latest.npz"
    link.symlink_to(path)
    model = nn.Linear(2, 1)
    model.save(link)
    assert link.is_symlink()
    assert_same_parameters(model, nn.Linear(2, 1).load(path))


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "model.npz"
    nn.Linear(2, 1).save(path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_saving_the_same_parameters_gives_the_same_bytes(tmp_path):
    manual_seed(3)
    model = nn.MLP(3, [5, 2])
    model.save(tmp_path / "a.npz")
    model.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


# ----- refusing a file before reading its arrays ----------------------------------------------

def write_npz(path, arrays, compressed=False):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def peak_while(fn) -> int:
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


HUGE = 10_000_000  # float64 elements: 80 MB in memory, about 80 KB compressed


@pytest.mark.parametrize("where", ["unexpected", "wrong-shape", "text-marker"])
def test_a_small_file_holding_a_huge_array_is_refused_without_reading_it(tmp_path, where):
    model = nn.Linear(2, 1)
    good = model.state_dict()
    arrays = {FORMAT_KEY: np.array(FORMAT_VERSION), **good}
    if where == "unexpected":
        arrays["extra"] = np.zeros(HUGE)
        expected = r"unexpected keys: extra"
    elif where == "wrong-shape":
        arrays["weight"] = np.zeros((HUGE, 2))
        expected = rf"weight: shape \({HUGE}, 2\) in the file, \(1, 2\) in the model"
    else:
        arrays[FORMAT_KEY] = np.full(HUGE // 8, "x")
        expected = r"its format marker is not a short text"
    path = tmp_path / "small.npz"
    write_npz(path, arrays, compressed=True)
    del arrays
    assert path.stat().st_size < 1_000_000
    before = model.state_dict()

    def load():
        with pytest.raises(ValueError, match=expected):
            model.load(path)

    peak = peak_while(load)
    assert peak < 2_000_000, f"refusing the file allocated {peak} bytes"
    for name, value in model.state_dict().items():
        assert value.tobytes() == before[name].tobytes()


def test_every_mismatch_of_a_file_is_listed_in_one_error(tmp_path):
    manual_seed(0)
    nn.MLP(2, [4, 1]).save(tmp_path / "mlp.npz")
    model = nn.MLP(2, [3, 3, 1])
    with pytest.raises(ValueError) as info:
        model.load(tmp_path / "mlp.npz")
    message = str(info.value)
    assert "does not fit MLP" in message
    assert "missing keys: layers.2.weight, layers.2.bias" in message
    assert "layers.0.weight: shape (4, 2) in the file, (3, 2) in the model" in message
    assert "No parameter was changed" in message


def test_an_array_of_strings_under_a_parameter_name_is_refused(tmp_path):
    arrays = {FORMAT_KEY: np.array(FORMAT_VERSION), "weight": np.array([["a", "b"]]),
              "bias": np.zeros(1)}
    write_npz(tmp_path / "s.npz", arrays)
    with pytest.raises(ValueError, match=r"weight: expected numbers, got an array of dtype <U1"):
        nn.Linear(2, 1).load(tmp_path / "s.npz")


@pytest.mark.parametrize("content, found", [
    (b"weights: 1, 2, 3\n", r"starts with b'weig'"),
    (b"", r"is empty"),
    (b"\x80\x04\x95", r"starts with b'\\x80\\x04\\x95'"),
])
def test_a_file_that_is_not_an_npz_says_so_without_numpys_pickle_advice(tmp_path, content,
                                                                        found):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        nn.Linear(2, 1).load(path)
    message = str(info.value)
    assert "it is not an .npz archive" in message
    assert re.search(found, message)
    assert "allow_pickle=" not in message and "pickle.load" not in message


def test_a_single_npy_array_says_so(tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ValueError, match=r"it holds a single \.npy array, not an \.npz archive"):
        nn.Linear(2, 1).load(path)


def test_files_written_by_numpy_savez_compressed_load(tmp_path):
    model = nn.Linear(3, 2)
    write_npz(tmp_path / "c.npz", {FORMAT_KEY: np.array(FORMAT_VERSION), **model.state_dict()},
              compressed=True)
    assert_same_parameters(model, nn.Linear(3, 2).load(tmp_path / "c.npz"))


def test_a_member_longer_than_its_header_is_refused(tmp_path):
    model = nn.Linear(2, 1)
    path = tmp_path / "m.npz"
    model.save(path)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    members["bias.npy"] += b"\0" * 8
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match=r"'bias' holds more bytes than its header declares"):
        nn.Linear(2, 1).load(path)

