"""Small pieces of SVG shared by the explorer page and `draw_graph`'s display without Graphviz:
text escaping, number formatting, edge paths from a `Layout`'s routes, text metrics.

Text is set in a monospace font, so a box's width follows from its longest line without
measuring anything: the drawing is the same on every machine.
"""

from __future__ import annotations

from html import escape

from .layout import Point

#: Font size, width of one character and line height of node text, in pixels.
FONT_SIZE = 12.0
CHAR_WIDTH = 7.25
LINE_HEIGHT = 15.0
#: Padding inside a box.
PAD_X = 7.0
PAD_Y = 5.0
#: The longest line drawn in a box (longer ones end with an ellipsis).
MAX_CHARS = 44

FONT_FAMILY = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"

#: An arrowhead: a marker drawn from the end of a route, ARROW pixels long (see layout).
ARROW_MARKER = (
    '<marker id="arrow" viewBox="0 0 6 6" refX="0" refY="3" markerWidth="6" markerHeight="6" '
    'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L6,3 L0,6 z" class="arrow-head" '
    'fill="#6b7280"/></marker>'
)


def text(value: str) -> str:
    """`value` escaped for XML text and attribute values."""
    return escape(value, quote=True)


def num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros (`12`, `12.5`)."""
    return f"{round(value, 1) + 0.0:g}"


def clip(line: str, limit: int = MAX_CHARS) -> str:
    """`line` cut to `limit` characters, with an ellipsis when cut."""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def box_size(lines: list[str], min_width: float = 48.0) -> tuple[float, float]:
    """Width and height of a box holding `lines` (already clipped)."""
    longest = max((len(line) for line in lines), default=0)
    width = max(min_width, longest * CHAR_WIDTH + 2 * PAD_X)
    height = len(lines) * LINE_HEIGHT + 2 * PAD_Y
    return round(width, 1), round(height, 1)


def route_path(points: tuple[Point, ...], curved: bool, horizontal: bool) -> str:
    """The `d` of an edge: Bezier control points as they are (`curved`), else a smooth curve
    through the waypoints, leaving and entering each along the rank axis."""
    first = points[0]
    parts = [f"M{num(first[0])},{num(first[1])}"]
    if curved:
        rest = points[1:]
        for i in range(0, len(rest) - 2, 3):
            (a, b), (c, d), (e, f) = rest[i], rest[i + 1], rest[i + 2]
            parts.append(f"C{num(a)},{num(b)} {num(c)},{num(d)} {num(e)},{num(f)}")
        return "".join(parts)
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if horizontal:
            half = (x1 - x0) / 2
            c1, c2 = (x0 + half, y0), (x1 - half, y1)
        else:
            half = (y1 - y0) / 2
            c1, c2 = (x0, y0 + half), (x1, y1 - half)
        parts.append(f"C{num(c1[0])},{num(c1[1])} {num(c2[0])},{num(c2[1])} {num(x1)},{num(y1)}")
    return "".join(parts)


def label_point(points: tuple[Point, ...]) -> Point:
    """Where to write an edge's label: a little before its end, beside the line."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return (x1 + (x0 - x1) * 0.35 - 3.0, y1 + (y0 - y1) * 0.35 - 4.0)
