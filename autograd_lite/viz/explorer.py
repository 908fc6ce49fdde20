"""`explore(root)`: the backward pass of a Value or Tensor graph as one self-contained web page.

The page holds everything inline (styles, script, the recorded trace as JSON, the graph as
SVG) and fetches nothing. Without scripts (GitHub, nbviewer) it still shows the graph with
every node's data and gradient after the last step, the gradient check and a transcript of the
steps; with scripts it steps through backward with buttons, keys, a scrubber, clicks on nodes
and `#step=N` links. The trace comes from `trace.record_trace`, which runs `backward_steps`;
the layout from `layout.layout_graph` (Graphviz `dot` when installed, else our own).

Stable hooks for tests and tools (API §9): the trace in
`<script type="application/json" id="autograd-lite-trace">`, `data-current-step` on the
element `#explorer`, `data-node-id` on each node's `<g>`, class `current` on the node of the
current step.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.node import Node
from ..text import format_number
from . import svg
from .graph import SYMMETRIC_OPS, ancestors, select_nodes
from .labels import format_values
from .layout import Layout, layout_graph
from .trace import (
    NodeRecord,
    StepRecord,
    Trace,
    check_leaves,
    check_root,
    fmt_shape,
    is_finite,
    node_names,
    record_trace,
    short_text,
)

#: Most Values / Tensors drawn; past it the drawing keeps the part nearest the root (repeated
#: structure collapsed first, as in `draw_graph`) and per-step detail is kept for drawn nodes.
DEFAULT_MAX_NODES = 200
#: Up to this many numbers in the trace are written exactly (shortest round-trip form);
#: past it, to `COMPACT_DIGITS` significant digits.
EXACT_NUMBERS = 5_000
COMPACT_DIGITS = 6
#: Past this many numbers in the trace, arrays larger than `LARGE_ARRAY` elements are written
#: as a summary (shape, min, mean, max) instead of their values.
MAX_NUMBERS = 400_000
LARGE_ARRAY = 10_000
#: Steps listed in the transcript, and inputs named per step (the trace has them all).
TRANSCRIPT_STEPS = 300
TRANSCRIPT_INPUTS = 6
#: Height of the inline display in a notebook, in pixels.
NOTEBOOK_HEIGHT = 720


class Explorer:
    """A recorded backward pass, laid out as a web page (see `explore`).

    - `html`: the page, one self-contained HTML document (a str).
    - `save(path)`: write it to a file (UTF-8); returns the path.
    - In Jupyter it displays inline (an iframe holding the page, no server needed).
    - `steps`: the number of steps; `nodes`: the number of Values / Tensors in the graph;
      `drawn`: how many of them the drawing shows; `layout`: "dot" or "layered" (who laid the
      graph out); `notes`: what the page left out or shortened, in words.
    """

    def __init__(self, html: str, steps: int, nodes: int, drawn: int, layout: str,
                 notes: list[str]) -> None:
        self.html = html
        self.steps = steps
        self.nodes = nodes
        self.drawn = drawn
        self.layout = layout
        self.notes = notes

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to `path` (UTF-8) and return the path. The page is written to a
        temporary file beside it and moved into place, so a failed write never leaves half a
        page."""
        target = Path(path)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(temp, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(self.html)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return target

    def _repr_html_(self) -> str:
        """The page inside an iframe (`srcdoc`), for JupyterLab, Notebook, VS Code and Colab."""
        return (
            f'<iframe srcdoc="{escape(self.html, quote=True)}" title="backprop explorer" '
            f'style="width: 100%; height: {NOTEBOOK_HEIGHT}px; border: 1px solid #8884; '
            f'border-radius: 4px;" sandbox="allow-scripts"></iframe>'
        )

    def __repr__(self) -> str:
        return (f"<Explorer: {self.steps} steps, {self.nodes} nodes ({self.drawn} drawn), "
                f"{len(self.html)} characters>")


def explore(root: Node, module: Any = None, *, max_nodes: int = DEFAULT_MAX_NODES,
            layout: str = "auto", rankdir: str | None = None, title: str = "") -> Explorer:
    """Record the backward pass of `root` step by step and lay it out as an `Explorer` page.

    - `root`: a Value, or a Tensor with one element (a loss), built with recording on.
    - `module`: an object with `named_parameters()` (an `nn.Module`): its parameters are
      named by their dotted names (`layers.0.weight`), as in `draw_graph`.
    - `max_nodes`: most Values / Tensors drawn. A bigger graph is drawn from the root out
      (repeated structure collapsed, the rest counted in one box); every step stays in the
      trace, and the steps of nodes not drawn keep their gradients but not their Jacobians.
    - `layout`: "auto" (Graphviz `dot` when installed, else autograd_lite's own layered
      layout), "dot" or "layered".
    - `rankdir`: "LR" (inputs on the left, the root on the right), "TB" (inputs at the top),
      "RL" or "BT"; by default "LR" for a Value graph and "TB" for a Tensor graph, whose
      boxes are wider.
    - `title`: the page's heading (default: "Backward pass of <root's name>").

    The steps are exactly those of `backward_steps(root)`. Every `.grad` is restored and
    nothing saved for backward is released, so `root.backward()` still works afterwards.
    Hooks registered on nodes run, as in any backward.

    Raises `TypeError` for a root that is not a Value or Tensor, `ValueError` for a Tensor
    with more than one element (reduce it first) or a bad option, `RuntimeError` for a root
    that does not require grad or a graph whose saved values an earlier backward freed.
    """
    check_root(root)
    if max_nodes < 1:
        raise ValueError(f"explore: max_nodes must be at least 1, got {max_nodes}")
    if layout not in ("auto", "dot", "layered"):
        raise ValueError(f"explore: layout must be 'auto', 'dot' or 'layered', got {layout!r}")
    if rankdir is None:
        rankdir = "TB" if isinstance(root._data, np.ndarray) else "LR"
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"explore: rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    names = node_names(module)
    everything = ancestors(root)
    drawn, folded = select_nodes(everything, max_nodes)
    drawn_ids = {id(node) for node in drawn}
    trace = record_trace(root, module, detail=lambda node: id(node) in drawn_ids)
    leaves = ordered_leaves(everything, names)
    check_leaves(root, trace, leaves)

    notes: list[str] = []
    if len(drawn) < len(everything) or folded:
        notes.append(
            f"The graph has {len(everything)} nodes, more than this page draws ({max_nodes}): "
            f"the drawing shows {len(drawn)} nearest the root"
            + (f", {len(folded)} of them dashed boxes standing for a repeat of a subgraph drawn "
               "in full" if folded else "")
            + ". Every step is in the trace and can be stepped through; the steps of nodes not "
            "drawn show their gradients without Jacobians or shape rules.")
    doc = trace_document(trace, notes)
    folded_ids = {node.id for node in drawn if id(node) in folded}
    left_out = [node for node in everything if id(node) not in drawn_ids]
    graph_svg, engine = draw_svg(root, trace, drawn, folded_ids, left_out, layout, rankdir)
    heading = title or f"Backward pass of {display_name(trace.nodes[root.id])}"
    page = render_page(heading, trace, doc, graph_svg, engine, notes)
    return Explorer(page, len(trace.steps), len(everything), len(drawn), engine, notes)


def ordered_leaves(nodes: list[Node], names: dict[int, str]) -> list[Node]:
    """The leaves that need a gradient: named parameters first (in the module's order), then
    the rest by creation."""
    leaves = [node for node in nodes if node._op is None and node.requires_grad]
    rank = {key: i for i, key in enumerate(names)}
    return sorted(leaves, key=lambda n: (rank.get(id(n), len(rank)), n.id))


def display_name(record: NodeRecord) -> str:
    """A node's name in sentences: its name, else its op (or role) and id (`mul #7`)."""
    if record.name:
        return record.name
    return f"{record.op or record.role} #{record.id}"


# ---- the trace as JSON -----------------------------------------------------------------------


class NumberWriter:
    """Turns gradients and Jacobians into JSON values with a fixed, stable number format.

    Exact: floats as Python's shortest round-trip repr (float32 to 9 digits). Compact: to
    `COMPACT_DIGITS` significant digits. NaN and infinities, which JSON lacks, become the
    strings "NaN", "Infinity", "-Infinity". Arrays become nested lists; with `summarize`, an
    array over `LARGE_ARRAY` elements becomes `{"shape", "min", "mean", "max", "omitted"}`.
    """

    def __init__(self, exact: bool, summarize: bool) -> None:
        self.exact = exact
        self.summarize = summarize

    def number(self, x: float, single: bool = False) -> Any:
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        if self.exact:
            return float(f"{x:.9g}") + 0.0 if single else x + 0.0
        return float(f"{x:.{COMPACT_DIGITS}g}") + 0.0

    def value(self, x: Any) -> Any:
        if x is None:
            return None
        if isinstance(x, (float, int)) and not isinstance(x, bool):
            return self.number(float(x))
        array = np.asarray(x)
        if self.summarize and array.size > LARGE_ARRAY:
            data = array.astype(np.float64)
            return {"shape": list(array.shape), "min": self.number(float(np.nanmin(data))),
                    "mean": self.number(float(np.nanmean(data))),
                    "max": self.number(float(np.nanmax(data))), "omitted": "too large"}
        single = array.dtype == np.float32
        flat = [self.number(v, single) for v in array.astype(np.float64).ravel().tolist()]
        return nest(flat, array.shape)


def nest(flat: list[Any], shape: tuple[int, ...]) -> Any:
    """`flat` (row-major) as nested lists of `shape`; a 0-d shape gives the single number."""
    if not shape:
        return flat[0]
    items = flat
    for size in reversed(shape[1:]):
        items = [items[i:i + size] for i in range(0, len(items), size)]
    return items


def count_numbers(trace: Trace) -> int:
    """How many numbers the trace's gradients and Jacobians hold."""
    total = 0
    for step in trace.steps:
        total += size_of(step.grad_out)
        for item in step.inputs:
            total += size_of(item.grad) + size_of(item.before) + size_of(item.after) + \
                size_of(item.jacobian)
    return total


def size_of(value: Any) -> int:
    """How many numbers `value` holds (0 for None, 1 for a float)."""
    if value is None:
        return 0
    return 1 if type(value) is float else int(np.size(value))


def trace_document(trace: Trace, notes: list[str]) -> dict[str, Any]:
    """The trace as the JSON object the page embeds (and its script reads)."""
    numbers = count_numbers(trace)
    writer = NumberWriter(exact=numbers <= EXACT_NUMBERS, summarize=numbers > MAX_NUMBERS)
    if not writer.exact:
        notes.append(f"The trace holds {numbers} numbers, so they are written to "
                     f"{COMPACT_DIGITS} significant digits.")
    if writer.summarize:
        notes.append(f"Arrays of more than {LARGE_ARRAY} elements are given as shape, min, mean "
                     "and max instead of their values.")
    w = writer.value
    nodes = {}
    for record in trace.nodes.values():
        # Short: the script names a node without a name "op #id" (or "leaf #id") itself.
        entry: dict[str, Any] = {"role": record.role}
        if record.op:
            entry["op"] = record.op
        if record.name:
            entry["name"] = record.name
        if record.parents:
            entry["parents"] = record.parents
        if record.kind == "tensor":
            entry["shape"] = list(record.shape)
        nodes[str(record.id)] = entry
    steps = []
    for step in trace.steps:
        entry = {
            "node": step.node, "op": step.op, "grad_out": w(step.grad_out),
            "input_grads": [w(item.grad) for item in step.inputs],
        }
        if step.detailed:
            entry["rule"] = step.rule
            if step.shapes:
                entry["shapes"] = step.shapes
            entry["inputs"] = [input_entry(item, w) for item in step.inputs]
        steps.append(entry)
    return {
        "format": "autograd-lite-trace", "version": 1, "kind": trace.kind, "root": trace.root,
        "exact": writer.exact, "nodes": nodes, "steps": steps,
        "first_nonfinite": first_nonfinite(trace),
    }


def input_entry(item: Any, w: Any) -> dict[str, Any]:
    """The per-input detail of a step (Jacobian, broadcasting, `+=`)."""
    entry: dict[str, Any] = {}
    if item.jacobian is not None:
        entry["jacobian"] = w(item.jacobian)
    elif item.jacobian_note:
        entry["jacobian_note"] = item.jacobian_note
    if item.broadcast is not None:
        entry["broadcast"] = {"from": list(item.broadcast[0]), "axes": list(item.broadcast[1])}
    if item.grad is not None:
        entry["accumulates"] = item.accumulates
        if item.accumulates:
            entry["nth"], entry["of"] = item.nth, item.of
            if item.of > 1:
                entry["before"] = w(item.before)
                entry["after"] = w(item.after)
    return entry


def first_nonfinite(trace: Trace) -> int | None:
    """The first step whose upstream gradient or a sent gradient has a NaN or Inf."""
    for step in trace.steps:
        values = [step.grad_out, *[item.grad for item in step.inputs]]
        for value in values:
            if value is None:
                continue
            if type(value) is float:
                if not math.isfinite(value):
                    return step.index
            elif not np.isfinite(np.asarray(value, dtype=np.float64)).all():
                return step.index
    return None


def json_for_script(document: dict[str, Any]) -> str:
    """JSON safe inside a `<script>` element: every `<` escaped, so `</script>` and `<!--`
    cannot appear."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c")


# ---- the graph as SVG ------------------------------------------------------------------------


def grad_text(record: NodeRecord, grad: Any) -> str:
    """The gradient line of a node box (`grad —` for a node backward never reached)."""
    return "grad —" if grad is None else "grad " + short_text(grad)


def node_lines(record: NodeRecord, trace: Trace, folded: bool) -> list[tuple[str, str]]:
    """(css class, text) lines of a node box."""
    lines = [("title", record.title)]
    if record.kind == "tensor":
        lines.append(("meta", f"{fmt_shape(record.shape)} {record.dtype}"))
    lines.append(("data", f"data {record.data}"))  # see `short_text`
    if record.role != "const":
        lines.append(("grad", grad_text(record, trace.final_grads.get(record.id))))
    if folded:
        lines.append(("meta", f"⋯ {record.op_text}: inputs not drawn"))
    return [(kind, svg.clip(line)) for kind, line in lines]


def draw_svg(root: Node, trace: Trace, drawn: list[Node], folded: set[int],
             left_out: list[Node], engine: str, rankdir: str) -> tuple[str, str]:
    """The graph as an SVG element (nodes, edges, arrows) and the layout engine used."""
    boxes: dict[str, list[tuple[str, str]]] = {}
    for node in reversed(drawn):  # inputs first: the source order reads like the forward pass
        boxes[str(node.id)] = node_lines(trace.nodes[node.id], trace, node.id in folded)
    drawn_ids = {node.id for node in drawn}
    edges: list[tuple[str, str, str]] = []  # tail, head, label
    cut = []
    for node in reversed(drawn):
        if node._op is None or node.id in folded:
            continue
        numbered = 1 < len(node.parents) <= 3 and node._op.name not in SYMMETRIC_OPS
        for position, parent in enumerate(node.parents):
            if parent.id in drawn_ids:
                edges.append((str(parent.id), str(node.id), str(position) if numbered else ""))
        if any(parent.id not in drawn_ids for parent in node.parents):
            cut.append(node)
    if left_out:
        counts = Counter(n.op or ("leaf" if n.requires_grad else "const") for n in left_out)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        summary = ", ".join(f"{op} ×{count}" for op, count in ranked[:4])
        boxes["omitted"] = [("title", f"{len(left_out)} more nodes not drawn"),
                            ("meta", svg.clip(summary))]
        for node in cut:
            edges.append(("omitted", str(node.id), ""))
    sizes = [(key, *svg.box_size([line for _, line in lines])) for key, lines in boxes.items()]
    size_of = {key: (w, h) for key, w, h in sizes}
    placed = layout_graph(sizes, [(t, h) for t, h, _ in edges], rankdir, engine)
    horizontal = rankdir in ("LR", "RL")
    where = {"LR": "inputs on the left, the root on the right",
             "RL": "inputs on the right, the root on the left",
             "TB": "inputs at the top, the root at the bottom",
             "BT": "inputs at the bottom, the root at the top"}[rankdir]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" '
        f'aria-labelledby="graph-title" viewBox="0 0 {svg.num(placed.width)} '
        f'{svg.num(placed.height)}" width="{svg.num(placed.width)}" '
        f'height="{svg.num(placed.height)}" font-family="{svg.FONT_FAMILY}" '
        f'font-size="{svg.num(svg.FONT_SIZE)}">',
        f'<title id="graph-title">The computation graph: {len(drawn)} nodes, {where}; each '
        f"box shows data and the gradient after the last step</title>",
        f"<defs>{svg.ARROW_MARKER}</defs>",
        '<g class="edges">',
    ]
    for (tail, head, label), route in zip(edges, placed.routes):
        parts.append(
            f'<path class="edge" data-from="{tail}" data-to="{head}" '
            f'd="{svg.route_path(route, placed.curved, horizontal)}" fill="none" '
            f'stroke="#6b7280" '
            f'marker-end="url(#arrow)"/>')
        if label:
            x, y = svg.label_point(route)
            parts.append(f'<text class="port" x="{svg.num(x)}" y="{svg.num(y)}" '
                         f'font-size="9" fill="#6b7280">{label}</text>')
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for key, lines in boxes.items():
        parts.append(node_group(key, lines, placed, size_of[key], trace, root, folded))
    parts.append("</g></svg>")
    return "\n".join(parts), placed.engine


ROLE_FILLS = {"leaf": "#dbeafe", "const": "#f3f4f6", "op": "#ffffff", "root": "#fde68a"}


def node_group(key: str, lines: list[tuple[str, str]], placed: Layout,
               size: tuple[float, float], trace: Trace, root: Node, folded: set[int]) -> str:
    """One node's `<g data-node-id=...>`: a box and its lines of text (the `omitted` box has
    no id). Colours are written on the elements for readers without the page's styles."""
    cx, cy = placed.centers[key]
    width, height = size
    x0, y0 = cx - width / 2, cy - height / 2
    red_lines: set[str] = set()
    if key == "omitted":
        opening, fill, dashed = '<g class="node omitted">', "#f9fafb", True
    else:
        record = trace.nodes[int(key)]
        is_root = record.id == root.id
        classes = ["node", record.role] + ["root"] * is_root
        dashed = record.id in folded
        classes += ["folded"] * dashed
        if record.nonfinite:
            classes.append("nonfinite")
            red_lines.add("data")
        if not is_finite(trace.final_grads.get(record.id)):
            red_lines.add("grad")
        opening = f'<g class="{" ".join(classes)}" data-node-id="{key}" tabindex="-1">'
        fill = ROLE_FILLS["root" if is_root else record.role]
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    rows = [
        opening,
        f"<title>{svg.text('; '.join(line for _, line in lines))}</title>",
        f'<rect x="{svg.num(x0)}" y="{svg.num(y0)}" width="{svg.num(width)}" '
        f'height="{svg.num(height)}" rx="4" fill="{fill}" stroke="#4b5563"{dash}/>',
    ]
    for i, (kind, line) in enumerate(lines):
        y = y0 + svg.PAD_Y + (i + 0.78) * svg.LINE_HEIGHT
        weight = ' font-weight="bold"' if kind == "title" else ""
        colour = "#dc2626" if kind in red_lines else "#111827"
        rows.append(f'<text class="{kind}" x="{svg.num(x0 + svg.PAD_X)}" y="{svg.num(y)}"'
                    f'{weight} fill="{colour}">{svg.text(line)}</text>')
    rows.append("</g>")
    return "".join(rows)


# ---- the page --------------------------------------------------------------------------------


def asset(name: str) -> str:
    """A file shipped with the package next to this module (the page's script and styles)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_page(heading: str, trace: Trace, document: dict[str, Any], graph_svg: str,
                engine: str, notes: list[str]) -> str:
    """The whole HTML document."""
    count = len(trace.steps)
    kind = "Tensor" if trace.kind == "tensor" else "Value"
    laid_out = "Graphviz dot" if engine == "dot" else "autograd_lite's layered layout"
    notes_html = "".join(f"<li>{escape(note)}</li>" for note in notes)
    nonfinite = document["first_nonfinite"]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en" class="no-js">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="autograd_lite backprop explorer">',
        f"<title>{escape(heading)}</title>",
        f"<style>\n{asset('explorer.css')}</style>",
        "</head>",
        "<body>",
        f'<main id="explorer" class="explorer" data-current-step="{count}" '
        f'data-steps="{count}">',
        "<header>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="summary">{count} steps of backward over a {kind} graph of '
        f"{len(trace.nodes)} nodes · laid out by {laid_out}</p>",
        f'<ul class="notes">{notes_html}</ul>' if notes else "",
        "</header>",
        controls(count, nonfinite),
        '<div class="stage">',
        f'<figure class="graph-box">\n{graph_svg}\n{legend()}</figure>',
        '<section id="panel" class="panel" aria-live="polite" aria-label="The current step">',
        f"<h2>After the last step (step {count} of {count})</h2>",
        "<p>Every box shows its data and its gradient d root / d node after the whole "
        "backward pass. Step through the pass with the buttons or the arrow keys (needs "
        "JavaScript); the transcript below lists every step.</p>",
        "</section>",
        "</div>",
        check_table(trace),
        transcript(trace),
        f'<script type="application/json" id="autograd-lite-trace">'
        f"{json_for_script(document)}</script>",
        f"<script>\n{asset('explorer.js')}</script>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def controls(count: int, nonfinite: int | None) -> str:
    """The stepping controls (hidden until the script runs)."""
    jump = (f'<button type="button" data-action="nonfinite" class="warn" '
            f'data-step="{nonfinite}">First NaN/Inf (step {nonfinite})</button>'
            if nonfinite is not None else "")
    return (
        '<nav class="controls" aria-label="Step through backward">'
        '<button type="button" data-action="first" title="Before backward (Home)">« First</button>'
        '<button type="button" data-action="prev" title="Previous step (Left)">◀ Back</button>'
        '<button type="button" data-action="play" title="Play or pause (Space)" '
        'aria-pressed="false">▶ Play</button>'
        '<button type="button" data-action="next" title="Next step (Right)">Next ▶</button>'
        '<button type="button" data-action="last" title="After the last step (End)">Last »</button>'
        f'<input type="range" id="scrubber" min="0" max="{count}" value="{count}" step="1" '
        f'aria-label="Step">'
        f'<output id="position" for="scrubber">step {count} of {count}</output>'
        f"{jump}</nav>"
    )


def legend() -> str:
    return (
        '<figcaption class="legend">'
        '<span class="key leaf">leaf (needs a gradient)</span> '
        '<span class="key const">constant</span> '
        '<span class="key root">root</span> '
        '<span class="js-only"><span class="key current">current step</span> '
        '<span class="key receives">receives a gradient now</span> '
        '<span class="key pending">step not run yet (dashed)</span> '
        '<span class="key partial">grad … still adding up</span></span> '
        "· arrows point the way the forward pass went; backward walks them in reverse, "
        'root first.<span class="js-only"> Click a box to jump to its step.</span>'
        "</figcaption>"
    )


def check_table(trace: Trace) -> str:
    """The gradient check: each leaf's gradient beside its central difference."""
    rows = []
    unchecked = [c for c in trace.checks if not c.rows and c.skipped.startswith("not checked")]
    for check in trace.checks:
        if check in unchecked:
            continue
        record = trace.nodes[check.node]
        name = escape(display_name(record))
        shape = fmt_shape(record.shape) if record.kind == "tensor" else "scalar"
        if not check.rows:
            rows.append(f'<tr><th scope="row">{name}</th><td>{shape}</td>'
                        f'<td colspan="4">{escape(check.skipped)}</td></tr>')
            continue
        span = len(check.rows)
        of = f"{span} of {check.size}" if check.size > span else ""
        for i, row in enumerate(check.rows):
            head = (f'<th scope="row" rowspan="{span}">{name}</th><td rowspan="{span}">{shape}'
                    + (f"<br><small>{of} entries</small>" if of else "") + "</td>") if i == 0 \
                else ""
            index = "[" + ", ".join(str(k) for k in row.index) + "]" if row.index else ""
            mark = '<td class="ok">✓ agree</td>' if row.ok else '<td class="bad">✗ differ</td>'
            diff = abs(row.analytic - row.numeric)
            rows.append(
                f"<tr>{head}<td>{index}</td><td class=\"num\">{number_text(row.analytic)}</td>"
                f"<td class=\"num\">{number_text(row.numeric)}</td>"
                f"<td class=\"num\">{number_text(diff)}</td>{mark}</tr>")
    if unchecked:
        names = ", ".join(display_name(trace.nodes[c.node]) for c in unchecked[:5])
        more = f" and {len(unchecked) - 5} more" if len(unchecked) > 5 else ""
        rows.append(f'<tr><th scope="row">{len(unchecked)} more leaves</th><td></td>'
                    f'<td colspan="5">not checked, over the budget of op evaluations: '
                    f"{escape(names)}{more}</td></tr>")
    if not rows:
        return ""
    return (
        '<section class="check" aria-labelledby="check-title">'
        '<h2 id="check-title">Gradient check</h2>'
        "<p>Each leaf's gradient from the backward pass, beside a numeric estimate of the "
        f"same derivative: {escape(trace.check_note)}. A kink (relu at 0) can make the two "
        "differ where the derivative is not defined.</p>"
        '<table><thead><tr><th scope="col">leaf</th><th scope="col">shape</th>'
        '<th scope="col">entry</th><th scope="col">backward</th>'
        '<th scope="col">central difference</th><th scope="col">|difference|</th>'
        '<th scope="col"></th></tr></thead><tbody>'
        + "".join(rows) + "</tbody></table></section>"
    )


def number_text(x: float) -> str:
    """A number for the gradient-check table: 6 significant digits, NaN and Inf in words."""
    if math.isnan(x):
        return '<span class="nonfinite">NaN</span>'
    if math.isinf(x):
        return f'<span class="nonfinite">{"-" if x < 0 else ""}Inf</span>'
    return f"{x + 0.0:.6g}"


def value_text(value: Any) -> str:
    """A gradient in a sentence: the number, a small array's values, else min/mean/max."""
    if value is None:
        return "nothing"
    if isinstance(value, float):
        return format_number(value)
    return format_values(np.asarray(value)).replace("\n", "")


def transcript(trace: Trace) -> str:
    """An ordered list with one sentence per step, for screen readers and pages without
    scripts (capped at `TRANSCRIPT_STEPS` items)."""
    items = []
    for step in trace.steps[:TRANSCRIPT_STEPS]:
        items.append(f'<li id="t{step.index}">{escape(step_sentence(step, trace))}</li>')
    more = len(trace.steps) - TRANSCRIPT_STEPS
    tail = (f"<p>… and {more} more steps, in the embedded trace (the page steps through all "
            "of them).</p>" if more > 0 else "")
    return (
        '<section class="transcript" aria-labelledby="transcript-title">'
        '<h2 id="transcript-title">Transcript of the backward pass</h2>'
        f"<ol>{''.join(items)}</ol>{tail}</section>"
    )


def step_sentence(step: StepRecord, trace: Trace) -> str:
    """`Step 3, c = mul (-6): upstream gradient 1; sends a: -3 (contribution 2 of 2), b: 2.`"""
    record = trace.nodes[step.node]
    sent = []
    for item in step.inputs[:TRANSCRIPT_INPUTS]:
        parent = trace.nodes[item.node]
        text = value_text(item.grad)
        if item.grad is not None and item.of > 1:
            text += f" (contribution {item.nth} of {item.of})"
        sent.append(f"{display_name(parent)}: {text}")
    if len(step.inputs) > TRANSCRIPT_INPUTS:
        sent.append(f"and {len(step.inputs) - TRANSCRIPT_INPUTS} more inputs")
    what = record.title if record.name else display_name(record)
    value = fmt_shape(record.shape) if record.kind == "tensor" else record.data
    return (f"Step {step.index}, {what} ({value}): upstream gradient "
            f"{value_text(step.grad_out)}; sends {', '.join(sent) or 'nothing'}.")
