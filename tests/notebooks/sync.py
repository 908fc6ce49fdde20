"""The notebooks in examples/notebooks/ are made from the scripts examples/NN_*.py.

Each script is written in jupytext's "percent" format (`# %%` starts a code cell,
`# %% [markdown]` a text cell), so it runs as a script and opens as a notebook. This module
turns a script into its notebook, deterministically (fixed cell ids, no outputs, no version
stamps), so the committed notebooks can be checked against their scripts:

    python -m tests.notebooks.sync           # rewrite every notebook from its script
    python -m tests.notebooks.sync --check   # exit 1 if a notebook differs from its script
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NOTEBOOKS = EXAMPLES / "notebooks"


def scripts() -> list[Path]:
    """The scripts that have notebooks: `00_start_here.py` and one per lesson."""
    return sorted(EXAMPLES.glob("[0-9][0-9]_*.py"))


def notebook_path(script: Path) -> Path:
    return NOTEBOOKS / f"{script.stem}.ipynb"


def notebook_text(script: Path) -> str:
    """The notebook of `script` as .ipynb JSON text."""
    notebook = jupytext.read(script, fmt="py:percent")
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number:02d}"
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def out_of_date() -> list[Path]:
    """The notebooks that are missing or differ from their scripts."""
    return [notebook_path(s) for s in scripts()
            if not notebook_path(s).is_file() or notebook_path(s).read_text() != notebook_text(s)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    stale = out_of_date()
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} differs from its script", file=sys.stderr)
        return 1 if stale else 0
    NOTEBOOKS.mkdir(exist_ok=True)
    for script in scripts():
        notebook_path(script).write_text(notebook_text(script))
    print(f"wrote {len(scripts())} notebooks in {NOTEBOOKS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
