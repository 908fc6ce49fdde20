"""`Function`: user-defined operations that the engine treats like the built-in ones.

A subclass defines `forward(self, *inputs)` on plain NumPy arrays (for Tensors) or floats (for
Values), keeping on `self` what the derivative needs, and `vjp(self, grad_out)` returning one
gradient per input (or None; a bare gradient for a single input). `jvp(self, *tangents)` is
optional: without it forward mode builds the op's small Jacobian from `vjp`.

    class Cube(Function):
        def forward(self, x):
            self.x = x
            return x ** 3

        def vjp(self, grad_out):
            return grad_out * 3 * self.x ** 2

    y = Cube.apply(t)            # a Tensor whose op is drawn and stepped as "Cube"

`apply` runs the op through the same recording path as the built-in ops (`new_tensor` /
`new_value`), so backward, `create_graph`, `backward_steps`, drawings, `gradcheck` and the
in-place checks treat it like any other op. Subclasses are listed in `CUSTOM_OPS` by their
qualified class name, apart from the built-in registries, so a user's class never replaces a
built-in op (and redefining a class, as a notebook cell does, replaces the older one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from .data_view import share_versions
from .engine.gradients import sum_to_shape
from .engine.node import Node
from .engine.op import CUSTOM_OPS, TensorOp
from .ops.rule_math import sum_terms
from .tensor import Tensor, as_tensor, new_tensor, stack
from .value import Value, as_value, new_value


class Function(TensorOp):
    """Base class of user-defined differentiable operations (see the module docstring).

    Class attributes a subclass may set: `name` (shown in drawings and steps; the class name
    by default), `rule` (one line of math for documentation), `smooth`.
    For higher derivatives (`create_graph=True`, `hessian`, `grad` of `grad`) write `vjp` with
    operations that also work on Tensors (`*`, `@`, `.sum()`, `np.cos`, which dispatches to
    the Tensor's `cos`) from the inputs and the output kept on `self`: a value computed from
    the inputs in `forward` and kept on `self` (`self.cos_x = np.cos(x)`) cannot be
    differentiated again, and `create_graph` refuses it, naming the attribute.
    """

    kind = "tensor"
    broadcasts = True  # a user's vjp may return gradients in the broadcast shape
    user_code = True  # its vjp may write into .data: backward checks the ops after it again

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        refuse_pytorch_style(cls)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__
        CUSTOM_OPS[f"{cls.__module__}.{cls.__qualname__}"] = cls

    def forward(self, *inputs: Any) -> Any:
        """The output from the inputs' raw values (ndarrays or floats)."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, *inputs)")

    def vjp(self, grad_out: Any) -> Any:
        """One gradient per input (or None), given the gradient of the output."""
        raise NotImplementedError(f"{type(self).__name__} must define vjp(self, grad_out)")

    def jvp(self, *tangents: Any) -> Any:
        """Default forward-mode rule: the output's tangent sum_i J_i @ t_i, with each row of
        the Jacobians J_i taken from `vjp` of a unit cotangent (one vjp call per output
        element; define `jvp` to make it cost one call)."""
        if self.kind == "scalar":
            return self.contract(self.vjp(1.0), tangents)
        shape = self._out_shape
        entries = []
        for index in np.ndindex(shape):
            unit = np.zeros(shape, dtype=self._out_dtype)
            unit[index] = 1
            entries.append(self.contract(self.vjp(unit), tangents))
        if any(isinstance(entry, Node) for entry in entries):
            return stack(entries).reshape(shape)
        return np.array(entries, dtype=self._out_dtype).reshape(shape)

    def contract(self, grads: Any, tangents: tuple[Any, ...]) -> Any:
        """sum_i <grads_i, tangents_i> over the inputs that have both (the gradients are
        summed back to the inputs' shapes first, as backward does)."""
        if type(grads) is not tuple:
            grads = (grads,)
        terms = []
        for grad, tangent in zip(grads, tangents):
            if grad is None or tangent is None:
                continue
            if self.kind == "scalar":
                terms.append(grad * tangent)
            else:
                grad = sum_to_shape(grad, tuple(tangent.shape), self.name)
                terms.append((grad * tangent).sum())
        total = sum_terms(*terms)
        return 0.0 if total is None else total

    @classmethod
    def apply(cls, *inputs: Any, **params: Any) -> Tensor | Value:
        """Run the op on `inputs` and record it; `params` go to the class's `__init__`.

        With a `Value` among the inputs the op runs on floats and returns a Value; otherwise on
        arrays and returns a Tensor. Numbers and arrays among the inputs are constants.
        """
        op = cls(**params)
        if any(isinstance(x, Value) for x in inputs):
            return op.apply_to_values(inputs)
        return op.apply_to_tensors(inputs)

    def apply_to_tensors(self, inputs: tuple[Any, ...]) -> Tensor:
        like = next((x for x in inputs if isinstance(x, Tensor)), None)
        tensors = tuple(as_tensor(x, like) for x in inputs)
        raw = [t._data for t in tensors]
        before = dict(vars(self))
        with inputs_read_only(raw, type(self).__name__):
            result = self.forward(*raw)
        self.check_result(result)
        self.derived = kept_derived_values(self, before, raw, result)
        self._out_shape = np.shape(result)
        self._out_dtype = np.result_type(result)
        # The arrays kept on self are what backward needs: freed after backward, turned
        # into graph nodes for create_graph, shown by the stepper.
        self.saved = tuple(name for name, value in vars(self).items()
                           if isinstance(value, np.ndarray))
        out = new_tensor(result, self, tensors)
        for t in tensors:  # forward returned an input (or a view of one): one memory
            if np.may_share_memory(out._data, t._data):
                share_versions(out, t)
        return out

    def apply_to_values(self, inputs: tuple[Any, ...]) -> Value:
        values = tuple(as_value(x) for x in inputs)
        self.kind = "scalar"
        self.broadcasts = False
        self.frees_buffers = False
        self.freed = False  # a scalar op keeps its floats: never freed, no versions
        self.versions = None
        raw = [v._data for v in values]
        before = dict(vars(self))
        result = self.forward(*raw)
        self.check_result(result)
        self.derived = kept_derived_values(self, before, raw, result)
        self.needs_grad = tuple(v.requires_grad for v in values)
        self.saved = tuple(name for name, value in vars(self).items()
                           if isinstance(value, float))
        return new_value(float(result), self, values)

    def check_result(self, result: Any) -> None:
        if isinstance(result, (tuple, list)):
            raise TypeError(
                f"{type(self).__name__}.forward returned a {type(result).__name__}; a Function "
                "has one output (an array or a float)"
            )
        if isinstance(result, Node):
            raise TypeError(
                f"{type(self).__name__}.forward returned a {type(result).__name__}; forward works "
                "on raw values (NumPy arrays or floats) and must return one"
            )


@contextmanager
def inputs_read_only(arrays: list[np.ndarray], name: str) -> Iterator[None]:
    """Inside the block the input arrays are read-only: `forward` gets the tensors' own memory
    (so `self.x = x` is recognised as an input by `create_graph`), and a write into it
    (`x *= 2`) would change a tensor behind the version counters' back."""
    locked = [a for a in {id(a): a for a in arrays}.values() if a.flags.writeable]
    for array in locked:
        array.flags.writeable = False
    try:
        yield
    except ValueError as exc:
        if "read-only" not in str(exc):
            raise
        raise ValueError(
            f"{name}.forward wrote into one of its inputs ({exc}); the inputs are the tensors' "
            "own memory, which forward must not change. Compute a new array instead "
            "(x = x * 2, not x *= 2)"
        ) from exc
    finally:
        for array in locked:
            array.flags.writeable = True


def kept_derived_values(op: Function, before: dict[str, Any], inputs: list[Any],
                        result: Any) -> tuple[str, ...]:
    """The attributes `forward` set on `op` to floating-point values that are neither one of
    its inputs nor its output (compared by identity): values computed from the inputs, such
    as `self.cos_x = np.cos(x)`.

    Backward uses them as they are, which is right; but `create_graph` (hessian, grad of
    grad) can only turn inputs and the output back into graph nodes, so through these the
    higher derivative would treat a function of the inputs as a constant. The engine refuses
    them there (`Op.derived`). Values set before `forward` (in `__init__`, from the op's
    parameters) are constants and are fine, and so are integer and boolean arrays (indices,
    masks), which carry no derivative.
    """
    derived = []
    for name, value in vars(op).items():
        if before.get(name, op) is value or value is result:
            continue
        if any(value is x for x in inputs):
            continue
        if carries_floats(value):
            derived.append(name)
    return tuple(derived)


def carries_floats(value: Any) -> bool:
    """True for a float (or complex) number or array, or a list or tuple holding one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (float, complex, np.floating, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc"
    if isinstance(value, (list, tuple)):
        return any(carries_floats(item) for item in value)
    return False


def refuse_pytorch_style(cls: type) -> None:
    """Refuse, at the class statement, a Function written as PyTorch's `torch.autograd.Function`
    (a static `forward(ctx, ...)`, a `backward(ctx, grad_output)`, a `setup_context`).

    Running it would fail later with Python's "missing 1 required positional argument", and a
    half-supported `ctx` would keep saved values where `create_graph` cannot see them (wrong
    second derivatives with no error). The message shows the same op written here.
    """
    own = cls.__dict__
    static = isinstance(own.get("forward"), (staticmethod, classmethod))
    backward = "backward" in own and getattr(cls, "vjp", None) is Function.vjp
    if not (static or backward or "setup_context" in own):
        return
    name = cls.__name__
    raise TypeError(
        f"{name} is written like PyTorch's torch.autograd.Function (a @staticmethod "
        "forward(ctx, ...) and backward(ctx, grad_output)). Here a Function is an ordinary "
        "class: the instance is the context. Write\n"
        "    def forward(self, x):          # x: a NumPy array (a float for Values)\n"
        "        self.x = x                 # instead of ctx.save_for_backward(x)\n"
        "        return ...\n"
        "    def vjp(self, grad_out):       # instead of backward(ctx, grad_output)\n"
        "        x = self.x                 # instead of x, = ctx.saved_tensors\n"
        "        return grad_out * ...      # one gradient per input of forward\n"
        f"without @staticmethod, and call {name}.apply(x) as before (see docs/porting.md)."
    )
