"""The property suite covers the whole registry: every op declares an input domain and has a
call strategy, so a new op cannot slip past the checks."""

from __future__ import annotations

import inspect

import pytest

from autograd_lite import SCALAR_OPS, TENSOR_OPS
from autograd_lite.engine.op import DOMAINS

from .calls import SCALAR_CALLS, TENSOR_CALLS

ALL_OPS = [(kind, name, cls) for kind, table in (("tensor", TENSOR_OPS), ("scalar", SCALAR_OPS))
           for name, cls in sorted(table.items())]


def arity(cls: type) -> int | None:
    """How many inputs `forward` takes (None for a variadic op)."""
    params = list(inspect.signature(cls.forward).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return len(params)


@pytest.mark.parametrize("kind, name, cls", ALL_OPS, ids=[f"{k}-{n}" for k, n, _ in ALL_OPS])
def test_every_op_declares_its_input_domain(kind, name, cls):
    assert "domain" in vars(cls), (
        f"{kind} op {name!r} ({cls.__module__}.{cls.__name__}) declares no input domain: add a "
        f"class attribute `domain` (one of {DOMAINS}, or a tuple with one per input)"
    )
    domain = cls.domain
    if isinstance(domain, str):
        assert domain in DOMAINS, f"{name}: unknown domain {domain!r}; known: {DOMAINS}"
    else:
        assert isinstance(domain, tuple) and all(d in DOMAINS for d in domain), (
            f"{name}: domain must be one of {DOMAINS} or a tuple of them, got {domain!r}")
        assert arity(cls) == len(domain), (
            f"{name}: {len(domain)} domains declared for {arity(cls)} inputs")


def test_every_op_has_a_call_strategy():
    missing = sorted(set(TENSOR_OPS) - set(TENSOR_CALLS))
    assert not missing, f"Tensor ops without a strategy in tests/property/calls.py: {missing}"
    missing = sorted(set(SCALAR_OPS) - set(SCALAR_CALLS))
    assert not missing, f"Value ops without a strategy in tests/property/calls.py: {missing}"


def test_non_smooth_ops_sample_away_from_their_kinks():
    """An op that is not smooth must say where it is safe to differentiate."""
    for _, name, cls in ALL_OPS:
        if not cls.smooth:
            domains = (cls.domain,) if isinstance(cls.domain, str) else cls.domain
            assert "away_from_kinks" in domains, f"{name} is not smooth but samples {domains}"


def test_a_new_op_without_a_domain_is_caught():
    """The check above, run on a throwaway op class (never registered)."""
    from autograd_lite.engine.op import TensorOp

    class Cube(TensorOp):
        name = "cube"

        def forward(self, x):
            return x ** 3

    with pytest.raises(AssertionError, match="declares no input domain"):
        test_every_op_declares_its_input_domain("tensor", "cube", Cube)
