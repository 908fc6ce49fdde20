"""MkDocs hook: make the fence markers the test suite reads render as ordinary code blocks.

The docs tests read two extra words in a fence's info string: `python no-run` (a block the
tests do not execute) and `text output` (what the Python block above it prints, compared by the
tests). Markdown's fence syntax has no room for them, so before rendering, `python no-run`
becomes `python` and `text output` becomes a text block titled "Output".
"""

from __future__ import annotations

import re
from typing import Any

NO_RUN = re.compile(r"^(\s*```+)python[ \t]+no-run[ \t]*$", re.MULTILINE)
OUTPUT = re.compile(r"^(\s*```+)text[ \t]+output[ \t]*$", re.MULTILINE)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    markdown = NO_RUN.sub(r"\1python", markdown)
    return OUTPUT.sub(r'\1text title="Output"', markdown)
