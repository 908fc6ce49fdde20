"""Write the docs' live explorer pages, docs/explorers/*.html, from the built-in examples.

    python docs/gen_explorer.py           # rewrite the pages
    python docs/gen_explorer.py --check   # exit 1 if a page is out of date

The pages are `autograd_lite.explore` of `autograd_lite.viz.examples` (the Value graph with
fan-out and the network of the backpropagation lesson), laid out by autograd_lite's own layout
so they do not depend on the installed Graphviz. The site serves them as they are, and the
Explorer page and the lesson link into their steps (`lesson.html#step=3`). A test
(tests/viz/test_docs_explorer.py) fails when a committed page differs from a fresh one, which
also pins the page byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "explorers"
PAGES = {
    "fan-out.html": ("fan-out", "Backward pass of tanh((a*b + a**2) * b)"),
    "lesson.html": ("lesson", "Backward pass of the backpropagation lesson's network"),
}


def render() -> dict[str, str]:
    """File name -> page."""
    from autograd_lite import explore
    from autograd_lite.viz.examples import EXAMPLES

    pages = {}
    for name, (example, title) in PAGES.items():
        root, module = EXAMPLES[example]()
        pages[name] = explore(root, module=module, layout="layered", title=title).html
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the pages are current")
    args = parser.parse_args(argv)
    stale = []
    for name, page in render().items():
        path = FOLDER / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != page:
            stale.append(name)
            if not args.check:
                FOLDER.mkdir(exist_ok=True)
                path.write_text(page, encoding="utf-8", newline="\n")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)} (run python docs/gen_explorer.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
