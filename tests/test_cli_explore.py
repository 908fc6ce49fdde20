"""The command line and the explorer: `autograd-lite demo` writes backprop.html for its drawn
graph, `autograd-lite explore` writes the page of a built-in example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_lite import cli
from autograd_lite.viz.examples import EXAMPLES
from tests.viz.pages import read_trace

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("engine", ["tensor", "scalar"])
def test_demo_writes_the_explorer_of_its_graph(tmp_path, capsys, engine):
    args = ["demo", "--engine", engine, "--epochs", "2", "--samples", "20", "--no-progress",
            "--out", str(tmp_path)]
    assert cli.main(args) == 0
    page = (tmp_path / "backprop.html").read_text(encoding="utf-8")
    assert f"wrote {tmp_path / 'backprop.html'}" in capsys.readouterr().out
    trace = read_trace(page)
    names = {node.get("name") for node in trace["nodes"].values()}
    assert "loss" in names and len(trace["steps"]) > 3
    if engine == "tensor":  # the parameters carry their dotted names
        assert "layers.0.weight" in names and trace["kind"] == "tensor"


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_explore_writes_an_example_page(tmp_path, capsys, example):
    out = tmp_path / f"{example}.html"
    assert cli.main(["explore", "--example", example, "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    trace = read_trace(out.read_text(encoding="utf-8"))
    root, module = EXAMPLES[example]()
    from autograd_lite import backward_steps

    assert [s["op"] for s in trace["steps"]] == [s.op for s in backward_steps(root)]


def test_explore_in_a_subprocess_with_its_default_file(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "autograd_lite", "explore"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "backprop.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    proc = subprocess.run([sys.executable, "-m", "autograd_lite", "--help"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert "explore" in proc.stdout


def test_explore_into_a_missing_folder_is_an_error_not_a_traceback(tmp_path, capsys):
    assert cli.main(["explore", "--out", str(tmp_path / "no" / "page.html")]) == 1
    assert "cannot write" in capsys.readouterr().err
