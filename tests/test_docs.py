"""Every Python code block in README.md and docs/ runs, and prints what the page shows.

Blocks of one page share a namespace and run in order, in a temporary directory, with
matplotlib headless. A block whose info string contains `no-run` is skipped (for excerpts
that cannot run on their own). A fenced block with the info string `text output` right after
a Python block holds what that block prints, and must match it exactly
(`python -m tests.debug.docblocks docs/PAGE.md` rewrites those blocks from a fresh run).

The site itself must build with `mkdocs build --strict` (skipped when MkDocs is not
installed), and every page must be in its navigation.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.debug.docblocks import fenced_blocks, run_page, same_output
from tests.docs_site.browser import need_katex

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run_and_print_what_the_page_shows(page, tmp_path, monkeypatch):
    if not any(block.is_python for block in fenced_blocks(page.read_text())):
        pytest.skip("no Python code blocks")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for block, output, printed in run_page(page, tmp_path):
        if output is not None:
            assert same_output(printed, output.code), (
                f"{page.name}: the block\n{block.code}\nprinted\n{printed}\n"
                f"but the page shows\n{output.code}")


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text()
    listed = set(re.findall(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w./-]+\.md)\s*$", config,
                            re.MULTILINE))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert pages - listed == set(), "pages missing from the nav of mkdocs.yml"
    assert listed - pages == set(), "the nav of mkdocs.yml lists pages that do not exist"


def test_every_lesson_figure_exists():
    for page in sorted((DOCS / "lessons").glob("*.md")):
        for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text()):
            assert (page.parent / image).is_file(), f"{page.name}: {image} is missing"


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="MkDocs not installed")
def test_site_builds_strictly(tmp_path):
    need_katex()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "lessons" / "01-derivatives" / "index.html").is_file()
