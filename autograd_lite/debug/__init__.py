"""Watching backprop: `backward_steps` (the backward pass as an iterator of `Step`s) and
`detect_anomaly` (stop at the first NaN or Inf, naming the op and the user's line; its switch
and checks live in the engine, `engine.anomaly`)."""

from ..engine import anomaly
from ..engine.anomaly import detect_anomaly, is_anomaly_enabled
from .steps import Step, backward_steps

__all__ = ["Step", "anomaly", "backward_steps", "detect_anomaly", "is_anomaly_enabled"]
