"""explore(): the trace is backward_steps, the user's graph is left as it was, the page is one
self-contained, deterministic file with a well-formed drawing, within its size budget."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from autograd_lite import Explorer, Function, Tensor, Value, backward_steps, explore
from autograd_lite.viz.graph import ancestors
from tests.viz.pages import (
    as_array,
    decode,
    fan_out,
    mlp_loss,
    read_svg,
    read_trace,
    scalar_mlp_loss,
)

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"


# ---- the trace is the steps of backward_steps -------------------------------------------------



def saved_values(op):
    """The op's saved values by name."""
    return {name: getattr(op, name, None) for name in op.saved}

def test_value_trace_is_backward_steps_exactly():
    root, _ = fan_out()
    trace = read_trace(explore(root).html)
    steps = list(backward_steps(root))
    assert [s["node"] for s in trace["steps"]] == [s.node.id for s in steps]
    assert [s["op"] for s in trace["steps"]] == [s.op for s in steps] == [
        "tanh", "mul", "add", "pow", "mul"]
    for entry, step in zip(trace["steps"], steps):
        assert entry["grad_out"] == step.grad_out  # Value graphs: every digit
        assert entry["input_grads"] == list(step.input_grads)
    assert trace["exact"] is True


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_tensor_mlp_trace_matches_backward_steps(loss):
    root, model = mlp_loss(loss)
    trace = read_trace(explore(root, module=model).html)
    steps = list(backward_steps(root))
    assert len(trace["steps"]) == len(steps) == (6 if loss == "mse" else 7)
    for entry, step in zip(trace["steps"], steps):
        assert entry["node"] == step.node.id and entry["op"] == step.op
        np.testing.assert_allclose(as_array(entry["grad_out"]), step.grad_out, rtol=1e-5,
                                   atol=1e-12)
        assert len(entry["input_grads"]) == len(step.input_grads)
        for sent, grad in zip(entry["input_grads"], step.input_grads):
            if grad is None:
                assert sent is None
            else:
                assert as_array(sent).shape == grad.shape
                np.testing.assert_allclose(as_array(sent), grad, rtol=1e-5, atol=1e-12)


def test_each_step_records_its_jacobians_broadcasting_and_sums():
    x = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), requires_grad=True, label="x")
    b = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True, label="b")
    y = (x + b) * x  # x feeds two ops; b is broadcast over the rows
    root = y.sum()
    trace = read_trace(explore(root).html)
    steps = {s.op: s for s in backward_steps(root, retain_graph=True)}
    add = next(s for s in trace["steps"] if s["op"] == "add")
    assert add["inputs"][1]["broadcast"] == {"from": [2, 3], "axes": [0]}
    assert "broadcast" not in add["inputs"][0]
    np.testing.assert_array_equal(as_array(add["inputs"][0]["jacobian"]),
                                  steps["add"].local_jacobian(0))
    mul = next(s for s in trace["steps"] if s["op"] == "mul")
    np.testing.assert_array_equal(as_array(mul["inputs"][1]["jacobian"]),
                                  steps["mul"].local_jacobian(1))
    # x's gradient arrives twice: the page writes it before and after each `+=`.
    first, second = mul["inputs"][1], add["inputs"][0]
    assert (first["nth"], first["of"], second["nth"], second["of"]) == (1, 2, 2, 2)
    assert first["before"] is None
    np.testing.assert_array_equal(as_array(second["before"]), as_array(first["after"]))
    x.grad = None  # stepping above accumulated into it
    root.backward()
    np.testing.assert_array_equal(as_array(second["after"]), x.grad)
    assert any("(16,2) = (16,100)(100,2)" in line for step in read_trace(
        explore(mlp_loss()[0]).html)["steps"] for line in step.get("shapes", []))


def test_value_fan_out_sums_are_the_engines():
    root, leaves = fan_out()
    trace = read_trace(explore(root).html)
    root.backward()
    for name, leaf in leaves.items():
        arrivals = [item for step in trace["steps"] for parent, item in
                    zip(trace["nodes"][str(step["node"])]["parents"], step["inputs"])
                    if parent == leaf.id]
        assert [(a["nth"], a["of"]) for a in arrivals] == [(1, 2), (2, 2)], name
        assert arrivals[-1]["after"] == leaf.grad
        assert arrivals[-1]["before"] == arrivals[0]["after"]


# ---- the user's graph is left as it was --------------------------------------------------------


def test_grads_are_restored_and_a_later_backward_is_right():
    root, leaves = fan_out()
    leaves["a"].grad = 0.25  # something already accumulated: explore must not touch it
    before = {id(n): n.grad for n in ancestors(root)}
    explore(root)
    assert {id(n): n.grad for n in ancestors(root)} == before
    root.backward()
    fresh, fresh_leaves = fan_out()
    fresh.backward()
    assert leaves["a"].grad == 0.25 + fresh_leaves["a"].grad
    assert leaves["b"].grad == fresh_leaves["b"].grad


def test_tensor_graph_keeps_its_saved_buffers_and_grads():
    root, model = mlp_loss("bce", samples=20)
    hidden = root.parents[0]
    hidden.retain_grad()
    kept = model.layers[0].weight.grad = np.full((16, 2), 7.0)
    saved = {id(n): saved_values(n._op) for n in ancestors(root) if n._op is not None}
    explore(root, module=model)
    assert model.layers[0].weight.grad is kept
    assert all(p.grad is None for p in model.parameters()[1:])
    assert hidden.grad is None
    for node in ancestors(root):
        if node._op is not None:
            assert not node._op.freed
            assert all(value is saved[id(node)][name]
                       for name, value in saved_values(node._op).items())
    root.backward()  # without retain_graph: the buffers were still there
    fresh, fresh_model = mlp_loss("bce", samples=20)
    fresh.backward()
    np.testing.assert_allclose(model.layers[0].weight.grad - 7.0,
                               fresh_model.layers[0].weight.grad, rtol=0, atol=1e-14)
    for p, q in zip(model.parameters()[1:], fresh_model.parameters()[1:]):
        np.testing.assert_array_equal(p.grad, q.grad)


def test_bad_roots_and_options_are_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="Value or a Tensor"):
        explore(3.0)
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ValueError, match=r"shape \(3,\).*out.sum\(\)"):
        explore(x * 2)
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        explore(Tensor(2.0) * 3)
    freed = (x * x).sum()
    freed.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        explore(freed)
    root, _ = fan_out()
    with pytest.raises(TypeError, match="named_parameters"):
        explore(root, module=object())
    with pytest.raises(ValueError, match="max_nodes"):
        explore(root, max_nodes=0)
    with pytest.raises(ValueError, match="layout"):
        explore(root, layout="spring")
    with pytest.raises(ValueError, match="rankdir"):
        explore(root, rankdir="XY")


# ---- the page ------------------------------------------------------------------------------------


def test_page_is_self_contained_and_names_every_node():
    root, model = mlp_loss("mse", samples=10)
    page = explore(root, module=model).html
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for forbidden in ("http://", "https://", "src=", "<link", "@import", "url(http"):
        assert forbidden not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    drawing = ET.fromstring(read_svg(page))  # well-formed XML
    groups = {g.get("data-node-id"): g for g in drawing.iter(f"{SVG_NS}g")
              if g.get("data-node-id")}
    trace = read_trace(page)
    assert set(groups) == {str(n.id) for n in ancestors(root)} == set(trace["nodes"])
    names = {name for name, _ in model.named_parameters()} | {"X", "y", "loss"}
    texts = {"".join(t.text or "" for t in g.iter(f"{SVG_NS}text")) for g in groups.values()}
    for name in names:
        assert any(text.startswith(name) for text in texts), name
    for step in trace["steps"]:
        assert str(step["node"]) in groups
    assert 'data-current-step="6"' in page and 'class="transcript"' in page


def test_static_drawing_shows_data_and_the_gradient_after_the_last_step():
    root, leaves = fan_out()
    drawing = ET.fromstring(read_svg(explore(root).html))
    root.backward()
    for g in drawing.iter(f"{SVG_NS}g"):
        if g.get("data-node-id") == str(leaves["a"].id):
            lines = [t.text for t in g.iter(f"{SVG_NS}text")]
            assert lines == ["a", "data 2", f"grad {leaves['a'].grad:.4g}"]
            break
    else:
        pytest.fail("a is not drawn")


def test_labels_cannot_break_out_of_the_page():
    a = Value(1.5, label="</script><script>alert(1)</script>")
    page = explore(a * a).html
    trace_text = page.split('id="autograd-lite-trace">', 1)[1].split("</script>", 1)[0]
    assert "</" not in trace_text and "<" not in trace_text
    assert read_trace(page)["nodes"][str(a.id)]["name"] == a.label
    assert "alert(1)</script>" not in page.split("<script>", 1)[0]
    ET.fromstring(read_svg(page))


@pytest.mark.parametrize("loss, budget", [("mse", 300_000), ("bce", 300_000)])
def test_a_2_16_16_1_mlp_page_is_under_300_kb(loss, budget):
    root, model = mlp_loss(loss)
    size = len(explore(root, module=model).html.encode("utf-8"))
    assert size < budget, f"{loss}: {size} bytes"


def test_nan_and_inf_are_marked_and_the_first_one_can_be_jumped_to():
    x = Value(0.0, label="x")
    root = (x ** 0.5) * 3.0  # d sqrt(x)/dx = inf at 0
    page = explore(root).html
    trace = read_trace(page)
    pow_step = next(i for i, s in enumerate(trace["steps"], 1) if s["op"] == "pow")
    assert trace["first_nonfinite"] == pow_step
    assert math.isinf(decode(trace["steps"][pow_step - 1]["input_grads"][0]))
    assert f'data-action="nonfinite" class="warn" data-step="{pow_step}"' in page
    assert 'fill="#dc2626"' in read_svg(page)  # x's gradient in red without scripts
    clean, _ = fan_out()
    assert read_trace(explore(clean).html)["first_nonfinite"] is None


class WrongSquare(Function):
    """x ** 2 with a wrong derivative (x instead of 2x): the gradient check must catch it."""

    def forward(self, x):
        self.x = x
        return x * x

    def vjp(self, grad_out):
        return grad_out * self.x


def test_gradient_check_agrees_on_correct_ops_and_catches_a_wrong_one():
    root, _ = fan_out()
    page = explore(root).html
    assert page.count("✓ agree") == 2 and "✗ differ" not in page
    w = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True, label="w")
    wrong = WrongSquare.apply(w).sum()
    page = explore(wrong).html
    assert page.count("✗ differ") == 3


def test_big_leaves_are_checked_on_a_few_entries():
    root, model = mlp_loss("mse", samples=50)
    page = explore(root, module=model).html
    assert "6 of 256 entries" in page  # layers.1.weight is 16 x 16
    assert "✗ differ" not in page


def test_past_the_node_limit_the_page_draws_part_and_says_so():
    root, model = scalar_mlp_loss(26)  # 2212 nodes
    total = len(ancestors(root))
    assert total > 2000
    explorer = explore(root, module=model)
    assert explorer.nodes == total and explorer.drawn <= 200
    assert any("more than this page draws" in note for note in explorer.notes)
    page = explorer.html
    trace = read_trace(page)
    assert len(trace["steps"]) == explorer.steps == sum(1 for _ in backward_steps(root))
    drawing = ET.fromstring(read_svg(page))
    drawn = [g for g in drawing.iter(f"{SVG_NS}g") if g.get("data-node-id")]
    assert len(drawn) == explorer.drawn
    assert "more nodes not drawn" in read_svg(page)
    detailed = [s for s in trace["steps"] if "inputs" in s]
    assert 0 < len(detailed) < len(trace["steps"])
    assert len(page.encode()) < 1_500_000


def test_save_writes_the_page_and_returns_its_path(tmp_path):
    root, _ = fan_out()
    explorer = explore(root)
    assert isinstance(explorer, Explorer)
    path = explorer.save(tmp_path / "page.html")
    assert path == tmp_path / "page.html"
    assert path.read_text(encoding="utf-8") == explorer.html
    with pytest.raises(OSError):
        explorer.save(tmp_path / "missing" / "page.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_notebook_display_is_an_iframe_holding_the_page():
    root, _ = fan_out()
    explorer = explore(root)
    shown = explorer._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in shown
    assert "<script" not in shown  # the page is escaped inside the attribute
    from html import unescape

    assert unescape(shown.split('srcdoc="', 1)[1].split('" title=', 1)[0]) == explorer.html


DETERMINISM_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import hashlib
from autograd_lite import explore
from tests.viz.pages import fan_out, mlp_loss
hashes = []
for layout in ("auto", "layered"):
    hashes.append(hashlib.sha256(explore(fan_out()[0], layout=layout).html.encode()).hexdigest())
    root, model = mlp_loss("bce", samples=30)
    hashes.append(hashlib.sha256(explore(root, module=model, layout=layout).html.encode())
                  .hexdigest())
print(" ".join(hashes))
"""


def test_same_script_in_two_fresh_processes_writes_the_same_bytes():
    script = DETERMINISM_SCRIPT.format(root=str(ROOT))
    env = dict(os.environ, PYTHONHASHSEED="random")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env=env, cwd=ROOT, timeout=120).stdout for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0].split()) == 4
    assert hashlib.sha256(b"").hexdigest() not in runs[0]
