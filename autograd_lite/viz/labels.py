"""The text inside each box of a drawing: Value and Tensor nodes (as Graphviz records) and ops.

A record label is fields separated by `|`; in a left-to-right drawing, `{a | b | c}` lays the
fields out side by side. Every piece of user text is escaped, so a label such as `x<0` or
`{w}` cannot break the record syntax.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text import format_array, format_number

#: A tensor with at most this many elements shows its values; a larger one min / mean / max.
MAX_SHOWN_ELEMENTS = 8

#: Characters with a meaning in a record label, and the backslash that escapes them.
RECORD_SPECIALS = {c: "\\" + c for c in "{}|<>\"\\"}

#: Shown in place of a gradient that no backward has computed yet.
NO_GRAD_YET = "grad —"


def escape_record(text: str) -> str:
    """`text` with record-label specials escaped and newlines as centred line breaks."""
    escaped = "".join([RECORD_SPECIALS.get(c, c) for c in text])
    return escaped.replace("\n", "\\n")


def format_values(array: np.ndarray) -> str:
    """Values of a small array on one line per row (`[1, 2.5]`), else `min m  mean m  max m`.

    `array`: any shape; at most `MAX_SHOWN_ELEMENTS` elements are written out.
    """
    return format_array(array, MAX_SHOWN_ELEMENTS)


def value_fields(node: Any, name: str, show_grad: bool, pending: bool) -> list[str]:
    """Fields of a Value: its name (if any), `data d` and `grad g` (or `grad —` before any
    backward, and nothing for a constant, whose gradient is never computed)."""
    fields = [name] if name else []
    fields.append(f"data {format_number(node._data)}")
    if show_grad and node.requires_grad:
        fields.append(NO_GRAD_YET if pending else f"grad {format_number(node.grad)}")
    return fields


def tensor_fields(node: Any, name: str, show_grad: bool, pending: bool) -> list[str]:
    """Fields of a Tensor: its name, `shape dtype`, its values or summary, and its gradient's
    values or summary once computed (`grad —` for a leaf that awaits one)."""
    data = node._data
    fields = [name] if name else []
    fields.append(f"{tuple(data.shape)} {data.dtype}")
    fields.append(format_values(data))
    if show_grad and node.requires_grad:
        grad = node.grad
        if grad is not None:
            grad = np.asarray(getattr(grad, "_data", grad))
            fields.append("grad " + format_values(grad))
        elif node._op is None or node.keeps_grad:
            fields.append(NO_GRAD_YET if pending else "grad none")
    return fields


def data_label(node: Any, name: str, show_grad: bool, pending: bool, extra: str = "") -> str:
    """The record label of a Value or Tensor node: `{name | ... }`, each field escaped, with
    `extra` as a last field when given."""
    if isinstance(node._data, np.ndarray):
        fields = tensor_fields(node, name, show_grad, pending)
    else:
        fields = value_fields(node, name, show_grad, pending)
    if extra:
        fields.append(extra)
    return "{ " + " | ".join([escape_record(f) for f in fields]) + " }"


def op_label(op: Any, step: int | None) -> str:
    """The text of an op node: its name and extra arguments (`sum axis=0`), and its step
    number in the backward order when one is given."""
    extra = op.describe() if hasattr(op, "describe") else ""
    text = f"{op.name} {extra}" if extra else op.name
    return text if step is None else f"{text}\\nstep {step}"
