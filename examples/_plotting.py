"""Shared by the examples: matplotlib on its headless backend, when it is installed."""

from __future__ import annotations

from typing import Any


def pyplot() -> Any:
    """`matplotlib.pyplot` on the Agg backend (files only, no window), or None with a note
    when matplotlib is not installed (`pip install "autograd-lite[plot]"`)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print('(matplotlib is not installed: no plot; pip install "autograd-lite[plot]")')
        return None
    return plt
