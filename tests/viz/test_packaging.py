"""The explorer's script and styles are package data: a wheel ships them and an installed copy
of autograd_lite reads them (the page is complete outside the source tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import autograd_lite, sys
from autograd_lite import Value, explore
assert autograd_lite.__file__.startswith(sys.argv[1]), autograd_lite.__file__
page = explore(Value(2.0, label="a") * 3.0).html
assert "function revive(" in page and "--accent" in page
print("ok")
"""


def test_an_installed_wheel_has_the_page_assets(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "autograd_lite", source / "autograd_lite",
                    ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(tmp_path / "dist")], capture_output=True, text=True, timeout=300,
        check=False)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"autograd_lite/viz/explorer.js", "autograd_lite/viz/explorer.css"} <= set(names)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, timeout=300, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(target))
    ran = subprocess.run([sys.executable, "-c", CHECK, str(target)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, check=False)
    assert ran.stdout.strip() == "ok", ran.stderr
