"""`GraphDrawing`: the `graphviz.Digraph` that `draw_graph` returns, with a Jupyter display
that works without the Graphviz `dot` program.

With `dot` installed it displays exactly as a `graphviz.Digraph` does. Without it, instead of
the `ExecutableNotFound` error a notebook would show, it draws an SVG itself: the DOT
statements of the drawing are read back (boxes, their labels, colours and edges, the caption),
laid out by `layout.layered_layout` and written with `svg`. A warning says once per session
how to install Graphviz. `.render` and `.pipe` still need `dot`, as documented.
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import graphviz

from . import svg
from .layout import layout_graph

#: The note shown (once) when a drawing is displayed without Graphviz.
INSTALL_HINT = (
    "the Graphviz 'dot' program is not installed, so this drawing is laid out by "
    "autograd_lite itself. For Graphviz's layout and for .render() / .pipe(), install "
    "Graphviz: apt-get install graphviz, brew install graphviz or conda install graphviz."
)

SVG_MIME = "image/svg+xml"


class GraphDrawing(graphviz.Digraph):
    """A `graphviz.Digraph` (everything Graphviz offers works as usual) whose inline display
    in Jupyter falls back to autograd_lite's own layout when `dot` is missing."""

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        if shutil.which("dot"):
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except graphviz.ExecutableNotFound:
                pass  # found on PATH but would not run: draw it ourselves
        wanted = set(include) if include is not None else {SVG_MIME}
        wanted -= set(exclude or ())
        if include is not None and SVG_MIME not in wanted:
            return {}
        tell_once()
        return {SVG_MIME: fallback_svg(self)}

    def _repr_image_svg_xml(self) -> str:
        """The drawing as SVG: Graphviz's rendering, or ours when `dot` is missing."""
        try:
            return super()._repr_image_svg_xml()
        except graphviz.ExecutableNotFound:
            tell_once()
            return fallback_svg(self)


class Told:
    """Whether the install hint was shown in this session."""

    done = False


def tell_once() -> None:
    if not Told.done:
        Told.done = True
        warnings.warn(f"draw_graph: {INSTALL_HINT}", UserWarning, stacklevel=3)


# ---- reading the drawing's DOT statements back -------------------------------------------------

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|<(?:[^<>]|<[^<>]*>)*>|->|--|[\[\]=;,{}]|[^\s\[\]=;,{}"]+')


def unquote(token: str) -> str:
    """A DOT ID as its text (a quoted string loses its quotes and `\\"` escapes)."""
    if token.startswith('"') and token.endswith('"'):
        return token[1:-1].replace('\\"', '"').replace("\\\n", "")
    if token.startswith("<") and token.endswith(">"):
        return re.sub(r"<[^>]*>", "", token[1:-1])
    return token


@dataclass
class DotGraph:
    """What the fallback draws: nodes (id -> attributes, in order), edges, graph attributes."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


def read_statements(digraph: graphviz.Digraph) -> DotGraph:
    """The nodes, edges and graph attributes of a drawing, from its DOT statements (one per
    line, as the `graphviz` package writes them). Subgraphs are flattened."""
    graph = DotGraph()
    graph.attrs.update(digraph.graph_attr)
    defaults = dict(digraph.node_attr)
    for line in digraph.body:
        tokens = TOKEN.findall(line)
        if not tokens or tokens[0] in ("}", "subgraph", "{"):
            continue
        attrs: dict[str, str] = {}
        if "[" in tokens:
            start = tokens.index("[")
            attrs = read_attributes(tokens[start + 1:])
            tokens = tokens[:start]
        if tokens and tokens[0] in ("graph", "node", "edge"):
            if tokens[0] == "graph":
                graph.attrs.update(attrs)
            elif tokens[0] == "node":
                defaults.update(attrs)
            continue
        if len(tokens) == 3 and tokens[1] == "=":  # `label="..."` at graph level
            graph.attrs[unquote(tokens[0])] = unquote(tokens[2])
            continue
        if len(tokens) >= 3 and tokens[1] in ("->", "--"):
            ids = [unquote(t) for t in tokens[::2]]
            for tail, head in zip(ids, ids[1:]):
                for end in (tail, head):
                    graph.nodes.setdefault(end, dict(defaults))
                graph.edges.append((tail, head, attrs))
            continue
        if len(tokens) == 1:
            node = graph.nodes.setdefault(unquote(tokens[0]), dict(defaults))
            node.update(attrs)
    return graph


def read_attributes(tokens: list[str]) -> dict[str, str]:
    """`key=value` pairs of an attribute list (up to its `]`)."""
    attrs = {}
    i = 0
    while i < len(tokens) and tokens[i] != "]":
        if i + 2 < len(tokens) and tokens[i + 1] == "=":
            attrs[unquote(tokens[i])] = unquote(tokens[i + 2])
            i += 3
        else:
            i += 1
    return attrs


RECORD_ESCAPES = re.compile(r"\\(.)")


def label_lines(label: str, shape: str) -> list[str]:
    """The lines of text of a node label: a record's fields one per line (`{a | b}`), DOT's
    line breaks (`\\n`, `\\l`, `\\r`) as new lines."""
    if shape in ("record", "Mrecord"):
        text = label.strip()
        if text.startswith("{") and text.endswith("}") and not text.endswith("\\}"):
            text = text[1:-1]
        fields: list[str] = []
        current = []
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text):
                current.append(text[i:i + 2])
                i += 2
                continue
            if char == "|":
                fields.append("".join(current))
                current = []
            elif char not in "{}":
                current.append(char)
            i += 1
        fields.append("".join(current))
        lines = []
        for part in fields:
            lines.extend(split_breaks(part.strip()))
        return [line for line in lines if line] or [""]
    return split_breaks(label)


def split_breaks(text: str) -> list[str]:
    """Split at DOT's line breaks and drop the remaining escapes (`\\{` -> `{`)."""
    pieces = re.split(r"\\[nlr]", text)
    return [RECORD_ESCAPES.sub(r"\1", piece).strip() for piece in pieces]


def fallback_svg(digraph: graphviz.Digraph) -> str:
    """The drawing as SVG without Graphviz: boxes and ellipses with their labels and fill
    colours, edges with their labels, the caption underneath."""
    graph = read_statements(digraph)
    rankdir = graph.attrs.get("rankdir", "TB")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        rankdir = "TB"
    horizontal = rankdir in ("LR", "RL")
    boxes = {}
    for key, attrs in graph.nodes.items():
        shape = attrs.get("shape", "ellipse")
        lines = [svg.clip(line) for line in label_lines(attrs.get("label", key), shape)]
        width, height = svg.box_size(lines, min_width=30.0)
        if shape in ("ellipse", "oval", "circle"):
            width, height = width + 10.0, height + 2.0
        boxes[key] = (lines, width, height, shape, attrs)
    placed = layout_graph([(k, b[1], b[2]) for k, b in boxes.items()],
                          [(t, h) for t, h, _ in graph.edges], rankdir, "layered")
    caption = split_breaks(graph.attrs.get("label", "")) if graph.attrs.get("label") else []
    caption_height = len(caption) * svg.LINE_HEIGHT + (6 if caption else 0)
    width = max(placed.width, max((len(c) for c in caption), default=0) * svg.CHAR_WIDTH + 16)
    height = placed.height + caption_height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{svg.num(width)}" '
        f'height="{svg.num(height)}" viewBox="0 0 {svg.num(width)} {svg.num(height)}" '
        f'font-family="{svg.FONT_FAMILY}" font-size="{svg.num(svg.FONT_SIZE)}">',
        "<title>graph drawn by autograd_lite without Graphviz</title>",
        f"<defs>{svg.ARROW_MARKER}</defs>",
        f'<rect width="{svg.num(width)}" height="{svg.num(height)}" fill="#ffffff"/>',
    ]
    for (_, _, attrs), route in zip(graph.edges, placed.routes):
        dashed = ' stroke-dasharray="4 3"' if "dashed" in attrs.get("style", "") else ""
        colour = attrs.get("color", "#6b7280")
        out.append(f'<path d="{svg.route_path(route, False, horizontal)}" fill="none" '
                   f'stroke="{svg.text(colour)}"{dashed} marker-end="url(#arrow)"/>')
        if attrs.get("label"):
            x, y = svg.label_point(route)
            out.append(f'<text x="{svg.num(x)}" y="{svg.num(y)}" font-size="9" '
                       f'fill="#374151">{svg.text(attrs["label"])}</text>')
    for key, (lines, w, h, shape, attrs) in boxes.items():
        cx, cy = placed.centers[key]
        style = attrs.get("style", "")
        fill = attrs.get("fillcolor", "#ffffff") if "filled" in style else "#ffffff"
        dashed = ' stroke-dasharray="4 3"' if "dashed" in style else ""
        stroke_width = attrs.get("penwidth", "1")
        out.append(f"<g><title>{svg.text(key)}</title>")
        if shape in ("ellipse", "oval", "circle"):
            out.append(f'<ellipse cx="{svg.num(cx)}" cy="{svg.num(cy)}" rx="{svg.num(w / 2)}" '
                       f'ry="{svg.num(h / 2)}" fill="{svg.text(fill)}" stroke="#374151"'
                       f'{dashed}/>')
        else:
            rounded = ' rx="4"' if "rounded" in style else ""
            out.append(f'<rect x="{svg.num(cx - w / 2)}" y="{svg.num(cy - h / 2)}" '
                       f'width="{svg.num(w)}" height="{svg.num(h)}"{rounded} '
                       f'fill="{svg.text(fill)}" stroke="#374151" '
                       f'stroke-width="{svg.text(stroke_width)}"{dashed}/>')
        colour = attrs.get("fontcolor", "#111827")
        top = cy - h / 2 + svg.PAD_Y + (1 if shape in ("ellipse", "oval", "circle") else 0)
        for i, line in enumerate(lines):
            y = top + (i + 0.78) * svg.LINE_HEIGHT
            if shape in ("record", "Mrecord") and i:
                out.append(f'<line x1="{svg.num(cx - w / 2)}" x2="{svg.num(cx + w / 2)}" '
                           f'y1="{svg.num(y - 0.78 * svg.LINE_HEIGHT)}" '
                           f'y2="{svg.num(y - 0.78 * svg.LINE_HEIGHT)}" stroke="#9ca3af" '
                           f'stroke-width="0.5"/>')
            out.append(f'<text x="{svg.num(cx)}" y="{svg.num(y)}" text-anchor="middle" '
                       f'fill="{svg.text(colour)}">{svg.text(line)}</text>')
        out.append("</g>")
    for i, line in enumerate(caption):
        y = placed.height + 4 + (i + 0.78) * svg.LINE_HEIGHT
        out.append(f'<text x="{svg.num(width / 2)}" y="{svg.num(y)}" text-anchor="middle" '
                   f'fill="#374151">{svg.text(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)
