"""Where to put the boxes of a drawing: Graphviz's `dot` when it is installed, else our own.

Both give a `Layout`: the centre of every box and a route for every edge, in pixels, with the
origin at the top left. The explorer page and `draw_graph`'s display without Graphviz draw
their SVG from it.

`layered_layout` is a small layered (Sugiyama-style) layout for directed acyclic graphs,
written for computation graphs and deterministic (the same graph gives the same numbers):

1. ranks: every node one rank after its latest input; an input is then pulled forward to sit
   just before its first consumer, so a bias used in the last layer is drawn next to it;
2. an edge spanning several ranks gets a waypoint on each rank it crosses;
3. order within a rank: barycentre sweeps (a node moves towards the mean position of its
   neighbours), keeping the order with the fewest edge crossings;
4. positions within a rank: each node as close as possible to the mean of its neighbours,
   subject to the boxes not overlapping (an exact least-squares fit, by pooling adjacent
   violators), again in sweeps.

`graphviz_layout` asks `dot -Tplain` for the same boxes (fixed sizes, no labels) and reads
back the positions and the splines of the edges.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

#: Points per inch: Graphviz measures in inches, an SVG here in CSS pixels (1 px = 1 pt).
POINTS = 72.0

#: Gap between neighbouring boxes of one rank, and between ranks, in pixels.
NODE_GAP = 14.0
RANK_GAP = 46.0
#: Margin around the drawing.
MARGIN = 8.0
#: Barycentre sweeps when ordering ranks, and positioning sweeps.
ORDER_SWEEPS = 12
POSITION_SWEEPS = 8
#: Longest a `dot` layout may take before the layout of our own is used instead.
DOT_TIMEOUT = 60.0

Point = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """Box centres and edge routes in pixels (origin top left, y down).

    - `centers`: node key -> (x, y) of the centre of its box.
    - `routes`: one tuple of points per edge, in the order the edges were given. With
      `curved=True` they are cubic Bezier control points (`p0, c1, c2, p1, c1, c2, p2, ...`);
      otherwise waypoints to be joined by smooth curves. A route ends where the arrowhead
      starts (`ARROW` pixels before the head's box).
    - `width`, `height`: the size of the drawing.
    - `engine`: "dot" or "layered" (who computed it).
    """

    centers: dict[str, Point]
    routes: list[tuple[Point, ...]]
    width: float
    height: float
    engine: str
    curved: bool


#: Length of an arrowhead in pixels: routes stop this far from the head's box.
ARROW = 6.0

DIRECTIONS = ("LR", "TB", "RL", "BT")


def layout_graph(
    nodes: Sequence[tuple[str, float, float]],
    edges: Sequence[tuple[str, str]],
    rankdir: str = "LR",
    engine: str = "auto",
) -> Layout:
    """Lay out `nodes` (`(key, width, height)` in pixels, in a stable order) and `edges`
    (`(tail, head)` keys; tails come before heads in the flow of the drawing).

    `engine`: "auto" (Graphviz `dot` when the program is found, else `layered_layout`),
    "dot" (raise `RuntimeError` when it is missing or fails) or "layered".
    """
    if engine not in ("auto", "dot", "layered"):
        raise ValueError(f"layout: engine must be 'auto', 'dot' or 'layered', got {engine!r}")
    if rankdir not in DIRECTIONS:
        raise ValueError(f"layout: rankdir must be one of {DIRECTIONS}, got {rankdir!r}")
    if engine != "layered" and shutil.which("dot"):
        try:
            return graphviz_layout(nodes, edges, rankdir)
        except (OSError, RuntimeError, ValueError, subprocess.SubprocessError):
            if engine == "dot":
                raise
    elif engine == "dot":
        raise RuntimeError("layout: the Graphviz 'dot' program is not on PATH")
    return layered_layout(nodes, edges, rankdir)


# ---- our own layered layout -------------------------------------------------------------


def layered_layout(
    nodes: Sequence[tuple[str, float, float]],
    edges: Sequence[tuple[str, str]],
    rankdir: str = "LR",
) -> Layout:
    """The layered layout described in the module docstring. Edges that would close a cycle
    (there are none in a computation graph) are drawn against the flow."""
    keys = [key for key, _, _ in nodes]
    index = {key: i for i, key in enumerate(keys)}
    count = len(keys)
    horizontal = rankdir in ("LR", "RL")
    # Sizes along the rank axis ("depth") and across it ("breadth").
    depth = [w if horizontal else h for _, w, h in nodes]
    breadth = [h if horizontal else w for _, w, h in nodes]
    links = [(index[t], index[h]) for t, h in edges if t in index and h in index and t != h]

    rank = assign_ranks(count, links)
    # Chains of waypoints: each edge becomes a path of (vertex) indices, one per rank crossed.
    vertex_rank = list(rank)
    vertex_breadth = list(breadth)
    paths: list[list[int]] = []
    for t, h in links:
        lo, hi = (t, h) if rank[t] < rank[h] else (h, t)
        path = [lo]
        for r in range(rank[lo] + 1, rank[hi]):
            vertex_rank.append(r)
            vertex_breadth.append(0.0)
            path.append(len(vertex_rank) - 1)
        path.append(hi)
        paths.append(path)
    up: list[list[int]] = [[] for _ in vertex_rank]  # neighbours on the previous rank
    down: list[list[int]] = [[] for _ in vertex_rank]
    for path in paths:
        for a, b in zip(path, path[1:]):
            down[a].append(b)
            up[b].append(a)

    layers = order_layers(vertex_rank, up, down)
    across = position_layers(layers, vertex_breadth, up, down)

    # Rank coordinates: each rank as deep as its deepest box.
    ranks = len(layers)
    rank_depth = [0.0] * ranks
    for v in range(count):
        rank_depth[rank[v]] = max(rank_depth[rank[v]], depth[v])
    start = []
    position = MARGIN
    for r in range(ranks):
        start.append(position)
        position += rank_depth[r] + RANK_GAP
    total_depth = position - RANK_GAP + MARGIN if ranks else 2 * MARGIN
    low = min((across[v] - vertex_breadth[v] / 2 for v in range(len(across))), default=0.0)
    high = max((across[v] + vertex_breadth[v] / 2 for v in range(len(across))), default=0.0)
    shift = MARGIN - low
    total_breadth = high - low + 2 * MARGIN

    def place(v: int) -> Point:
        """The centre of vertex `v` in drawing coordinates."""
        along = start[vertex_rank[v]] + rank_depth[vertex_rank[v]] / 2
        cross = across[v] + shift
        if rankdir in ("RL", "BT"):
            along = total_depth - along
        return (along, cross) if horizontal else (cross, along)

    centers = {keys[v]: rounded(place(v)) for v in range(count)}
    routes = []
    for (t, h), path in zip(links, paths):
        points = [place(v) for v in path]
        if path[0] != t:
            points.reverse()
        points[0] = port(points[0], depth[t], horizontal, points[1], 0.0)
        points[-1] = port(points[-1], depth[h], horizontal, points[-2], ARROW)
        routes.append(tuple(rounded(p) for p in points))
    width, height = (total_depth, total_breadth) if horizontal else (total_breadth, total_depth)
    return Layout(centers, routes, round(width, 1), round(height, 1), "layered", False)


def rounded(point: Point) -> Point:
    """A point to 0.1 px, so the numbers (and pages built from them) are short and stable."""
    return (round(point[0], 1) + 0.0, round(point[1], 1) + 0.0)


def port(center: Point, depth: float, horizontal: bool, toward: Point, gap: float) -> Point:
    """Where an edge leaves or enters a box: the middle of the side facing `toward`, moved
    `gap` pixels out (room for an arrowhead)."""
    x, y = center
    if horizontal:
        sign = 1.0 if toward[0] >= x else -1.0
        return (x + sign * (depth / 2 + gap), y)
    sign = 1.0 if toward[1] >= y else -1.0
    return (x, y + sign * (depth / 2 + gap))


def assign_ranks(count: int, links: list[tuple[int, int]]) -> list[int]:
    """A rank per node: one after its latest input; then each node without inputs moves up to
    one rank before its earliest consumer. Nodes in a cycle (never in a computation graph)
    are taken in index order."""
    inputs: list[list[int]] = [[] for _ in range(count)]
    outputs: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for t, h in links:
        inputs[h].append(t)
        outputs[t].append(h)
        waiting[h] += 1
    order: list[int] = []
    ready = [v for v in range(count) if waiting[v] == 0]
    ready.reverse()  # a stack popped from the end: lower indices first
    placed = [False] * count
    next_unplaced = 0
    while len(order) < count:
        if not ready:  # a cycle: break it at the first node not placed yet
            while placed[next_unplaced]:
                next_unplaced += 1
            ready.append(next_unplaced)
        v = ready.pop()
        if placed[v]:
            continue
        placed[v] = True
        order.append(v)
        for h in reversed(outputs[v]):
            waiting[h] -= 1
            if waiting[h] == 0 and not placed[h]:
                ready.append(h)
    position = {v: i for i, v in enumerate(order)}
    rank = [0] * count
    for v in order:
        for t in inputs[v]:
            if position[t] < position[v]:
                rank[v] = max(rank[v], rank[t] + 1)
    for v in order:
        if not inputs[v] and outputs[v]:
            later = [rank[h] for h in outputs[v] if position[h] > position[v]]
            if later:
                rank[v] = max(rank[v], min(later) - 1)
    return rank


def order_layers(
    vertex_rank: list[int], up: list[list[int]], down: list[list[int]]
) -> list[list[int]]:
    """The vertices of each rank in drawing order, by barycentre sweeps (see the module)."""
    ranks = max(vertex_rank, default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(ranks)]
    # Start from a depth-first order out of the last rank (the root side), so the inputs of
    # one op start together.
    seen = [False] * len(vertex_rank)
    for v in sorted(range(len(vertex_rank)), key=lambda v: (-vertex_rank[v], v)):
        if seen[v]:
            continue
        stack = [v]
        while stack:
            u = stack.pop()
            if seen[u]:
                continue
            seen[u] = True
            layers[vertex_rank[u]].append(u)
            stack.extend(reversed(up[u]))
    best = [list(layer) for layer in layers]
    best_crossings = count_crossings(layers, down)
    for sweep in range(ORDER_SWEEPS):
        if best_crossings == 0:
            break
        downward = sweep % 2 == 0
        sequence = range(1, ranks) if downward else range(ranks - 2, -1, -1)
        for r in sequence:
            fixed = layers[r - 1] if downward else layers[r + 1]
            where = {v: i for i, v in enumerate(fixed)}
            neighbours = up if downward else down
            layers[r] = reorder(layers[r], neighbours, where)
        crossings = count_crossings(layers, down)
        if crossings < best_crossings:
            best_crossings = crossings
            best = [list(layer) for layer in layers]
    return best


def reorder(layer: list[int], neighbours: list[list[int]], where: dict[int, int]) -> list[int]:
    """`layer` sorted by the mean position of each vertex's neighbours in the fixed rank; a
    vertex without any keeps its place (ties keep the current order)."""
    keys = []
    for i, v in enumerate(layer):
        places = [where[u] for u in neighbours[v] if u in where]
        keys.append((sum(places) / len(places) if places else float(i), i, v))
    keys.sort()
    return [v for _, _, v in keys]


def count_crossings(layers: list[list[int]], down: list[list[int]]) -> int:
    """Edge crossings between consecutive ranks (inversions counted with a merge sort)."""
    total = 0
    for r in range(len(layers) - 1):
        where = {v: i for i, v in enumerate(layers[r + 1])}
        ends: list[int] = []  # the lower end of every edge, edges sorted by their upper end
        for v in layers[r]:
            ends.extend(sorted(where[w] for w in down[v]))
        total += inversions(ends)
    return total


def inversions(values: list[int]) -> int:
    """How many pairs i < j have values[i] > values[j] (bottom-up merge sort, no recursion)."""
    items = list(values)
    count = 0
    width = 1
    n = len(items)
    while width < n:
        merged = []
        for lo in range(0, n, 2 * width):
            left = items[lo:lo + width]
            right = items[lo + width:lo + 2 * width]
            i = j = 0
            while i < len(left) and j < len(right):
                if right[j] < left[i]:
                    merged.append(right[j])
                    count += len(left) - i
                    j += 1
                else:
                    merged.append(left[i])
                    i += 1
            merged.extend(left[i:])
            merged.extend(right[j:])
        items = merged
        width *= 2
    return count


def position_layers(
    layers: list[list[int]], breadth: list[float], up: list[list[int]], down: list[list[int]]
) -> list[float]:
    """The centre of every vertex across its rank (see the module docstring)."""
    across = [0.0] * len(breadth)
    for layer in layers:  # packed, centred on 0
        gaps = separations(layer, breadth)
        position = -sum(gaps) / 2
        for i, v in enumerate(layer):
            position += gaps[i - 1] if i else 0.0
            across[v] = position
    for sweep in range(POSITION_SWEEPS):
        downward = sweep % 2 == 0
        sequence = range(len(layers)) if downward else range(len(layers) - 1, -1, -1)
        neighbours = up if downward else down
        for r in sequence:
            layer = layers[r]
            wanted = []
            for v in layer:
                near = neighbours[v] or (down[v] if downward else up[v])
                wanted.append(sum(across[u] for u in near) / len(near) if near else across[v])
            for v, x in zip(layer, fit_in_order(wanted, separations(layer, breadth))):
                across[v] = x
    return across


def separations(layer: list[int], breadth: list[float]) -> list[float]:
    """Least distance between the centres of each pair of neighbours in `layer`."""
    gaps = []
    for a, b in zip(layer, layer[1:]):
        gap = NODE_GAP if breadth[a] and breadth[b] else NODE_GAP / 2
        gaps.append((breadth[a] + breadth[b]) / 2 + gap)
    return gaps


def fit_in_order(wanted: list[float], gaps: list[float]) -> list[float]:
    """Positions x (in the given order) closest to `wanted` in least squares with
    x[i+1] - x[i] >= gaps[i]: shifted by the running gap it is an isotonic regression,
    solved exactly by pooling adjacent violators."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    targets = [w - o for w, o in zip(wanted, offsets)]
    blocks: list[tuple[float, int]] = []  # (mean, how many points) of each pooled run
    for t in targets:
        mean, count = t, 1
        while blocks and blocks[-1][0] > mean:
            prev_mean, prev_count = blocks.pop()
            mean = (prev_mean * prev_count + mean * count) / (prev_count + count)
            count += prev_count
        blocks.append((mean, count))
    fitted: list[float] = []
    for mean, count in blocks:
        fitted.extend([mean] * count)
    return [f + o for f, o in zip(fitted, offsets)]


# ---- Graphviz dot --------------------------------------------------------------------------


def graphviz_layout(
    nodes: Sequence[tuple[str, float, float]],
    edges: Sequence[tuple[str, str]],
    rankdir: str = "LR",
) -> Layout:
    """The layout `dot` computes for boxes of these sizes (via `dot -Tplain`).

    Raises `OSError` when the program cannot run, `RuntimeError` when it fails or times out.
    """
    names = {key: f"v{i}" for i, (key, _, _) in enumerate(nodes)}
    lines = [
        "digraph layout {",
        f"  graph [rankdir={rankdir} nodesep={NODE_GAP / POINTS:.3f} "
        f"ranksep={RANK_GAP / POINTS:.3f}];",
        '  node [shape=box fixedsize=true label=""];',
        "  edge [arrowsize=0.6];",
    ]
    for key, width, height in nodes:
        lines.append(f"  {names[key]} [width={width / POINTS:.4f} height={height / POINTS:.4f}];")
    kept = [(t, h) for t, h in edges if t in names and h in names]
    for t, h in kept:
        lines.append(f"  {names[t]} -> {names[h]};")
    lines.append("}")
    try:
        result = subprocess.run(
            ["dot", "-Tplain"], input="\n".join(lines), capture_output=True, text=True,
            timeout=DOT_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"layout: dot took longer than {DOT_TIMEOUT:.0f} s") from None
    if result.returncode != 0:
        raise RuntimeError(f"layout: dot failed: {result.stderr.strip()}")
    return read_plain(result.stdout, [key for key, _, _ in nodes], names, kept)


def read_plain(
    text: str, keys: list[str], names: dict[str, str], edges: list[tuple[str, str]]
) -> Layout:
    """Parse `dot -Tplain` output (inches, y up) into a `Layout` (pixels, y down)."""
    by_name = {name: key for key, name in names.items()}
    height = width = 0.0
    centers: dict[str, Point] = {}
    splines: dict[tuple[str, str], list[tuple[Point, ...]]] = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "graph":
            width, height = float(parts[2]) * POINTS, float(parts[3]) * POINTS
        elif parts[0] == "node":
            x, y = float(parts[2]) * POINTS, float(parts[3]) * POINTS
            centers[by_name[parts[1]]] = (x, height - y)
        elif parts[0] == "edge":
            count = int(parts[3])
            coords = [float(c) * POINTS for c in parts[4:4 + 2 * count]]
            points = tuple((coords[2 * i], height - coords[2 * i + 1]) for i in range(count))
            key = (by_name[parts[1]], by_name[parts[2]])
            splines.setdefault(key, []).append(points)
    if set(centers) != set(keys):
        raise RuntimeError("layout: dot's output lacks some nodes")
    shifted = {key: rounded((x + MARGIN, y + MARGIN)) for key, (x, y) in centers.items()}
    routes = []
    for edge in edges:
        points = splines[edge].pop(0)  # parallel edges come back in the order given
        routes.append(tuple(rounded((x + MARGIN, y + MARGIN)) for x, y in points))
    return Layout(shifted, routes, round(width + 2 * MARGIN, 1), round(height + 2 * MARGIN, 1),
                  "dot", True)
