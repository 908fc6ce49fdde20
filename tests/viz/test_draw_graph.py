"""draw_graph: the source names every op and label (and, for Values, data and grad), marks a
graph drawn before backward, names parameters, stays legible on big graphs, never recurses,
and renders with Graphviz `dot` when it is installed."""

from __future__ import annotations

import re
import shutil
import sys

import graphviz
import numpy as np
import pytest

from autograd_lite import Tensor, Value, backward_steps, draw_graph, nn
from autograd_lite.nn import scalar
from autograd_lite.random import manual_seed
from autograd_lite.viz.graph import ancestors, structure_signatures

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")


def value_graph() -> Value:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    e = (c + a ** 2).tanh() - b / 4.0
    e.label = "e"
    return e


def label_of(source: str, dot_id: str) -> str:
    """The label of the DOT node `dot_id` (quoted or not in the source)."""
    match = re.search(rf'^\s*{dot_id} \[label=("(?:[^"\\]|\\.)*"|[^ \]]+)', source, re.MULTILINE)
    assert match, f"{dot_id} not drawn"
    text = match.group(1)
    return text[1:-1] if text.startswith('"') else text


def record_of(source: str, node) -> str:
    """The label of `node`'s box."""
    return label_of(source, f"n{node.id}")


def op_of(source: str, node) -> str:
    """The label of the ellipse of the op that made `node`."""
    return label_of(source, f"op{node.id}")


def test_value_source_has_every_op_label_data_and_grad():
    root = value_graph()
    root.backward()
    source = draw_graph(root).source
    for node in ancestors(root):
        label = record_of(source, node)
        assert f"data {node.data:.4g}" in label
        if node.requires_grad:
            assert f"grad {node.grad:.4g}" in label
        if node.label:
            assert label.startswith("{ " + node.label + " |")
        if node._op is not None:
            assert op_of(source, node) == node.op
    ops = {n.op for n in ancestors(root)}
    assert ops == {"", "mul", "pow", "add", "tanh", "div", "sub"}
    assert "before backward" not in source


def test_tensor_source_has_ops_labels_shapes_dtypes_values_and_summaries():
    x = Tensor(np.arange(6.0).reshape(2, 3), label="x")
    W = Tensor(np.ones((3, 20)), requires_grad=True, label="W")
    r = (x @ W).relu()
    y = r.sum(axis=1)
    y.label = "y"
    loss = y.mean()
    loss.backward()
    source = draw_graph(loss).source
    assert [op_of(source, n) for n in (loss, y, r, r.parents[0])] == [
        "mean", "sum axis=1", "relu", "matmul"]
    W_box = record_of(source, W)
    assert W_box == "{ W | (3, 20) float64 | min 1  mean 1  max 1 | grad min 1.5  mean 2.5  max 3.5 }"
    assert record_of(source, x) == "{ x | (2, 3) float64 | [[0, 1, 2],\\n [3, 4, 5]] }"
    assert record_of(source, y).startswith("{ y | (2,) float64 | [60, 240] }")
    f32 = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    assert "(3,) float32" in draw_graph(f32 * 2).source


def test_a_graph_drawn_before_backward_is_marked():
    root = value_graph()
    before = draw_graph(root).source
    assert "drawn before backward()" in before
    assert "grad 0" not in before and "grad —" in before
    root.backward()
    after = draw_graph(root).source
    assert "grad —" not in after and "drawn before backward()" not in after
    W = Tensor(np.ones(2), requires_grad=True, label="W")
    source = draw_graph((W * 2.0).sum()).source
    assert "grad —" in record_of(source, W) and "drawn before backward()" in source


def test_constants_have_no_gradient_field_and_show_grad_false_hides_them():
    x = Value(3.0, label="x")
    y = x * 2.0
    y.backward()
    source = draw_graph(y).source
    (constant,) = [n for n in y.parents if not n.requires_grad]
    assert record_of(source, constant) == "{ data 2 }"
    hidden = draw_graph(y, show_grad=False).source
    assert "grad " not in hidden and record_of(hidden, x) == "{ x | data 3 }"


def test_argument_positions_are_shown_for_ops_whose_inputs_do_not_commute():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    diff = a - b
    source = draw_graph(diff).source
    assert f"n{a.id} -> op{diff.id} [label=0]" in source
    assert f"n{b.id} -> op{diff.id} [label=1]" in source
    total = a + b
    assert "label=0" not in draw_graph(total).source


def test_step_numbers_match_backward_steps():
    root = value_graph()
    source = draw_graph(root, show_steps=True).source
    steps = list(backward_steps(root))
    assert len(steps) == 6
    for step in steps:
        assert op_of(source, step.node) == f"{step.op}\\nstep {step.index}"


def test_module_parameters_are_named_by_dotted_names():
    manual_seed(0)
    model = nn.MLP(2, [3, 1])
    loss = model(Tensor(np.ones((4, 2)))).sum()
    source = draw_graph(loss, module=model).source
    for name, param in model.named_parameters():
        assert record_of(source, param).startswith("{ " + name + " |")
    extra = draw_graph(loss, params={"the weight": model.layers[0].weight}).source
    assert record_of(extra, model.layers[0].weight).startswith("{ the weight |")
    pairs = draw_graph(loss, params=[("w0", model.layers[0].weight)]).source
    assert record_of(pairs, model.layers[0].weight).startswith("{ w0 |")
    with pytest.raises(TypeError, match="named_parameters"):
        draw_graph(loss, module=object())


def test_scalar_mlp_2_16_16_1_collapses_repeats_and_says_what_it_left_out():
    manual_seed(0)
    net = scalar.MLP(2, [16, 16, 1])
    loss = (net([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    total = len(ancestors(loss))
    assert total > 400  # 337 weights and biases, then a linear and a relu node per neuron
    graph = draw_graph(loss, module=net)
    boxes = re.findall(r'^\s*n\d+ \[label=', graph.source, re.MULTILINE)
    assert len(boxes) <= 120
    assert "⋯ relu" in graph.source and "dashed" in graph.source
    assert f"of {total} nodes; not drawn: " in graph.source
    assert "loss" in graph.source and "layers.2.neurons.0.w.15" in graph.source
    # Nothing is lost silently: everything not drawn is counted in the caption.
    counts = re.search(r"not drawn: ([^\"]*)\"", graph.source).group(1)
    assert sum(int(n) for n in re.findall(r"×(\d+)", counts)) == total - len(boxes)


def test_truncation_box_when_collapsing_is_not_enough():
    x = Value(0.5, label="x")
    y = x
    for i in range(300):  # every node has a different structure: nothing to collapse
        y = y * 1.01 + i
    source = draw_graph(y, max_nodes=50).source
    assert len(re.findall(r'^\s*n\d+ \[label=', source, re.MULTILINE)) == 50
    assert re.search(r'omitted \[label="\d+ more nodes not drawn', source)
    assert "omitted -> op" in source
    full = draw_graph(y, max_nodes=None).source
    assert "omitted" not in full and "label=\"{ x |" in full


def test_small_graphs_are_never_collapsed():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    s = x * x + y * y  # two muls of the same structure
    assert "⋯" not in draw_graph(s).source
    assert "{ y |" in draw_graph(s).source


def test_structure_signatures_match_equal_subgraphs_only():
    a, b = Value(1.0), Value(2.0)
    p, q, r = a * b, b * a, a + b
    sig = structure_signatures(ancestors(p + q + r))
    assert sig[id(p)] == sig[id(q)] != sig[id(r)]


def test_deep_graph_builds_without_recursion():
    x = Value(1.0, label="x")
    y = x
    for _ in range(10_000):
        y = y + 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        graph = draw_graph(y, max_nodes=None)
        source = graph.source
    finally:
        sys.setrecursionlimit(limit)
    assert len(re.findall(r"^\s*op\d+ \[label=add ", source, re.MULTILINE)) == 10_000


def test_same_graph_same_source():
    root = value_graph()
    assert draw_graph(root, show_steps=True).source == draw_graph(root, show_steps=True).source


def test_options_and_errors():
    root = value_graph()
    graph = draw_graph(root, rankdir="TB", title="my graph")
    assert isinstance(graph, graphviz.Digraph)
    assert "rankdir=TB" in graph.source and "my graph" in graph.source
    assert hasattr(graph, "_repr_mimebundle_")  # Jupyter displays it inline
    with pytest.raises(TypeError, match="Value or a Tensor"):
        draw_graph(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(root, rankdir="sideways")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(root, max_nodes=0)


def test_labels_with_record_specials_are_escaped():
    a = Value(1.0, label='a{0}|<x> "q" \\')
    source = draw_graph(a * 2.0).source
    assert r'a\{0\}\|\<x\> \"q\" \\' in source


@needs_dot
def test_svg_renders(tmp_path):
    root = value_graph()
    root.backward()
    svg = draw_graph(root, show_steps=True).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("mul", "tanh", "grad", "data 2"):
        assert text in svg
    escaped = Value(1.0, label='a{0}|<x> "q" \\')
    draw_graph(escaped * 2.0).render(tmp_path / "escaped", format="svg")
    assert (tmp_path / "escaped.svg").exists()


@needs_dot
def test_tensor_graph_and_big_graph_render():
    manual_seed(0)
    model = nn.MLP(2, [3, 1], activation="tanh")
    loss = (model(Tensor(np.ones((4, 2)), label="x")) ** 2).mean()
    loss.backward()
    assert b"<svg" in draw_graph(loss, module=model).pipe(format="svg")
    net = scalar.MLP(2, [16, 16, 1])
    assert b"<svg" in draw_graph(net([0.5, -1.0])).pipe(format="svg")
