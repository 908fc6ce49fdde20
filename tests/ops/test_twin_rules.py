"""Each Value op and the Tensor op of the same registry name (`mul`, `tanh`, ...) state the same
derivative rule: a learner meets one name in drawings, steps and the docs' table of rules, and
must read one rule for it whichever engine drew it. Their input domains and smoothness agree
too (the property tests sample both from them)."""

from __future__ import annotations

import pytest

from autograd_lite import SCALAR_OPS, TENSOR_OPS

TWINS = sorted(set(SCALAR_OPS) & set(TENSOR_OPS))

#: Twins whose rules differ on purpose, and why.
DIFFERENT_RULES = {
    # The Value op is one neuron: w . x + b over n weights and n inputs, each a Value of its
    # own; the Tensor op is a whole layer on a batch, x @ W^T + b, with matrices. One text
    # cannot name both sets of inputs, so each states its own (the same calculus: linear in
    # each input, so the gradient of each is the other factor times grad_out).
    "linear": ("d(w . x + b) = x . dw + w . dx + db", "grad_x = grad_out @ W"),
}


def test_the_built_in_value_ops_all_have_tensor_twins():
    assert set(SCALAR_OPS) <= set(TENSOR_OPS), sorted(set(SCALAR_OPS) - set(TENSOR_OPS))
    assert len(TWINS) >= 12


@pytest.mark.parametrize("name", TWINS)
def test_twins_state_the_same_rule(name):
    scalar, tensor = SCALAR_OPS[name], TENSOR_OPS[name]
    if name in DIFFERENT_RULES:
        scalar_starts, tensor_starts = DIFFERENT_RULES[name]
        assert scalar.rule.startswith(scalar_starts) and tensor.rule.startswith(tensor_starts)
        assert scalar.rule != tensor.rule  # else the exception is stale: drop it
        return
    assert scalar.rule == tensor.rule, (
        f"{name}: the Value op {scalar.__name__} says {scalar.rule!r} but the Tensor op "
        f"{tensor.__name__} says {tensor.rule!r}; make them agree (or list the reason in "
        "DIFFERENT_RULES)"
    )


@pytest.mark.parametrize("name", TWINS)
def test_twins_share_their_domain_and_smoothness(name):
    scalar, tensor = SCALAR_OPS[name], TENSOR_OPS[name]
    assert scalar.domain == tensor.domain, name
    assert scalar.smooth == tensor.smooth, name
