"""Load the Hypothesis profile (`HYPOTHESIS_PROFILE`: `ci` by default, or `local`)."""

from .. import hypothesis_profiles  # noqa: F401
