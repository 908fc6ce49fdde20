"""Seeing a graph: `draw_graph(root)` returns a `graphviz.Digraph` of a Value or Tensor graph;
`explore(root)` lays its backward pass out as a page that steps through it."""

from .explorer import Explorer, explore
from .graph import draw_graph

__all__ = ["Explorer", "draw_graph", "explore"]
