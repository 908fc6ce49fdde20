"""A speed trick, kept in one place: keeping a gradient array instead of copying it.

When backward reaches a leaf, its `.grad` needs an array nothing else will write into. The
vjp that produced the gradient usually made a fresh array that only the backward loop still
holds, and then the leaf may keep that very array (PyTorch's AccumulateGrad makes the same
check). Reference counts tell whether that is so. Measured gain: T2's training step (a
784-256-128-10 MLP) is about 40% slower when every gradient is copied, since each copy is a
pass over the weights' memory.

The check rests on CPython's reference counting; `probe_sole_owner` asks it, at import, about
arrays whose owners are known, and if the answers differ from the expected ones (another
Python implementation, a future CPython) `COUNTS_REFERENCES` is False and every gradient is
copied: slower, never wrong. `tests/engine/test_ownership.py` pins the probe's answer here.
"""

from __future__ import annotations

from collections.abc import Iterator
from sys import getrefcount
from typing import Any

import numpy as np


def sole_owner(grad: Any) -> bool:
    """True when only the backward loop's `grad_out` variable can reach `grad`'s memory.

    The loop's variable, this function's argument and `getrefcount`'s own make 3; a view
    counts when it is the only one on its base's memory. Anything else holding the array
    (another pending gradient, a hook, a seed the caller passed, a step a consumer keeps)
    raises the count, and the gradient is copied.
    """
    if not COUNTS_REFERENCES or type(grad) is not np.ndarray or getrefcount(grad) != 3 \
            or not grad.flags.writeable:
        return False
    base = grad.base
    # The base: referenced by the view, by `base` here and by getrefcount's argument.
    return base is None or (type(base) is np.ndarray and base.base is None
                            and getrefcount(base) == 3)


def probe_sole_owner() -> Iterator[bool]:
    """`sole_owner` asked about an array held once, a view held once and an array held twice,
    from a generator frame as in the backward loop."""
    grad_out = np.zeros(2)
    owned = sole_owner(grad_out)
    yield owned
    grad_out = np.zeros(2)[::2]  # a view, the only one on its memory
    owned = sole_owner(grad_out)
    yield owned
    kept = grad_out = np.zeros(2)
    owned = sole_owner(grad_out)
    yield owned
    del kept


#: The answers `probe_sole_owner` must give for the trick to be used.
EXPECTED_PROBE = [True, True, False]
#: Whether reference counts here are what `sole_owner` expects; if not, gradients are copied.
COUNTS_REFERENCES = True
COUNTS_REFERENCES = list(probe_sole_owner()) == EXPECTED_PROBE
