"""Grad mode: whether new operations record a graph (`no_grad` turns it off).

The mode belongs to the thread: each thread starts with recording on, and a `no_grad()` block
in one thread never changes what another records. `no_grad`, `enable_grad` and
`set_grad_enabled` are context managers and decorators (with or without parentheses, on
plain and generator functions); `set_grad_enabled(False)` called on its own also switches the
mode, as in PyTorch.
"""

from __future__ import annotations

import functools
import inspect
import threading
from _thread import get_ident
from collections.abc import Callable, Generator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class GradModeState(threading.local):
    """The switch every op reads before recording; one value per thread (True to start)."""

    enabled: bool = True


#: The state ops read: `GRAD_MODE.enabled` is this thread's mode.
GRAD_MODE = GradModeState()


def is_grad_enabled() -> bool:
    """True when new operations made in this thread record a graph."""
    return GRAD_MODE.enabled


class GradModeContext:
    """A context manager and decorator that sets this thread's grad mode to `mode` inside.

    Each `with` block (and each call of a decorated function) remembers the mode it found and
    restores it on exit, so blocks nest and decorated functions may recurse or run in several
    threads at once. A decorated generator runs with the mode set each time it resumes, and
    the caller's mode is back whenever it yields.
    """

    mode: bool = True

    def __init__(self) -> None:
        #: the modes found on entry, one stack per thread: one object (`NO_GRAD = no_grad()`)
        #: may be entered by several threads at once, each with a mode of its own to restore
        self.stacks: dict[int, list[bool]] = {}

    def remember(self) -> None:
        """Push this thread's current mode (to restore on exit)."""
        stack = self.stacks.get(get_ident())
        if stack is None:
            stack = self.stacks[get_ident()] = []
        stack.append(GRAD_MODE.enabled)

    def restore(self) -> None:
        """Put back the mode this thread had on the matching entry."""
        key = get_ident()
        stack = self.stacks[key]
        GRAD_MODE.enabled = stack.pop()
        if not stack:  # a finished thread's id may be reused: leave nothing behind
            del self.stacks[key]

    def __enter__(self) -> None:
        self.remember()
        GRAD_MODE.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def call_text(self) -> str:
        """How the user writes this block (for messages)."""
        name = type(self).__name__
        return f"{name}(mode)" if isinstance(self, set_grad_enabled) else f"{name}()"

    def fresh(self) -> GradModeContext:
        """A new block with the same mode (one per decorated call)."""
        return ModeBlock(self.mode)

    def __call__(self, func: F) -> F:
        if not callable(func):
            raise TypeError(
                f"{type(self).__name__}: a decorator needs a function, got "
                f"{type(func).__name__}"
            )
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            raise TypeError(
                f"{type(self).__name__}: cannot decorate the async function "
                f"{getattr(func, '__qualname__', func)!r}: grad mode belongs to the thread, and "
                "other tasks run on the same thread while it awaits, so the mode would leak into "
                f"them. Use `with {self.call_text()}:` inside it, around code without an await"
            )
        if inspect.isgeneratorfunction(func):
            return self.wrap_generator(func)  # type: ignore[return-value]

        @functools.wraps(func)
        def with_mode(*args: Any, **kwargs: Any) -> Any:
            with self.fresh():
                return func(*args, **kwargs)

        return with_mode  # type: ignore[return-value]

    def wrap_generator(self, func: Callable[..., Generator[Any, Any, Any]]) -> Callable[..., Any]:
        """`func`, a generator function, run with the mode set while its body runs."""

        @functools.wraps(func)
        def with_mode(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            with self.fresh():
                generator = func(*args, **kwargs)
                try:
                    request: Any = None
                    item = generator.send(request)
                except StopIteration as stop:
                    return stop.value
            while True:
                try:
                    request = yield item
                except GeneratorExit:
                    with self.fresh():
                        generator.close()
                    raise
                except BaseException as exc:
                    try:
                        with self.fresh():
                            item = generator.throw(exc)
                    except StopIteration as stop:
                        return stop.value
                else:
                    try:
                        with self.fresh():
                            item = generator.send(request)
                    except StopIteration as stop:
                        return stop.value

        return with_mode


class no_grad(GradModeContext):
    """Context manager and decorator (`@no_grad` or `@no_grad()`): nothing built inside
    records a graph, in this thread.

    >>> with no_grad():
    ...     y = x * 2          # y.requires_grad is False, no graph is kept
    """

    mode = False

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        if func is not None:  # used bare, as `@no_grad`
            return cls()(func)
        return super().__new__(cls)

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        super().__init__()


class enable_grad(GradModeContext):
    """Context manager and decorator (`@enable_grad` or `@enable_grad()`) that turns
    recording back on inside a `no_grad` block, in this thread."""

    mode = True

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        if func is not None:  # used bare, as `@enable_grad`
            return cls()(func)
        return super().__new__(cls)

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        super().__init__()


class set_grad_enabled(GradModeContext):
    """Set this thread's grad mode to `mode`: called on its own it switches the mode at once
    (as in PyTorch); as a context manager it also restores the previous mode on exit; as a
    decorator (`@set_grad_enabled(False)`) it sets the mode for each call only."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, int)):
            kind = type(mode)
            name = kind.__qualname__ if kind.__module__ == "builtins" else \
                f"{kind.__module__}.{kind.__qualname__}"
            raise TypeError(f"set_grad_enabled: mode must be a bool (True or False), got {name}; "
                            "pass bool(mode)")
        super().__init__()
        self.mode = bool(mode)
        self.remember()
        GRAD_MODE.enabled = self.mode
        self.entered = False

    def __enter__(self) -> None:
        # The mode was set when the object was made; __exit__ restores the one before. Entered
        # again (the same object in a second `with`), it switches again, as a fresh one would.
        if self.entered or get_ident() not in self.stacks:
            self.remember()
        GRAD_MODE.enabled = self.mode
        self.entered = True

    def __call__(self, func: F) -> F:
        # Used as a decorator, the switch made on construction is undone: only calls set it.
        if self.stacks.get(get_ident()):
            self.restore()
        return super().__call__(func)


class ModeBlock(GradModeContext):
    """A plain block that sets the mode on entry (what a decorated call runs in)."""

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self.mode = mode
