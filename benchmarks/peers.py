"""The peers, imported only when installed (they are never dependencies of autograd_lite).

Each loader returns the module, or raises `Missing` with the reason the peer is skipped.
PyTorch counts only in the exact version the reference table used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

TORCH_VERSION = "2.13.0"


class Missing(Exception):
    """A peer that is not installed (or not in the version we compare with)."""


def load_torch() -> ModuleType:
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        raise Missing(f"PyTorch is not installed (pip install torch=={TORCH_VERSION})") from None
    version = torch.__version__.split("+")[0]
    if version != TORCH_VERSION:
        raise Missing(f"found PyTorch {torch.__version__}, the table compares {TORCH_VERSION}")
    torch.set_num_threads(1)
    return torch


def load_micrograd() -> ModuleType:
    try:
        return importlib.import_module("micrograd.engine")
    except ImportError:
        raise Missing("micrograd is not installed (pip install micrograd)") from None


def load_micrograd_nn() -> ModuleType:
    load_micrograd()
    return importlib.import_module("micrograd.nn")


def load_hips() -> ModuleType:
    """HIPS autograd (the `autograd` package), with `autograd.numpy` loaded."""
    try:
        autograd = importlib.import_module("autograd")
        importlib.import_module("autograd.numpy")
        importlib.import_module("autograd.scipy.special")
    except ImportError:
        raise Missing("HIPS autograd is not installed (pip install autograd)") from None
    return autograd


def torch_label() -> str:
    return f"PyTorch {TORCH_VERSION}"


def peer_versions() -> dict[str, str]:
    """Installed peer versions, for the report."""
    from importlib import metadata

    versions = {}
    for dist in ("torch", "micrograd", "autograd"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return versions
