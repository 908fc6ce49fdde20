"""docs/derivative-rules.md is generated from the op registry and must be up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import autograd_lite as ag

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "gen_rules.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_rules", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_table_matches_the_registry():
    generator = load_generator()
    assert generator.PAGE.read_text() == generator.render(), (
        "docs/derivative-rules.md is out of date: run python docs/gen_rules.py")


def test_every_registered_op_has_a_row_and_a_rule():
    generator = load_generator()
    page = generator.render()
    for registry in (ag.TENSOR_OPS, ag.SCALAR_OPS):
        for name, cls in registry.items():
            row = f"| {generator.breakable(name)} | {generator.breakable(cls.__name__)} |"
            assert row in page
            assert row.replace("<wbr>", "").count(name) == 1  # breaks only, no other change
            assert cls.rule, f"op {name!r} ({cls.__name__}) has no one-line rule"


def test_identifiers_break_only_between_words():
    breakable = load_generator().breakable
    assert breakable("binary_cross_entropy_with_logits") == (
        "<code>binary_<wbr>cross_<wbr>entropy_<wbr>with_<wbr>logits</code>")
    assert breakable("BinaryCrossEntropyWithLogits") == (
        "<code>Binary<wbr>Cross<wbr>Entropy<wbr>With<wbr>Logits</code>")
    assert breakable("MSELoss") == "<code>MSELoss</code>"
    assert breakable("add") == "<code>add</code>"
