"""How numbers and arrays are written for people: in step traces, drawings and the explorer."""

from __future__ import annotations

import re
from typing import Any

import numpy as np


def format_number(x: float) -> str:
    """A float in 4 significant digits: `2`, `-0.25`, `1.235e+04`, `nan`."""
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0


def format_array(array: np.ndarray, max_elements: int, summary: str = "mean",
                 one_line: bool = False, line_width: int = 60) -> str:
    """A small array written out (`[[1, -0.5], [2, 0]]`, rows on lines of their own unless
    `one_line`), a larger one (more than `max_elements`) as `min m  mean m  max M`, or with
    `summary="norm"` as `min m  max M  norm n` (the square root of the sum of squares)."""
    array = np.asarray(array)
    if array.size == 0:
        return "[]" if one_line else "empty"
    if array.ndim == 0:
        return format_number(float(array))
    if array.size <= max_elements:
        formatter: Any = {"all": lambda v: format_number(float(v))}
        text = np.array2string(array, separator=", ", formatter=formatter,
                               max_line_width=10_000 if one_line else line_width)
        return re.sub(r"\n\s*", " ", text) if one_line else text
    data = array.astype(np.float64, copy=False)
    low, high = format_number(float(data.min())), format_number(float(data.max()))
    if summary == "norm":
        return f"min {low}  max {high}  norm {format_number(float(np.linalg.norm(data)))}"
    return f"min {low}  mean {format_number(float(data.mean()))}  max {high}"
