"""The base class of every operation, and the registry that lists them by name.

An op is a class with its math side by side: `forward(*inputs)` computes the output from raw
data (ndarrays or floats), `vjp(grad_out)` returns one gradient per input (or None where an
input needs none), and, for the Tensor ops, `jvp(*tangents)` the output's tangent (forward
mode; the Value ops have none, since forward mode runs on Tensors). One instance is
made per recorded node and keeps, under readable names listed in `saved`, the values backward
needs (the scalar ops that need none, add, sub and neg, share one instance each). The
registry exists for seeing, not for dispatch: drawings, the generated table of derivative
rules and the gradient-check tests read it.
"""

from __future__ import annotations

from typing import Any, TypeVar

#: The input domains an op may declare in its `domain` class attribute: "real" (any finite
#: number), "positive" (x > 0), "nonzero" (x != 0, e.g. a divisor) and "away_from_kinks"
#: (differentiable except at isolated points: 0 for relu/abs, the bounds for clip, ties for
#: max/min/maximum/minimum).
DOMAINS: tuple[str, ...] = ("real", "positive", "nonzero", "away_from_kinks")


class Op:
    """Base of all operations (built-in and user-defined).

    Class attributes:

    - `name`: the registry name, lower case: the label learners see in drawings and steps;
    - `kind`: `"tensor"` or `"scalar"`;
    - `rule`: the derivative rule in one line of math, for the generated docs table;
    - `saved`: the attribute names of the values kept for backward;
    - `smooth`: whether second derivatives are meaningful (the tests check them);
    - `broadcasts`: whether the op broadcasts its inputs (`x + y` of shapes (3, 1) and (4,)):
      then its vjp may return gradients in the broadcast shape and the engine sums each back
      to its input's shape; an op that does not leaves its gradients as they are;
    - `frees_buffers`: whether backward without `retain_graph` drops the saved values;
    - `user_code`: whether the vjp is a user's code (a custom `Function`), which may write
      into a tensor's memory while backward runs: the ops after it are checked again;
    - `domain`: where the op is differentiable, one of `DOMAINS` for every input or a tuple
      with one per input (the property tests sample from it).

    Per instance, set when the op is recorded: `needs_grad` (a bool per input, whether it
    requires grad, so a rule can skip unneeded work), `versions` (the version counters of the
    output and inputs when the op saved values: see `checks`), `freed` (whether an earlier
    backward released the saved values); `derived` names kept values that `create_graph`
    cannot differentiate through (user-defined Functions set it).
    """

    __slots__ = ()

    name: str = ""
    kind: str = "tensor"
    rule: str = ""
    saved: tuple[str, ...] = ()
    smooth: bool = True
    broadcasts: bool = False
    frees_buffers: bool = True
    user_code: bool = False
    domain: str | tuple[str, ...] = "real"
    freed: bool = False
    versions: tuple[int, ...] | None = None
    needs_grad: tuple[bool, ...] = ()
    derived: tuple[str, ...] = ()

    def forward(self, *inputs: Any) -> Any:
        """The output from the inputs' raw values (ndarrays for Tensors, floats for Values)."""
        raise NotImplementedError(f"{type(self).__name__} has no forward")

    def vjp(self, grad_out: Any) -> Any:
        """One gradient per input (a tuple; None where an input gets none), given the gradient
        of the output; arrays, or Tensors under `create_graph`."""
        raise NotImplementedError(f"{type(self).__name__} has no vjp")

    def jvp(self, *tangents: Any) -> Any:
        """The output's tangent from one tangent per input (None for an input without one)."""
        raise NotImplementedError(f"{type(self).__name__} has no jvp")

    def release(self) -> None:
        """Drop the values saved for backward (after a backward without `retain_graph`)."""
        for name in self.saved:
            setattr(self, name, None)
        setattr(self, "freed", True)  # noqa: B010 - a slot of the subclasses that free

    def describe(self) -> str:
        """Extra arguments shown beside the op's name (e.g. an axis); empty by default."""
        return ""

    def __repr__(self) -> str:
        extra = self.describe()
        return f"<op {self.name}{' ' + extra if extra else ''}>"


class TensorOp(Op):
    """Base of the ops on Tensors: each instance keeps its own per-node flags."""

    __slots__ = ("needs_grad", "freed", "versions")


class ScalarOp(Op):
    """Base of the ops on Values: saved floats are tiny and kept, so backward can run again.

    A scalar op is never freed and computes every input's gradient, so its instances carry no
    per-node flags: just the floats its rule needs (nothing at all for add, sub and neg, whose
    one instance each is shared by every node they make).
    """

    __slots__ = ()

    kind = "scalar"
    frees_buffers = False


#: Tensor ops by registry name.
TENSOR_OPS: dict[str, type[Op]] = {}
#: Value (scalar) ops by registry name.
SCALAR_OPS: dict[str, type[Op]] = {}
#: User-defined ops (subclasses of `autograd_lite.Function`) by qualified class name
#: ("module.Class"), kept apart so a user's class can never replace a built-in op.
CUSTOM_OPS: dict[str, type[Op]] = {}

OpClass = TypeVar("OpClass", bound=type[Op])


def register(cls: OpClass) -> OpClass:
    """Class decorator: list an op under its `name` in the registry of its `kind` (the class
    is returned as it is, so its constructor keeps its own signature)."""
    table = SCALAR_OPS if cls.kind == "scalar" else TENSOR_OPS
    if not cls.name:
        raise ValueError(f"op class {cls.__name__} has no name")
    if cls.name in table and table[cls.name] is not cls:
        raise ValueError(f"an op named {cls.name!r} is already registered ({table[cls.name]})")
    table[cls.name] = cls
    return cls
