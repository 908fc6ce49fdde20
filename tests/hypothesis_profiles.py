"""Hypothesis profiles for the property suite and the per-op oracle (imported by their conftest).

- `ci` (the default): few examples per op and a fixed seed (`derandomize`), so the suite is
  reproducible and stays within the test budget.
- `local`: many more examples, randomised, for a long hunt: `HYPOTHESIS_PROFILE=local pytest
  tests/property`.

Select with the environment variable `HYPOTHESIS_PROFILE`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SLOW_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci", max_examples=20, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=SLOW_CHECKS,
)
settings.register_profile(
    "local", max_examples=300, deadline=None, print_blob=True,
    suppress_health_check=SLOW_CHECKS,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
