"""Write docs/derivative-rules.md: the derivative rule of every registered op, from the registry.

    python docs/gen_rules.py           # rewrite the page
    python docs/gen_rules.py --check   # exit 1 if the page is out of date

The table is read from `autograd_lite.TENSOR_OPS` and `autograd_lite.SCALAR_OPS`: each op
class's `name`, its one-line `rule`, the first line of its docstring and its `smooth` flag.
A test (tests/test_derivative_rules.py) fails when the committed page and the registry differ.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parent / "derivative-rules.md"

HEADER = """\
# Derivative rules

Every operation autograd_lite can differentiate is one class with a `forward` and a `vjp`
(vector-Jacobian product) side by side. This table lists them all, generated from the op
registry (`autograd_lite.TENSOR_OPS` and `autograd_lite.SCALAR_OPS`) by `docs/gen_rules.py`,
so it cannot fall behind the code; a test checks that it is up to date.

How to read a row: `grad_out` is the gradient arriving from above (d loss / d out, in the
output's shape), and `grad_x` is what the rule sends to input `x`. A rule written with
differentials, like `d(x * y) = y dx + x dy`, says the same thing: `grad_x = grad_out * y`,
`grad_y = grad_out * x`. Where an op broadcasts its inputs, the engine sums each gradient back
to its input's shape after the rule has run (see [How the engine works](engine.md)).

"Second derivatives" is *yes* for ops whose derivative is itself smooth: the test suite checks
their second derivatives (through `create_graph=True`) against finite differences. Ops with
kinks (`relu`, `abs`, `max`, ...) use the conventions of the API: the derivative at a kink is
0, and ties share the gradient equally.
"""


def escape(text: str) -> str:
    """Make text safe inside a table cell, where a `|` ends the cell on some renderers.

    `|x|` becomes `abs(x)`; any other `|` becomes the look-alike U+2223.
    """
    return re.sub(r"\|([^|]+)\|", r"abs(\1)", text).replace("|", "\u2223")


def summary(cls: type) -> str:
    """What the op computes: the docstring's first line, up to its derivative part."""
    first = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    match = re.match(r"^(.*?\.)\s{2,}", first)
    return (match.group(1) if match else first).rstrip(".").replace("`", "")


def breakable(name: str) -> str:
    """An identifier as HTML code that may wrap only between its words: after an underscore
    (`binary_cross_entropy_with_logits`) or before a capital (`BinaryCrossEntropy`), never
    inside a word, so a narrow table column keeps every word whole."""
    marked = re.sub(r"_(?=.)", "_<wbr>", name)
    marked = re.sub(r"(?<=[a-z])(?=[A-Z])", "<wbr>", marked)
    return f"<code>{marked}</code>"


def table(registry: dict[str, type], title: str, blurb: str) -> list[str]:
    lines = [f"## {title}", "", blurb, "",
             "| op | class | family | computes | derivative rule | second derivatives |",
             "|---|---|---|---|---|---|"]
    for name in sorted(registry):
        cls = registry[name]
        lines.append(
            f"| {breakable(name)} | {breakable(cls.__name__)} | "
            f"{cls.__module__.rsplit('.', 1)[-1]} | "
            f"`{escape(summary(cls))}` | "
            f"`{escape(cls.rule or '(none given)')}` | {'yes' if cls.smooth else 'no'} |")
    return lines + [""]


def render() -> str:
    """The whole page, as Markdown."""
    import autograd_lite as ag

    lines = [HEADER]
    lines += table(ag.TENSOR_OPS, "Tensor ops",
                   f"{len(ag.TENSOR_OPS)} ops on `Tensor`, defined in `autograd_lite/ops/`.")
    lines += table(ag.SCALAR_OPS, "Value ops",
                   f"{len(ag.SCALAR_OPS)} ops on the scalar `Value`, in "
                   "`autograd_lite/ops/scalar.py`: the same rules on Python floats.")
    lines.append("A custom operation (a subclass of `autograd_lite.Function`) brings its own "
                 "`vjp`; it is kept in a separate registry and is not listed here.")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the page is current")
    args = parser.parse_args()
    text = render()
    if args.check:
        if PAGE.read_text() != text:
            print(f"{PAGE} is out of date: run python docs/gen_rules.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text)
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
