"""The docs' live explorer pages (docs/explorers/*.html) are what docs/gen_explorer.py writes
today, byte for byte: a golden test of the page, generated in a fresh process (node ids count
from the start of a process)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_committed_pages_are_current():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(DOCS / "gen_explorer.py"), "--check"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_link_into_a_page_names_an_existing_step():
    pages = {}
    for path in (DOCS / "explorers").glob("*.html"):
        pages[path.name] = int(re.search(r'data-steps="(\d+)"', path.read_text()).group(1))
    links = 0
    for doc in DOCS.rglob("*.md"):
        for name, step in re.findall(r"explorers/([\w-]+\.html)#step=(\d+)", doc.read_text()):
            assert name in pages, f"{doc.name}: {name} does not exist"
            assert 0 <= int(step) <= pages[name], f"{doc.name}: {name} has no step {step}"
            links += 1
    assert links >= 10
