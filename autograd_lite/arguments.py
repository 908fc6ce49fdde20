"""Checks of the numbers and names users pass to constructors and functions (layer sizes,
learning rates, seeds, noise levels, reductions, activations), with one wording for all.

A bad argument raises at once, before anything is built: `TypeError` when it is not a number
at all (bools are refused: `True` is an int to Python, never a size or a rate to a user),
`ValueError` when it is a number out of range; both say where, which argument, what it must
be and what it was.
"""

from __future__ import annotations

import math
import numbers
from typing import TypeVar

__all__ = ["check_choice", "check_integer", "check_real"]

#: An int or a float, kept as it is by `in_range`.
Number = TypeVar("Number", int, float)


def check_real(
    x: object,
    name: str,
    where: str,
    what: str,
    *,
    at_least: float | None = None,
    above: float | None = None,
    below: float | None = None,
    range_what: str | None = None,
) -> float:
    """`x` as a float when it is a finite real number with `at_least <= x`, `above < x` and
    `x < below` (each bound optional).

    Raises `TypeError("{where}: {name} must be {what}, got {x!r}")` for anything but a real
    number, and `ValueError` saying the same (with `range_what` in place of `what`, when
    given) for a number out of range, infinity or NaN.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: {name} must be {what}, got {x!r}")
    return in_range(float(x), name, where, range_what or what, at_least, above, below)


def check_integer(
    x: object, name: str, where: str, what: str, *, at_least: int | None = None,
    range_what: str | None = None,
) -> int:
    """`x` as an int when it is an integer (a Python or NumPy one) with `at_least <= x`; the
    errors as for `check_real`."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{where}: {name} must be {what}, got {x!r}")
    return in_range(int(x), name, where, range_what or what, at_least, None, None)


def in_range(value: Number, name: str, where: str, what: str, at_least: float | None,
             above: float | None, below: float | None) -> Number:
    """`value` when it is finite and within the bounds, else the `ValueError`."""
    inside = (
        math.isfinite(value)
        and (at_least is None or value >= at_least)
        and (above is None or value > above)
        and (below is None or value < below)
    )
    if not inside:
        raise ValueError(f"{where}: {name} must be {what}, got {value}")
    return value


def check_choice(value: object, name: str, where: str, allowed: tuple[str, ...]) -> str:
    """`value` if it is one of the names `allowed`, else a `ValueError` listing them."""
    if not isinstance(value, str) or value not in allowed:
        valid = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{where}: unknown {name} {value!r}; valid ones are {valid}")
    return value
