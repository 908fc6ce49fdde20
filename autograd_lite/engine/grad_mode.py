"""Grad mode: whether new operations record a graph (`no_grad` turns it off)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode:
    """Holds the one switch every op reads before recording (a class attribute, cheap to read)."""

    enabled = True


def is_grad_enabled() -> bool:
    """True when new operations record a graph."""
    return _GradMode.enabled


class set_grad_enabled:
    """Context manager that sets grad mode to `mode` and restores the previous one on exit."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.previous = True

    def __enter__(self) -> None:
        self.previous = _GradMode.enabled
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self.previous


class no_grad(set_grad_enabled):
    """Context manager and decorator: nothing built inside records a graph.

    >>> with no_grad():
    ...     y = x * 2          # y.requires_grad is False, no graph is kept
    """

    def __init__(self) -> None:
        super().__init__(False)

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def without_grad(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return func(*args, **kwargs)

        return without_grad  # type: ignore[return-value]


class enable_grad(set_grad_enabled):
    """Context manager that turns recording back on (inside a `no_grad` block)."""

    def __init__(self) -> None:
        super().__init__(True)
