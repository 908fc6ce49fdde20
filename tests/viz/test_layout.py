"""The layouts behind the explorer and draw_graph's display without Graphviz: every box placed,
no overlaps within a rank, edges flowing one way, the same numbers on every run."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sys

import pytest

from autograd_lite.viz.layout import (
    ARROW,
    NODE_GAP,
    fit_in_order,
    graphviz_layout,
    inversions,
    layered_layout,
    layout_graph,
)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")


def random_dag(n: int, seed: int) -> tuple[list[tuple[str, float, float]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    nodes = [(f"k{i}", float(rng.randint(40, 160)), float(rng.randint(20, 60))) for i in range(n)]
    edges = []
    for head in range(1, n):
        for tail in rng.sample(range(head), k=min(head, rng.randint(1, 3))):
            edges.append((f"k{tail}", f"k{head}"))
    return nodes, edges


def boxes(nodes, layout):
    return {key: (layout.centers[key], w, h) for key, w, h in nodes}


def assert_no_overlap(nodes, layout):
    placed = boxes(nodes, layout)
    for (a, ((xa, ya), wa, ha)), (b, ((xb, yb), wb, hb)) in itertools.combinations(
            placed.items(), 2):
        apart_x = abs(xa - xb) >= (wa + wb) / 2 - 0.2
        apart_y = abs(ya - yb) >= (ha + hb) / 2 - 0.2
        assert apart_x or apart_y, f"{a} and {b} overlap"


@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL", "BT"])
def test_layered_layout_places_every_box_without_overlap_and_edges_flow_one_way(rankdir):
    nodes, edges = random_dag(40, seed=1)
    layout = layered_layout(nodes, edges, rankdir)
    assert set(layout.centers) == {k for k, _, _ in nodes} and layout.engine == "layered"
    assert_no_overlap(nodes, layout)
    axis = 0 if rankdir in ("LR", "RL") else 1
    sign = 1 if rankdir in ("LR", "TB") else -1
    size = {k: (w, h) for k, w, h in nodes}
    for (tail, head), route in zip(edges, layout.routes):
        assert sign * (layout.centers[head][axis] - layout.centers[tail][axis]) > 0
        # The route starts on the tail's side and stops an arrowhead short of the head's.
        half = size[head][axis] / 2
        end = abs(route[-1][axis] - layout.centers[head][axis])
        assert end == pytest.approx(half + ARROW, abs=0.11)
        assert abs(route[0][axis] - layout.centers[tail][axis]) == pytest.approx(
            size[tail][axis] / 2, abs=0.11)
    for key, (x, y) in layout.centers.items():
        w, h = size[key]
        assert w / 2 - 0.2 <= x <= layout.width - w / 2 + 0.2
        assert h / 2 - 0.2 <= y <= layout.height - h / 2 + 0.2


def test_layered_layout_is_deterministic_and_routes_long_edges_through_waypoints():
    nodes, edges = random_dag(30, seed=2)
    assert layered_layout(nodes, edges) == layered_layout(nodes, edges)
    chain = [(f"c{i}", 50.0, 20.0) for i in range(4)]
    links = [("c0", "c1"), ("c1", "c2"), ("c2", "c3"), ("c0", "c3")]
    layout = layered_layout(chain, links)
    assert len(layout.routes[3]) == 4  # two waypoints on the ranks it crosses
    xs = [layout.centers[f"c{i}"][0] for i in range(4)]
    assert xs == sorted(xs)


def test_an_input_sits_just_before_its_first_consumer():
    nodes = [(k, 40.0, 20.0) for k in ("x", "a", "b", "c", "bias", "out")]
    edges = [("x", "a"), ("a", "b"), ("b", "c"), ("c", "out"), ("bias", "out")]
    layout = layered_layout(nodes, edges)
    assert layout.centers["bias"][0] == layout.centers["c"][0]


def test_a_long_chain_and_a_cycle_are_fine():
    chain = [(f"c{i}", 40.0, 20.0) for i in range(3000)]
    layout = layered_layout(chain, [(f"c{i}", f"c{i + 1}") for i in range(2999)])
    assert layout.centers["c2999"][0] > layout.centers["c0"][0]
    loop = layered_layout([("a", 40.0, 20.0), ("b", 40.0, 20.0)], [("a", "b"), ("b", "a")])
    assert set(loop.centers) == {"a", "b"} and len(loop.routes) == 2


def test_fit_in_order_is_the_least_squares_fit_with_gaps():
    assert fit_in_order([0.0, 0.0, 0.0], [10.0, 10.0]) == pytest.approx([-10.0, 0.0, 10.0])
    assert fit_in_order([0.0, 100.0, 5.0], [10.0, 10.0]) == pytest.approx([0.0, 47.5, 57.5])
    rng = random.Random(3)
    for _ in range(50):
        wanted = [rng.uniform(-50, 50) for _ in range(6)]
        gaps = [rng.uniform(1, 20) for _ in range(5)]
        fitted = fit_in_order(wanted, gaps)
        assert all(b - a >= g - 1e-9 for a, b, g in zip(fitted, fitted[1:], gaps))
        cost = sum((f - w) ** 2 for f, w in zip(fitted, wanted))
        for _ in range(20):  # no feasible nudge does better
            nudged = [f + rng.uniform(-1, 1) for f in fitted]
            if all(b - a >= g for a, b, g in zip(nudged, nudged[1:], gaps)):
                assert sum((f - w) ** 2 for f, w in zip(nudged, wanted)) >= cost - 1e-9


def test_inversions_counts_pairs_out_of_order():
    rng = random.Random(4)
    for n in (0, 1, 2, 7, 40):
        values = [rng.randint(0, 9) for _ in range(n)]
        brute = sum(1 for i, j in itertools.combinations(range(n), 2) if values[i] > values[j])
        assert inversions(values) == brute


@needs_dot
def test_graphviz_layout_reads_dots_positions_and_splines():
    nodes, edges = random_dag(25, seed=5)
    layout = graphviz_layout(nodes, edges, "TB")
    assert layout.engine == "dot" and layout.curved
    assert set(layout.centers) == {k for k, _, _ in nodes}
    assert_no_overlap(nodes, layout)
    assert all(len(route) % 3 == 1 for route in layout.routes)  # cubic Bezier pieces
    assert layout == graphviz_layout(nodes, edges, "TB")


def test_without_dot_auto_uses_ours_and_dot_is_an_error(monkeypatch):
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable))
    nodes, edges = random_dag(5, seed=6)
    assert layout_graph(nodes, edges, "LR", "auto").engine == "layered"
    with pytest.raises(RuntimeError, match="not on PATH"):
        layout_graph(nodes, edges, "LR", "dot")
    with pytest.raises(ValueError, match="engine"):
        layout_graph(nodes, edges, "LR", "neato")
    assert NODE_GAP > 0
