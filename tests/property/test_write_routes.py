"""Property: whatever route a write into a tensor's memory takes, backward raises or returns
exactly PyTorch's gradient for the values the forward pass saw — never a silent wrong number.

Each example builds x -> h = first(x) -> out = second(h, c), loss = sum(out * w), with ops
that keep inputs or outputs for backward, picks a victim (the leaf x, the constant c, the
intermediate h), a write route (tests/write_routes.py: `.data` writes, NumPy `out=`,
`np.copyto`, `.flat`, `np.place`, views, `np.asarray(t)`, tensors sharing the memory, in-place
operators...), a time (after the graph is built, through a handle kept from before, or before
the graph exists) and sometimes a copy instead of the memory itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..write_routes import (
    COPY_ROUTES,
    FIRST,
    ROUTES,
    SECOND,
    TIMINGS,
    VICTIMS,
    Program,
    check_write,
)

pytest.importorskip("torch")

SHAPES = [(), (3,), (2, 3), (3, 3)]


@st.composite
def write_cases(draw: st.DrawFn) -> tuple:
    shape = draw(st.sampled_from(SHAPES), label="shape")
    second = draw(st.sampled_from(sorted(SECOND) if shape else
                                  sorted(set(SECOND) - {"matmul"})), label="second op")
    first = draw(st.sampled_from(sorted(FIRST)), label="first op")
    seed = draw(st.integers(0, 2**16), label="values seed")
    rng = np.random.default_rng(seed)
    program = Program(first, second, rng.uniform(-1.5, 1.5, shape), rng.uniform(0.5, 2.0, shape),
                      seed)
    victim = draw(st.sampled_from(VICTIMS), label="victim")
    timing = draw(st.sampled_from([t for t in TIMINGS if not (victim == "h" and t == "before")]),
                  label="timing")
    into_copy = timing == "after" and draw(st.booleans(), label="into a copy")
    route = draw(st.sampled_from(COPY_ROUTES if into_copy else ROUTES),
                 label="route").name
    k = draw(st.integers(0, max(int(np.prod(shape)) - 1, 0)), label="element")
    delta = draw(st.sampled_from([0.75, -1.25, 2.0, 1e-3]), label="change")
    return program, victim, route, timing, k, delta, into_copy


ROUTE_BY_NAME = {r.name: r for r in ROUTES + COPY_ROUTES}


@settings(max_examples=max(150, settings().max_examples))
@given(write_cases())
def test_a_write_into_saved_memory_never_gives_a_silently_wrong_gradient(case):
    program, victim, route, timing, k, delta, into_copy = case
    check_write(program, victim, ROUTE_BY_NAME[route], timing, k, delta, into_copy)
