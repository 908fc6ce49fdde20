"""Watching backprop: `backward_steps` (the backward pass as an iterator of `Step`s) and
`detect_anomaly` (stop at the first NaN or Inf, naming the op and the user's line)."""

from .anomaly import detect_anomaly, is_anomaly_enabled
from .steps import Step, backward_steps

__all__ = ["Step", "backward_steps", "detect_anomaly", "is_anomaly_enabled"]
