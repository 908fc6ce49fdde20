"""Seeing a graph: `draw_graph(root)` returns a `graphviz.Digraph` of a Value or Tensor graph."""

from .graph import draw_graph

__all__ = ["draw_graph"]
