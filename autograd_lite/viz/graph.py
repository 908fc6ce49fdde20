"""`draw_graph`: a Graphviz picture of everything a Value or Tensor depends on.

Each Value or Tensor is a record box (name, data, gradient); each op that made one is a small
ellipse between its inputs and its output. The graph is walked breadth first from the root
with an explicit queue (no recursion), in the parents' stored order, so the same graph gives
the same source on every run. A graph larger than `max_nodes` is drawn smaller: repeated
structure is collapsed, then what is still too far from the root is counted in one box.
Building the `Digraph` and its `.source` needs only the
`graphviz` Python package (imported on the first drawing, not with autograd_lite); rendering
(`.render`, `.pipe`) needs the Graphviz `dot` program. Jupyter's inline display uses `dot`
when it is installed and otherwise a layout of autograd_lite's own (see `drawing.py`).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..engine.node import Node
from ..engine.order import topological_order
from .labels import data_label, op_label

if TYPE_CHECKING:
    import graphviz

#: Default largest number of Values / Tensors drawn (beyond it, repeats are collapsed and the
#: rest is counted in one box).
DEFAULT_MAX_NODES = 120

#: Ops whose inputs can be swapped; the edges into any other op with several inputs are
#: numbered by argument position, so `a - b` and `b - a` look different.
SYMMETRIC_OPS = frozenset({"add", "mul", "maximum", "minimum"})

#: Fill colours: parameters and inputs that need a gradient, constants, the root, the rest.
LEAF_COLOR = "#dbeafe"
CONSTANT_COLOR = "#f3f4f6"
ROOT_COLOR = "#fde68a"
NODE_COLOR = "#ffffff"
OP_COLOR = "#e5e7eb"


def ancestors(root: Node) -> list[Node]:
    """`root` and every node it depends on (constants included), breadth first from `root`.

    Nodes closer to the root come first; ties keep the parents' stored order. Each node is
    listed once, however many paths lead to it.
    """
    order = [root]
    seen = {id(root)}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                order.append(parent)
                queue.append(parent)
    return order


def parents_first(nodes: list[Node]) -> list[Node]:
    """`nodes` (a closed set: every parent is in it) reordered so parents come before children.

    Depth-first with an explicit stack of parent iterators (no recursion).
    """
    order: list[Node] = []
    done: set[int] = set()
    for start in nodes:
        if id(start) in done:
            continue
        done.add(id(start))
        stack = [(start, iter(start.parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if id(parent) not in done:
                    done.add(id(parent))
                    stack.append((parent, iter(parent.parents)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def structure_signatures(nodes: list[Node]) -> dict[int, int]:
    """Node identity -> a number shared exactly by nodes whose subgraphs have the same shape.

    Two nodes get the same number when they were made by the same op (with the same extra
    arguments) from inputs that have, position by position, the same numbers; leaves match
    when both need a gradient or both do not (and, for Tensors, have one shape and dtype).
    The numbers are interned tuples, so equal numbers mean equal structure, never a hash
    collision. `nodes`: a closed set of nodes, in any order.
    """
    table: dict[tuple, int] = {}
    signature: dict[int, int] = {}
    for node in parents_first(nodes):
        op = node._op
        data = node._data
        if op is None:
            key: tuple = ("leaf", node.requires_grad, getattr(data, "shape", None),
                          str(getattr(data, "dtype", "")))
        else:
            extra = op.describe() if hasattr(op, "describe") else ""
            key = (op.name, extra, *[signature[id(p)] for p in node.parents])
        signature[id(node)] = table.setdefault(key, len(table))
    return signature


def select_nodes(nodes: list[Node], max_nodes: int | None) -> tuple[list[Node], set[int]]:
    """Which of `nodes` (`ancestors(root)`, root first) to draw: `(drawn, collapsed)`.

    Everything when there are at most `max_nodes` nodes. Otherwise, repeated structure
    is collapsed: walking breadth first from the root, the first node of each structure (see
    `structure_signatures`) is expanded and any later node of the same structure is drawn as
    one box without its inputs (its identity is in `collapsed`). If that is still more than
    `max_nodes`, the walk stops there and the rest is left out.
    """
    if max_nodes is None or len(nodes) <= max_nodes:
        return nodes, set()
    root = nodes[0]
    signature = structure_signatures(nodes)
    expanded: set[int] = set()
    collapsed: set[int] = set()
    drawn = [root]
    seen = {id(root)}
    queue = deque([root])
    while queue and len(drawn) < max_nodes:
        node = queue.popleft()
        if node._op is not None:
            sig = signature[id(node)]
            if sig in expanded:
                collapsed.add(id(node))
                continue
            expanded.add(sig)
        for parent in node.parents:
            if id(parent) not in seen and len(drawn) < max_nodes:
                seen.add(id(parent))
                drawn.append(parent)
                queue.append(parent)
    return drawn, collapsed


def parameter_names(module: Any = None, params: Any = None) -> dict[int, str]:
    """Node identity -> display name, from `module.named_parameters()` (dotted names such as
    `layers.0.weight`) and from `params` (a mapping name -> node or pairs `(name, node)`)."""
    names: dict[int, str] = {}
    pairs: list[Iterable[tuple[str, Any]]] = []
    if module is not None:
        if not hasattr(module, "named_parameters"):
            raise TypeError(
                f"draw_graph: module= needs an object with named_parameters() (an nn.Module), "
                f"got {type(module).__name__}"
            )
        pairs.append(module.named_parameters())
    if params is not None:
        pairs.append(params.items() if isinstance(params, Mapping) else params)
    for group in pairs:
        for name, node in group:
            names.setdefault(id(node), str(name))
    return names


def has_grad(node: Node) -> bool:
    """True once a backward pass has left a gradient on `node`."""
    grad = node.grad
    return grad is not None and not (type(grad) is float and grad == 0.0)


def step_numbers(root: Node) -> dict[int, int]:
    """Node identity -> the number of its step in `backward_steps(root)` (1 = the root's op)."""
    numbers: dict[int, int] = {}
    for node in reversed(topological_order(root)):
        if node._op is not None:
            numbers[id(node)] = len(numbers) + 1
    return numbers


def node_fill(node: Node, root: Node) -> str:
    """The fill colour of a data node (see the colour constants)."""
    if node is root:
        return ROOT_COLOR
    if node._op is None:
        return LEAF_COLOR if node.requires_grad else CONSTANT_COLOR
    return NODE_COLOR


def summarize_omitted(nodes: list[Node]) -> str:
    """`mul ×600, add ×584, leaf ×290`: what the nodes left out of a drawing are."""
    counts = Counter(node.op or ("leaf" if node.requires_grad else "constant") for node in nodes)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{op} ×{count}" for op, count in ranked)


def draw_graph(
    root: Node,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_steps: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    module: Any = None,
    params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    title: str = "",
) -> graphviz.Digraph:
    """A `graphviz.Digraph` of everything `root` (a Value or a Tensor) depends on.

    - A Value box shows its name, data and grad; a Tensor box its name, shape and dtype, its
      values (at most 8 elements) or min / mean / max, and its gradient's the same way once
      computed. Before any backward, gradients show as `grad —` and a caption says so.
    - An op is an ellipse between its inputs and its output (`sum axis=0`); the inputs of
      ops such as `sub` or `matmul` are numbered 0, 1 by argument position.
    - `rankdir`: "LR" (left to right, default), "TB", "RL" or "BT".
    - `show_grad`: False leaves gradients out.
    - `show_steps`: number each op by its step in `backward_steps(root)` (1 runs first).
    - `max_nodes`: a graph with more Values / Tensors than this is drawn smaller. First,
      repeated structure is collapsed: the first subgraph of each shape (walking from the
      root) is drawn in full, later ones of the same shape as one dashed box `⋯ op` without
      their inputs. If that is still too many, the nodes farthest from the root become one
      dashed box counting them by op. The caption says what was left out. None draws all.
    - `module`: an object with `named_parameters()` (an `nn.Module`): its parameters are
      named by their dotted names (`layers.0.weight`). `params`: names for other nodes, a
      mapping name -> node or `(name, node)` pairs.
    - `title`: a caption line above the notes.

    Raises `TypeError` when `root` is not a Value or Tensor, `ValueError` for a bad
    `rankdir` or `max_nodes`.
    """
    if not isinstance(root, Node):
        raise TypeError(f"draw_graph: expected a Value or a Tensor, got {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be at least 1 (or None), got {max_nodes}")

    from .drawing import GraphDrawing  # imports graphviz, only when something is drawn

    nodes = ancestors(root)
    drawn, collapsed = select_nodes(nodes, max_nodes)
    drawn_ids = {id(node) for node in drawn}
    names = parameter_names(module, params)
    pending = show_grad and not any(has_grad(node) for node in nodes)
    steps = step_numbers(root) if show_steps else {}

    dot = GraphDrawing(
        "autograd_lite",
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "fontsize": "11",
                    "labelloc": "b", "nodesep": "0.15", "ranksep": "0.3"},
        node_attr={"fontname": "Helvetica", "fontsize": "10", "shape": "record",
                   "style": "filled", "height": "0.3"},
        edge_attr={"arrowsize": "0.6", "fontsize": "8", "fontname": "Helvetica"},
    )
    # Farthest from the root first, root last: the source reads roughly in computing order.
    cut: list[Node] = []
    for node in reversed(drawn):
        folded = id(node) in collapsed
        add_data_node(dot, node, root, names, show_grad, pending, folded)
        if node._op is not None and not folded:
            add_op_node(dot, node, drawn_ids, steps)
            if any(id(parent) not in drawn_ids for parent in node.parents):
                cut.append(node)
    left_out = [node for node in nodes if id(node) not in drawn_ids]
    if cut:
        add_omitted_node(dot, cut, left_out)
    caption = caption_lines(title, pending, len(drawn), len(nodes), len(collapsed), left_out)
    if caption:
        dot.attr(label="\\n".join(caption))
    return dot


def add_data_node(
    dot: graphviz.Digraph, node: Node, root: Node, names: dict[int, str], show_grad: bool,
    pending: bool, folded: bool,
) -> None:
    """Add the record box of a Value or Tensor (`folded`: a collapsed repeat, drawn dashed
    with a last field `⋯ op` standing for its op and inputs)."""
    name = names.get(id(node), node.label)
    label = data_label(node, name, show_grad, pending, f"⋯ {node.op}" if folded else "")
    attrs = {"fillcolor": node_fill(node, root)}
    if node is root:
        attrs["penwidth"] = "2"
    if node._op is None and not node.requires_grad:
        attrs["fontcolor"] = "#4b5563"
    if folded:
        attrs["style"] = "filled,dashed"
    dot.node(f"n{node.id}", label, **attrs)


def add_op_node(
    dot: graphviz.Digraph, node: Node, drawn_ids: set[int], steps: dict[int, int]
) -> None:
    """Add the ellipse of the op that made `node`, its edge to `node` and the edges from the
    drawn parents (a parent left out is linked from the summary box instead)."""
    op = node._op
    op_id = f"op{node.id}"
    dot.node(op_id, op_label(op, steps.get(id(node))), shape="ellipse", fillcolor=OP_COLOR,
             margin="0.04,0.02")
    dot.edge(op_id, f"n{node.id}")
    numbered = len(node.parents) > 1 and op is not None and op.name not in SYMMETRIC_OPS
    for position, parent in enumerate(node.parents):
        if id(parent) in drawn_ids:
            if numbered:
                dot.edge(f"n{parent.id}", op_id, label=str(position))
            else:
                dot.edge(f"n{parent.id}", op_id)


def add_omitted_node(dot: graphviz.Digraph, cut: list[Node], left_out: list[Node]) -> None:
    """One dashed box standing for the nodes left out (`left_out`), linked to each drawn op
    (of the nodes in `cut`) that has an input among them."""
    text = (
        f"{len(left_out)} more nodes not drawn\\n{summarize_omitted(left_out)}\\n"
        "(draw_graph(..., max_nodes=None) draws them all)"
    )
    dot.node("omitted", text, shape="box", style="dashed,rounded", fontcolor="#374151")
    for node in cut:
        dot.edge("omitted", f"op{node.id}", style="dashed", color="#9ca3af")


def caption_lines(
    title: str, pending: bool, drawn: int, total: int, collapsed: int, left_out: list[Node]
) -> list[str]:
    """The lines under the drawing: the title, and notes a reader must not miss."""
    lines = [title] if title else []
    if pending:
        lines.append("drawn before backward(): gradients are not computed yet (grad —)")
    if collapsed:
        lines.append(f"{collapsed} dashed boxes (⋯) repeat the structure of a subgraph drawn "
                     "in full; their inputs are not drawn")
    if drawn < total:
        lines.append(f"showing {drawn} of {total} nodes; not drawn: "
                     f"{summarize_omitted(left_out)}")
    return lines
