"""Every Python code block in README.md and docs/*.md runs, so the docs never rot.

Blocks of one page share a namespace and run in order, in a temporary directory, with
matplotlib headless. A block whose info string contains `no-run` is skipped (for excerpts
that cannot run on their own, e.g. a shell session).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python([^\n]*)\n(.*?)^```", re.S | re.M)


def python_blocks(page: Path) -> list[str]:
    return [code for info, code in BLOCK.findall(page.read_text()) if "no-run" not in info]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run(page, tmp_path, monkeypatch):
    blocks = python_blocks(page)
    if not blocks:
        pytest.skip("no Python code blocks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
        except Exception as error:  # report which block failed
            raise AssertionError(f"{page.name}, code block {i} failed: {error!r}") from error
