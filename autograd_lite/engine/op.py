"""The base class of every operation, and the registry that lists them by name.

An op is a class with two named methods side by side: `forward(*inputs)` computes the output
from raw data (ndarrays or floats), and `vjp(grad_out)` returns one gradient per input (or None
where an input needs none). One instance is made per recorded node and keeps, under readable
names listed in `saved`, the values backward needs (the scalar ops that need none, add, sub
and neg, share one instance each). The registry exists for seeing, not for dispatch: drawings,
the generated table of derivative rules and the gradient-check tests read it.
"""

from __future__ import annotations

from typing import Any

#: Tensor ops by registry name.
TENSOR_OPS: dict[str, type[Op]] = {}
#: Value (scalar) ops by registry name.
SCALAR_OPS: dict[str, type[Op]] = {}
#: User-defined ops (subclasses of `autograd_lite.Function`) by qualified class name
#: ("module.Class"), kept apart so a user's class can never replace a built-in op.
CUSTOM_OPS: dict[str, type[Op]] = {}

#: The input domains an op may declare in its `domain` class attribute: "real" (any finite
#: number), "positive" (x > 0), "nonzero" (x != 0, e.g. a divisor) and "away_from_kinks"
#: (differentiable except at isolated points: 0 for relu/abs, the bounds for clip, ties for
#: max/min/maximum/minimum).
DOMAINS: tuple[str, ...] = ("real", "positive", "nonzero", "away_from_kinks")


def register(cls: type[Op]) -> type[Op]:
    """Class decorator: list an op under its `name` in the registry of its `kind`."""
    table = SCALAR_OPS if cls.kind == "scalar" else TENSOR_OPS
    if not cls.name:
        raise ValueError(f"op class {cls.__name__} has no name")
    if cls.name in table and table[cls.name] is not cls:
        raise ValueError(f"an op named {cls.name!r} is already registered ({table[cls.name]})")
    table[cls.name] = cls
    return cls


class Op:
    """Base of all operations (built-in and user-defined).

    Class attributes: `name` (registry name, lower case: the label learners see), `kind`
    (`"tensor"` or `"scalar"`), `saved` (attribute names of the values kept for backward),
    `smooth` (whether second derivatives are meaningful: the tests check them),
    `unbroadcast` (whether the engine sums gradients back to each input's shape),
    `frees_buffers` (whether backward without `retain_graph` drops the saved values),
    `domain` (where the op is differentiable: one of `DOMAINS` for every input, or a tuple with
    one per input; every built-in op declares its own, and the property tests sample from it).
    `freed` says whether an earlier backward released the saved values (False until then;
    Tensor ops keep it per instance, set when the op is recorded, with `needs_grad`: a bool
    per input, whether that input requires grad, so a rule can skip unneeded work).
    """

    __slots__ = ()

    freed: bool = False
    versions: tuple[int, ...] | None = None
    #: names of kept values computed from the inputs that are neither an input nor the
    #: output: `create_graph` cannot differentiate through them and refuses (Functions set it)
    derived: tuple[str, ...] = ()
    name: str = ""
    kind: str = "tensor"
    saved: tuple[str, ...] = ()
    smooth: bool = True
    unbroadcast: bool = True
    frees_buffers: bool = True
    #: the derivative rule in one line of math, for the generated docs table
    rule: str = ""

    def release(self) -> None:
        """Drop the values saved for backward (after a backward without `retain_graph`)."""
        for name in self.saved:
            setattr(self, name, None)
        self.freed = True

    def describe(self) -> str:
        """Extra arguments shown beside the op's name (e.g. an axis); empty by default."""
        return ""

    def __repr__(self) -> str:
        extra = self.describe()
        return f"<op {self.name}{' ' + extra if extra else ''}>"


class TensorOp(Op):
    """Base of the ops on Tensors.

    `versions` holds, when the op saved values, the version counters of its output and inputs
    at record time; writing into a tensor's `.data` bumps its counter, so backward can refuse
    a gradient computed from changed values.
    """

    __slots__ = ("needs_grad", "freed", "versions")


class ScalarOp(Op):
    """Base of the ops on Values: saved floats are tiny and kept, so backward can run again.

    A scalar op is never freed and computes every input's gradient, so its instances carry no
    per-node flags: just the floats its rule needs (nothing at all for add, sub and neg, whose
    one instance each is shared by every node they make).
    """

    __slots__ = ()

    kind = "scalar"
    unbroadcast = False
    frees_buffers = False


def saved_values(op: Op) -> dict[str, Any]:
    """The op's saved values by name (for stepping, drawing and debugging)."""
    return {name: getattr(op, name, None) for name in op.saved}
