"""docs/drawing-graphs.md: every Python block runs and prints its `text output` block, and
every picture the page shows is one its code makes (and is checked in under docs/images)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.debug.docblocks import run_page

PAGE = Path(__file__).resolve().parents[2] / "docs" / "drawing-graphs.md"


def test_drawing_page_blocks_print_what_the_page_shows_and_make_its_pictures(tmp_path):
    results = run_page(PAGE, tmp_path)
    outputs = [(block, output, printed) for block, output, printed in results if output]
    assert len(outputs) >= 3
    for block, output, printed in outputs:
        assert printed == output.code, f"output of the block\n{block.code}\nchanged"
    shown = re.findall(r"!\[[^\]]*\]\(images/([\w-]+)\.svg\)", PAGE.read_text())
    assert len(shown) >= 4
    suffix = ".svg" if shutil.which("dot") else ".dot"
    made = sorted(p.stem for p in (tmp_path / "images").glob(f"*{suffix}"))
    assert made == sorted(shown)
    for name in shown:
        assert (PAGE.parent / "images" / f"{name}.svg").is_file(), f"docs/images/{name}.svg"
