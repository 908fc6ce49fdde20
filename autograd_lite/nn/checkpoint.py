"""The file behind `Module.save` and `Module.load`: a NumPy `.npz` archive, written and read
here rather than by `numpy.savez` / `numpy.load`.

An `.npz` file is a zip archive with one `.npy` member per array, named `<key>.npy`.
`numpy.savez` takes the keys as keyword arguments, so a parameter named `file` or
`allow_pickle` collides with its own arguments; `numpy.load` resolves `npz["w.npy"]` to the
member of a key `w` when both `w` and `w.npy` exist. Writing the members ourselves stores any
name as it is, and `numpy.load` (or any zip reader) still opens the file.

Saving writes a temporary file beside the target and moves it into place with `os.replace`,
so a save that fails midway leaves an existing file exactly as it was. Loading lists the
archive's members and reads each `.npy` header (a few hundred bytes) before any array data,
so a file with unexpected names, shapes or dtypes is refused without reading or allocating
its arrays; arrays are read with `allow_pickle=False`, so a file can never run code.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

import numpy as np

__all__ = ["FORMAT_KEY", "FORMAT_VERSION", "NotAModelFile", "ArrayEntry", "Archive",
           "write_archive", "open_archive"]

# A key stored beside the parameters in a saved file, so that `load` can tell a saved model
# from any other .npz file. Parameter names may not take it (see `Module.save`).
FORMAT_KEY = "__autograd_lite_format__"
FORMAT_VERSION = "autograd_lite.nn.Module/1"

#: The first bytes of a zip archive: a local file header, or the end record of an empty one.
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
NPY_MAGIC = b"\x93NUMPY"
#: Every member gets this timestamp, so saving the same parameters gives the same bytes.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
#: The largest `.npy` header read (NumPy's own default limit for untrusted files).
MAX_HEADER = 10_000


class NotAModelFile(ValueError):
    """The file is not an archive written by `Module.save`; the message says why."""


@dataclass(frozen=True)
class ArrayEntry:
    """One `.npy` member of an archive, described by its header (its data not yet read)."""

    name: str
    member: zipfile.ZipInfo
    shape: tuple[int, ...]
    dtype: np.dtype


def write_archive(path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray]) -> None:
    """Write `arrays` to `path` as an uncompressed `.npz`, atomically.

    The archive is written to a new file in the target's folder and then moved over `path`
    with `os.replace`; if anything fails before that, the temporary file is removed and an
    existing `path` is untouched. A replaced file keeps its permission bits. A symbolic link
    at `path` is followed (its target is replaced, the link stays).
    """
    target = os.path.realpath(os.fspath(path))
    if os.path.isdir(target):
        raise IsADirectoryError(f"save: {os.fspath(path)!r} is a folder; give a file name")
    folder = os.path.dirname(target)
    temp, handle = _create_beside(target)
    try:
        with os.fdopen(handle, "wb") as file:
            _write_members(file, arrays)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _create_beside(target: str) -> tuple[str, int]:
    """A new empty file next to `target` (same folder, so `os.replace` is a rename), opened
    for writing; created with mode 0o666 so the umask gives it the usual permissions."""
    folder, base = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = os.path.join(folder, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - a 32-bit random name already taken
            continue


def _write_members(file: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", FIXED_DATE)
            info.filename = name + ".npy"  # exactly the name (ZipInfo turns os.sep into "/")
            info.external_attr = 0o644 << 16
            # force_zip64 as NumPy does: the size is not known before the array is written.
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows opening a folder (POSIX)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


class Archive:
    """An `.npz` file opened for reading: its members listed, no array read yet.

    `entries` maps each key (the member name without `.npy`) to its `zipfile.ZipInfo`.
    Use as a context manager; `header(name)` describes one array from its header,
    `read(entry)` reads its data.
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".npy"):
                raise NotAModelFile(f"it holds {info.filename!r}, which is not a .npy array")
            name = info.filename[:-len(".npy")]
            if name in self.entries:
                raise NotAModelFile(f"it holds two members named {info.filename!r}")
            self.entries[name] = info

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    def header(self, name: str) -> ArrayEntry:
        """The shape and dtype of array `name`, read from its `.npy` header only."""
        info = self.entries[name]
        with self.archive.open(info) as member:
            shape, dtype = read_header(member, name)
        return ArrayEntry(name, info, shape, dtype)

    def read(self, entry: ArrayEntry) -> np.ndarray:
        """The array of `entry` (never unpickled; the member's checksum is verified)."""
        with self.archive.open(entry.member) as member:
            array = np.lib.format.read_array(member, allow_pickle=False,
                                             max_header_size=MAX_HEADER)
            if member.read(1):  # reading to the end also makes zipfile check the CRC
                raise NotAModelFile(f"{entry.name!r} holds more bytes than its header declares")
        if array.shape != entry.shape or array.dtype != entry.dtype:
            raise NotAModelFile(f"{entry.name!r} does not match its header")
        return array


def read_header(member: IO[bytes], name: str) -> tuple[tuple[int, ...], np.dtype]:
    """`(shape, dtype)` from the start of a `.npy` stream, reading nothing past the header."""
    if member.read(len(NPY_MAGIC)) != NPY_MAGIC:
        raise NotAModelFile(f"{name!r} is not a .npy array")
    version = tuple(member.read(2))
    if version == (1, 0):
        read = np.lib.format.read_array_header_1_0
    elif version == (2, 0):
        read = np.lib.format.read_array_header_2_0
    else:
        raise NotAModelFile(f"{name!r} is a .npy array of an unsupported version {version}")
    try:
        shape, _, dtype = read(member, max_header_size=MAX_HEADER)
    except ValueError as exc:
        raise NotAModelFile(f"{name!r} has a damaged .npy header ({exc})") from None
    return tuple(shape), dtype


@contextlib.contextmanager
def open_archive(path: str | os.PathLike[str]) -> Iterator[Archive]:
    """Open `path` as an `.npz` archive, checking first that it is a zip file at all.

    Raises `FileNotFoundError` for a missing file and `NotAModelFile` (with the reason) for
    anything that is not a readable zip of `.npy` members.
    """
    with open(path, "rb") as file:
        start = file.read(len(NPY_MAGIC))
        if start == NPY_MAGIC:
            raise NotAModelFile("it holds a single .npy array, not an .npz archive")
        if start[:4] not in ZIP_SIGNATURES:
            found = f"starts with {start[:4]!r}" if start else "is empty"
            raise NotAModelFile("it is not an .npz archive: a zip file starts with b'PK', this "
                                f"one {found}")
        file.seek(0)
        try:
            archive = zipfile.ZipFile(file)
        except zipfile.BadZipFile as exc:
            raise NotAModelFile(f"it is a damaged zip archive: {exc}") from None
        with Archive(archive) as opened:
            yield opened
