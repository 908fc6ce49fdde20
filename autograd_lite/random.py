"""The random generator that parameter initialisation uses, and `manual_seed` to seed it.

Layers draw their initial weights from one module-level `numpy.random.Generator`, so
`manual_seed(0)` followed by building a model always gives the same model. Until it is called
the generator is seeded from the operating system, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from .arguments import check_integer

__all__ = ["get_generator", "manual_seed"]

_generator: np.random.Generator = np.random.default_rng()


def check_seed(seed: object, where: str = "manual_seed") -> int:
    """Return `seed` as an int, or raise if it is not a non-negative integer (bools refused)."""
    return check_integer(seed, "seed", where, "a non-negative integer", at_least=0)


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator that parameter initialisation uses; returns that generator.

    >>> manual_seed(0); a = nn.Linear(2, 3)
    >>> manual_seed(0); b = nn.Linear(2, 3)      # a and b have equal weights

    Raises `TypeError` / `ValueError` when `seed` is not a non-negative integer (the current
    generator is then left as it was).
    """
    global _generator
    _generator = np.random.default_rng(check_seed(seed))
    return _generator


def get_generator() -> np.random.Generator:
    """The generator parameter initialisation draws from (replaced by each `manual_seed`)."""
    return _generator
