"""The notebooks: in sync with their scripts, and executed, with their outputs' kinds checked.

Each notebook runs top to bottom in a fresh Jupyter kernel (nbclient, ipykernel), as a learner
would run it: the drawings must come out as `image/svg+xml`, the figures as `image/png` and the
start-here notebook's backprop explorer as `text/html` (the explorer's page inside an iframe),
and no cell may raise. Skipped cleanly where nbclient or ipykernel is missing.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from .sync import NOTEBOOKS, ROOT, notebook_path, out_of_date, scripts

HAVE_JUPYTER = all(importlib.util.find_spec(name) for name in ("nbclient", "ipykernel"))
HAVE_DOT = shutil.which("dot") is not None
SETUP = re.compile(r"^# %%\n# Setup, the same in every lesson\..*?(?=\n\n\n)",
                   re.DOTALL | re.MULTILINE)


def test_every_notebook_matches_its_script():
    assert len(scripts()) == 12
    stale = [str(p.relative_to(ROOT)) for p in out_of_date()]
    assert not stale, f"regenerate with `python -m tests.notebooks.sync`: {stale}"
    extra = {p.name for p in NOTEBOOKS.glob("*.ipynb")} - {notebook_path(s).name
                                                            for s in scripts()}
    assert not extra, f"notebooks without a script: {extra}"


def test_every_script_has_the_same_setup_cell():
    cells = {script.name: SETUP.search(script.read_text()) for script in scripts()}
    missing = [name for name, match in cells.items() if match is None]
    assert not missing, f"no setup cell in {missing}"
    texts = {match.group(0) for match in cells.values()}
    assert len(texts) == 1, "the setup cells differ between scripts: keep them identical"


def run_notebook(path: Path) -> tuple[object, float]:
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def outputs_of(notebook: object) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs]


TRACE = re.compile(r'<script type="application/json" id="autograd-lite-trace">(.*?)</script>',
                   re.DOTALL)


def explorer_traces(outputs: list[dict]) -> list[dict]:
    """The trace of every explorer page shown inline: the `text/html` outputs holding an iframe
    whose `srcdoc` is the explorer's page, its embedded JSON trace parsed."""
    traces = []
    for output in outputs:
        if output.output_type not in ("display_data", "execute_result"):
            continue
        for srcdoc in re.findall(r'<iframe srcdoc="([^"]*)"', output.data.get("text/html", "")):
            match = TRACE.search(html.unescape(srcdoc))
            if match:
                traces.append(json.loads(match.group(1)))
    return traces


@pytest.mark.skipif(not HAVE_JUPYTER, reason="nbclient or ipykernel is not installed")
@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.stem)
def test_notebook_runs_and_shows_its_figures(script, monkeypatch):
    # The kernel imports this checkout (a child process: it inherits the environment).
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's own inline backend
    notebook, elapsed = run_notebook(notebook_path(script))
    outputs = outputs_of(notebook)
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    kinds = [kind for o in outputs if o.output_type in ("display_data", "execute_result")
             for kind in o.data]
    text = "".join(o.text for o in outputs if o.output_type == "stream")
    assert text.strip(), "the notebook prints what it shows"
    assert "saved " not in text, "a notebook shows its figures, it does not save them"
    assert kinds.count("image/png") >= 1, f"no figure among {kinds}"
    if script.stem == "00_start_here":
        if HAVE_DOT:
            assert kinds.count("image/svg+xml") == 2, f"two drawings expected, got {kinds}"
        assert "layers.0.weight#" in text and "a.grad = 1.0  b.grad = 2.0" in text
        assert kinds.count("text/html") == 1, f"one explorer expected, got {kinds}"
        traces = explorer_traces(outputs)
        assert len(traces) == 1, "the text/html output is not the explorer's page"
        # the steps of backward_steps(d) printed above: add, then a ** 2, then a * b
        assert [step["op"] for step in traces[0]["steps"]] == ["add", "pow", "mul"]
        assert "3 steps over 6 nodes" in text
    assert elapsed < 30, f"{script.name} took {elapsed:.1f} s"
