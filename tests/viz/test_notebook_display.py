"""In a real Jupyter kernel (nbclient): an Explorer displays inline as HTML, and draw_graph
displays as SVG also when the Graphviz `dot` program is not on PATH."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]

SETUP = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import autograd_lite as ag
from autograd_lite import Value
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a ** 2
c.label = "c"
"""


def run_notebook(tmp_path: Path, *cells: str):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SETUP), *[nbformat.v4.new_code_cell(c) for c in cells]])
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return notebook.cells[1:]


def test_explorer_and_drawing_display_inline_without_dot(tmp_path, monkeypatch):
    # The kernel inherits this PATH: Python's folder, and no Graphviz.
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable))
    explorer_cell, drawing_cell = run_notebook(
        tmp_path, "ag.explore(c)", "c.backward()\nag.draw_graph(c)")
    [shown] = [o for o in explorer_cell.outputs if o.output_type == "execute_result"]
    html = shown.data["text/html"]
    assert html.startswith("<iframe srcdoc=") and "autograd-lite-trace" in html
    assert not [o for o in explorer_cell.outputs if o.output_type == "error"]
    [drawn] = [o for o in drawing_cell.outputs if o.output_type == "execute_result"]
    svg = drawn.data["image/svg+xml"]
    assert "<svg" in svg and "data -6" in svg and "grad 1" in svg
    warned = "".join(o.get("text", "") for o in drawing_cell.outputs if o.output_type == "stream")
    assert "install Graphviz" in warned
