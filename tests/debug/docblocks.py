"""Run the Python blocks of a docs page and compare what they print with the page.

A fenced block whose info string is `text output` holds the expected output of the Python
block just before it (node ids such as `#12` may differ: they depend on what ran before).
`python -m tests.debug.docblocks docs/PAGE.md` rewrites those output blocks from a fresh run
(review the diff before keeping it).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NODE_ID = re.compile(r"#(\d+)\b")


def without_node_ids(text: str) -> str:
    """`text` with node ids (`#12` in a step's text: they count every node the process ever
    made, so they depend on what ran before) renumbered in order of first appearance, and
    runs of spaces made one (the columns of a step's text widen with its ids)."""
    numbers: dict[str, str] = {}
    text = NODE_ID.sub(lambda m: "#" + numbers.setdefault(m.group(1), f"<{len(numbers)}>"), text)
    return re.sub(r" +", " ", text)


def same_output(printed: str, shown: str) -> bool:
    """Whether a block printed what the page shows, node ids aside (see `without_node_ids`)."""
    return printed == shown or without_node_ids(printed) == without_node_ids(shown)


@dataclass
class Block:
    """One fenced block: its info string, its text and where the text sits in the page."""

    info: str
    code: str
    start: int
    end: int

    @property
    def is_python(self) -> bool:
        return self.info.split()[:1] == ["python"] and "no-run" not in self.info

    @property
    def is_output(self) -> bool:
        return self.info.strip() == "text output"


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block of a markdown text, in order."""
    return [Block(m.group(1).strip(), m.group(2), m.start(2), m.end(2))
            for m in FENCE.finditer(text)]


def run_page(page: Path, workdir: Path) -> list[tuple[Block, Block | None, str]]:
    """Run the page's Python blocks in order in one namespace, inside `workdir`.

    Returns `(python block, its output block or None, what it printed)` for each.
    """
    blocks = fenced_blocks(page.read_text())
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    results = []
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        for i, block in enumerate(blocks):
            if not block.is_python:
                continue
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            output = following if following is not None and following.is_output else None
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(block.code, f"{page.name}[block {i}]", "exec"), namespace)
            results.append((block, output, buffer.getvalue()))
    finally:
        os.chdir(previous)
    return results


def update_page(page: Path, workdir: Path) -> None:
    """Rewrite the page's output blocks with what the Python blocks print now."""
    text = page.read_text()
    for _, output, printed in reversed(run_page(page, workdir)):
        if output is not None:
            text = text[:output.start] + printed + text[output.end:]
    page.write_text(text)


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        update_page(target, Path(tmp))
