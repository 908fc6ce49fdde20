"""`Tensor`: an n-d array (NumPy underneath) that records the operations made with it.

Every differentiable method builds one op instance (see `ops/`), runs its `forward` on the
raw arrays and, when grad mode is on and an input requires grad, records the op and the
inputs on the new tensor. `backward()` hands the graph to the shared engine.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Iterator, Sequence
from typing import Any, cast

import numpy as np

from .data_view import (
    DataView,
    bump_version,
    data_view,
    graph_sharer,
    leave_shared,
    read_only,
    share_versions,
    writable,
)
from .engine.anomaly import AnomalyMode, check_forward
from .engine.backward import run_backward
from .engine.errors import ShapeError, complex_error
from .engine.grad_mode import GRAD_MODE
from .engine.gradients import seed_gradient
from .engine.node import History, Node, next_id
from .engine.op import Op, TensorOp
from .ops.arithmetic import Add, Div, Mod, Mul, Neg, Pow, Sub
from .ops.elementwise import (
    Abs,
    Clip,
    Cos,
    Exp,
    Log,
    Maximum,
    Minimum,
    Relu,
    Sigmoid,
    Sin,
    Sqrt,
    Tanh,
    Where,
)
from .ops.linalg import MatMul
from .ops.reductions import (
    Cumsum,
    LogSoftmax,
    LogSumExp,
    Max,
    Mean,
    Min,
    Norm,
    Prod,
    Softmax,
    Std,
    Sum,
    Var,
    normalize_axes,
)
from .ops.shape import BroadcastTo, Concatenate, GetItem, Reshape, ScatterAdd, Stack, Transpose

_new = object.__new__

#: `needs_grad` of a two-input op, by (x requires grad, y requires grad): shared tuples, so
#: recording an op builds none.
NO_GRAD = (False, False)
NEEDS_GRAD = ((NO_GRAD, (False, True)), ((True, False), (True, True)))
ONE_NEEDS_GRAD = (True,)
#: The usual dtype, tested first by identity (cheaper than reading `.kind`).
F64 = np.dtype(np.float64)


class Converting(threading.local):
    """Set while `Tensor(...)` reads a list or tuple: a graph tensor inside it is refused."""

    active = False


CONVERTING = Converting()


def new_tensor(data: np.ndarray, op: TensorOp | None, parents: tuple[Tensor, ...]) -> Tensor:
    """A tensor made by `op` from `parents`; records the op when grad mode is on and some
    parent requires grad, else returns a constant (the op and parents are dropped)."""
    out = _new(Tensor)
    if type(data) is not np.ndarray:
        data = as_output_array(data, op)
    out._data = data
    out.grad = None
    out._hooks = None
    out.id = next_id()
    out.label = ""
    out._version = 0
    out.keeps_grad = False
    if AnomalyMode.enabled and op is not None:
        check_forward(out, op)
    if op is not None and GRAD_MODE.enabled:
        # One- and two-input ops (nearly all of them) without building lists on the way: the
        # generic last branch alone makes O1 (small ops) about 9% slower.
        needs: tuple[bool, ...]
        versions: tuple[int, ...] | None
        if len(parents) == 2:
            x, y = parents
            needs = NEEDS_GRAD[x.requires_grad][y.requires_grad]
            recorded = needs is not NO_GRAD
            versions = (0, x._version, y._version) if recorded and op.saved else None
        elif len(parents) == 1:
            needs = ONE_NEEDS_GRAD
            recorded = parents[0].requires_grad
            versions = (0, parents[0]._version) if recorded and op.saved else None
        elif len(parents) == 3:  # a layer's (x, weight, bias)
            x, y, z = parents
            needs = (x.requires_grad, y.requires_grad, z.requires_grad)
            recorded = True in needs
            versions = (0, x._version, y._version, z._version) if recorded and op.saved \
                else None
        else:
            needs = tuple([p.requires_grad for p in parents])
            recorded = True in needs
            versions = (0, *[p._version for p in parents]) if recorded and op.saved else None
        if recorded:
            if data.dtype is not F64 and data.dtype.kind == "c":
                raise complex_output_error(op, parents)
            op.needs_grad = needs
            op.versions = versions
            op.freed = False
            out.parents = parents
            out._op = op
            out.requires_grad = True
            return out
    out.parents = ()
    out._op = None
    out.requires_grad = False
    return out


def complex_output_error(op: TensorOp, parents: tuple[Tensor, ...]) -> TypeError:
    """The error for a recorded op whose output is complex (a complex operand met a tensor that
    requires grad): its gradient would lose the imaginary part."""
    kinds = ", ".join(str(p._data.dtype) for p in parents)
    return complex_error(
        f"{op.name}: the result is complex (inputs of dtype {kinds}) and an input requires "
        "grad, so its gradient cannot be computed"
    )


def as_output_array(data: Any, op: TensorOp | None) -> np.ndarray:
    """NumPy returns scalars from 0-d arithmetic: make an array, and point the op's saved
    output at it, so `create_graph` still recognises the output by identity."""
    array = np.asarray(data)
    if op is not None:
        for name in op.saved:
            if getattr(op, name) is data:
                setattr(op, name, array)
    return array


def apply_unary(op: TensorOp, x: Tensor) -> Tensor:
    """Run a one-input op on `x` and record it."""
    return new_tensor(op.forward(x._data), op, (x,))


def apply_view(op: TensorOp, x: Tensor) -> Tensor:
    """Run a one-input op whose output may be a view of `x`'s memory (reshape, transpose,
    indexing); a view shares `x`'s version bumps, so a write through either is seen."""
    out = new_tensor(op.forward(x._data), op, (x,))
    if out._data.base is not None:
        share_versions(out, x)
    return out


def apply_binary(op: TensorOp, x: Tensor, y: Tensor) -> Tensor:
    """Run a two-input op on `x` and `y` and record it."""
    return new_tensor(op.forward(x._data, y._data), op, (x, y))


def apply_op(op: TensorOp, inputs: Sequence[Tensor]) -> Tensor:
    """Run an op with any number of inputs and record it."""
    inputs = tuple(inputs)
    return new_tensor(op.forward(*[t._data for t in inputs]), op, inputs)


def constant(array: np.ndarray) -> Tensor:
    """A tensor that requires no grad around an existing array (no copy)."""
    return new_tensor(array, None, ())


def as_tensor(value: Any, like: Tensor | None = None) -> Tensor:
    """`value` as a Tensor. Python numbers take the dtype of `like` when it is a float tensor,
    so `x32 * 2.0` stays float32, as in NumPy."""
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, (int, float)) and like._data.dtype.kind == "f":
        try:
            return constant(np.asarray(value, dtype=like._data.dtype))
        except OverflowError:  # an int beyond float64
            raise int_overflow_error(value, like._data.dtype) from None
    return Tensor(value)


def numbers_as_floats(array: np.ndarray) -> np.ndarray:
    """An object array of numbers as float64 (complex128 if one is complex); other object
    arrays are returned as they are (the caller refuses them). Raises OverflowError for an
    integer beyond float64."""
    items = list(array.flat)
    if not all(isinstance(v, numbers.Number) for v in items):
        return array
    if all(isinstance(v, numbers.Real) for v in items):
        return array.astype(np.float64)
    return array.astype(np.complex128)


def int_overflow_error(data: Any, dtype: Any) -> OverflowError:
    """The error for an integer too large for the tensor's dtype, naming the integer."""
    target = np.dtype(np.float64 if dtype is None else dtype)
    items = np.asarray(data, dtype=object).flat if not isinstance(data, int) else [data]
    ints = [v for v in items if isinstance(v, int)]
    big = max(ints, key=abs) if ints else data
    digits = str(big)
    shown = digits if len(digits) <= 24 else \
        f"{digits[:12]}...{digits[-4:]} ({len(digits.lstrip('-'))} digits)"
    if target.kind in "fc":
        largest = f" (largest about {np.finfo(target).max:.3g})"
    elif target.kind in "iu":
        largest = f" (largest about {np.iinfo(target).max:.3g})"
    else:
        largest = ""
    return OverflowError(
        f"Tensor: the integer {shown} is too large for {target}{largest}; scale it down "
        "before making a tensor of it (e.g. divide it by a power of ten with //)"
    )


def check_float(dtype: np.dtype, where: str) -> None:
    """Gradients exist only for floating-point data."""
    if dtype.kind == "c":
        raise complex_error(f"{where}: requires_grad=True on complex data ({dtype})")
    if dtype.kind != "f":
        raise TypeError(
            f"{where}: requires_grad=True needs a floating-point dtype, got {dtype}. "
            "Pass float data or dtype=np.float64 (or np.float32)."
        )


class Tensor(Node):
    """An n-d array that records the operations made with it, for reverse-mode autodiff.

    `Tensor(data, requires_grad=False, dtype=None, label="")`: `data` is anything
    `numpy.asarray` takes. Python floats, ints, bools and lists become float64; an ndarray
    keeps its dtype (float32 stays float32) and is copied, so later writes into it do not
    reach the tensor (as `torch.tensor`); `Tensor(t)` and `Tensor(t.data)` share `t`'s memory
    and its version counter.
    `requires_grad=True` needs a floating-point dtype (else `TypeError`).
    """

    __slots__ = ("_version", "_shares", "_prior")

    _version: int  # writes into the memory so far (see `data_view`)
    _shares: list[Any] | None  # weak references to the tensors sharing this memory
    _prior: Tensor | None  # after an in-place operator: the node of the values before it

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NumPy ufuncs on Tensors: the differentiable ones run the matching ops (`np.sin(t)`
        is `t.sin()`, `ndarray + t` records an `add`), those whose result has no derivative
        give plain arrays (comparisons, `np.isnan`) or constant Tensors (`np.floor`,
        `np.sign`), `np.add.reduce` and friends run the matching reduction, and any other use
        raises a TypeError that says what to call instead."""
        name = ufunc.__name__
        if method == "__call__" and ufunc_options_are_default(kwargs):
            if len(inputs) == 2 and name in BINARY_UFUNCS:
                x, y = (as_tensor(value, self) for value in inputs)
                return BINARY_UFUNCS[name](x, y)
            if len(inputs) == 1 and name in UNARY_UFUNCS:
                return UNARY_UFUNCS[name](self)
            if name in VALUE_UFUNCS:
                return ufunc(*[unwrap(value) for value in inputs])
            if name in STEP_UFUNCS:
                return constant(np.asarray(ufunc(*[unwrap(value) for value in inputs])))
        if method in ("reduce", "accumulate", "outer") and len(inputs) == 1 + (method == "outer"):
            result = ufunc_method(ufunc, method, inputs, kwargs, self)
            if result is not None:
                return result
        call = f"numpy.{name}" + ("" if method == "__call__" else f".{method}")
        if kwargs.get("out") is not None:
            call += " with out="
        raise ufunc_error(call, name)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        """NumPy functions on Tensors (`np.dot`, `np.sum`, `np.concatenate`...): the
        differentiable ones run autograd_lite ops and return a Tensor; those whose result has
        no derivative (`np.shape`, `np.argmax`) run on the values; anything else raises a
        TypeError naming what to use. Never a plain array that silently cuts the graph."""
        handler = ARRAY_FUNCTIONS.get(func)
        if handler is not None:
            return handler(*args, **kwargs)
        if func in VALUE_FUNCTIONS:
            return func(*unwrap_all(args), **{k: unwrap_all(v) for k, v in kwargs.items()})
        raise array_function_error(func)
    __hash__ = Node.__hash__

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, label: str = ""
    ) -> None:
        source = None
        if isinstance(data, Tensor):
            source = data
            data = data._data
        elif isinstance(data, DataView) and data._owner is not None:
            source = data._owner  # Tensor(t.data) shares t's memory, like Tensor(t)
            try:
                data = writable(data)  # as t's own array is (the version counter is shared)
            except ValueError:  # a broadcast view, or memory that was read-only to begin with
                data = data.view(np.ndarray)
        elif isinstance(data, Node):
            raise TypeError("Tensor: cannot build a Tensor from a Value; use Tensor(v.data)")
        nested = type(data) is list or type(data) is tuple
        if nested:  # Tensors inside are read through __array__, which refuses graph tensors
            CONVERTING.active = True
        try:
            if dtype is not None:
                array = np.asarray(data, dtype=dtype)
            elif isinstance(data, (np.ndarray, np.generic)):
                array = np.asarray(data)
            else:
                array = np.asarray(data)
                if array.dtype.kind in "biu":
                    array = array.astype(np.float64)
            if array.dtype.kind == "O" and dtype is None:
                # Python ints beyond int64 (2**70) make an object array: floats, as promised
                array = numbers_as_floats(array)
        except ValueError as exc:  # ragged nested lists, or strings for a numeric dtype
            raise ValueError(
                f"Tensor: data cannot be read as a numeric array ({exc}). Pass numbers in a "
                "rectangular nesting: every row of a nested list the same length"
            ) from None
        except OverflowError:  # an int beyond float64 (about 1.8e308), or beyond `dtype`
            raise int_overflow_error(data, dtype) from None
        finally:
            if nested:
                CONVERTING.active = False
        if array.dtype.kind not in "biufc":
            held = ""
            odd = [v for v in array.flat if not isinstance(v, numbers.Number)][:1] \
                if array.dtype.kind == "O" else []
            if odd:
                held = f" holding {type(odd[0]).__name__} {odd[0]!r:.40}"
            raise TypeError(
                f"Tensor: data must be numeric, got an array of dtype {array.dtype}{held}; pass "
                "numbers (a float, a nested list of numbers or a numeric ndarray)"
            )
        if requires_grad:
            check_float(array.dtype, "Tensor")
        if source is None and isinstance(data, np.ndarray) and \
                np.may_share_memory(array, data):
            # The caller keeps `data` and may write into it later, where no version counter
            # sees it: the tensor takes a copy of its own (as torch.tensor does).
            array = array.copy()
        elif source is not None and not np.may_share_memory(array, source._data):
            source = None  # a dtype conversion made a copy: nothing shared
        self._data = array
        self.grad = None
        self.parents = ()
        self._op = None
        self.requires_grad = bool(requires_grad)
        self.keeps_grad = bool(requires_grad)
        self._hooks = None
        self.id = next_id()
        self.label = str(label)
        self._version = 0
        self._shares = None  # set here, so the optimizer's write reads it without a fallback
        if source is not None:  # Tensor(t) shares t's memory, so it shares its version bumps
            share_versions(self, source)

    # ----- data and its description -------------------------------------------------------
    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        """Pickling and `copy.deepcopy`: every slot but the memory-sharing links (a copy has
        memory of its own) and the in-place history link."""
        fields = {}
        for cls in type(self).__mro__:
            for name in getattr(cls, "__slots__", ()):
                if name not in ("_shares", "_prior", "__weakref__") and hasattr(self, name):
                    fields[name] = getattr(self, name)
        return None, fields

    @property
    def data(self) -> np.ndarray:
        """The values, as a read-only ndarray view whose own writing methods (`t.data[i] = v`,
        `t.data += 1`, `np.copyto(t.data, a)`, `out=t.data`) write into the tensor and mark
        recorded uses as stale; other NumPy writes are refused (see `data_view`)."""
        return data_view(self._data, self)

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, DataView) and value._owner is self and value.base is self._data:
            return  # `t.data += 1` wrote in place already (and bumped the version)
        array = np.asarray(value)
        if self.requires_grad:
            check_float(array.dtype, "Tensor.data")
        if isinstance(value, np.ndarray) or not array.flags.writeable:
            # a tensor's own memory: not another tensor's, not read-only, and not the caller's
            # array (a later write into it would reach the graph unseen), as Tensor(array)
            array = np.array(array)
        leave_shared(self)
        self._data = array

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, as in NumPy."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return self._data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype."""
        return self._data.dtype

    @property
    def T(self) -> Tensor:
        """The transpose (axes reversed), as `ndarray.T`."""
        return apply_view(Transpose(None), self)

    @property
    def mT(self) -> Tensor:
        """The last two axes swapped (a stack of matrices transposed)."""
        return self.swapaxes(-1, -2)

    def item(self) -> float:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise ValueError(
                f"item: the tensor has shape {self.shape} ({self.size} elements); .item() needs "
                "exactly one. Reduce it first (e.g. .sum() or .mean()) or index one element"
            )
        return self._data.item()

    def numpy(self) -> np.ndarray:
        """The values as an ndarray (the same view as `.data`)."""
        return self.data

    def tolist(self) -> Any:
        """The values as nested Python lists."""
        return self._data.tolist()

    def detach(self) -> Tensor:
        """A tensor with the same data (shared, no copy) that is cut off the graph. A write
        into either is seen by ops that saved the other."""
        out = constant(self._data)
        share_versions(out, self)
        return out

    def wrap_constant(self, value: Any) -> Tensor:
        """`value` as a constant tensor (the engine uses it for `create_graph`)."""
        return constant(np.asarray(value))

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """`np.asarray(t)`: the values without the graph, as a read-only view (a write would
        change values a recorded op may need); `np.array(t)` is a writable copy."""
        if CONVERTING.active and self.requires_grad and GRAD_MODE.enabled:
            raise TypeError(
                f"Tensor: the data holds a tensor of shape {self.shape} that requires grad; a new "
                "Tensor made from a list copies its values and cuts the graph. Join tensors with "
                "autograd_lite.stack([...]) or concatenate([...]) to keep their gradients (or "
                "pass t.detach() for the values only)"
            )
        if copy:
            return np.array(self._data, dtype=dtype, copy=True)
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return read_only(self._data)

    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        return bool(self._data)

    def __float__(self) -> float:
        if self._data.size != 1:
            raise TypeError(
                f"float(): the tensor has shape {self.shape} ({self.size} elements); only a "
                "one-element tensor is a number. Reduce it first (e.g. .sum()) or index one element"
            )
        return float(self._data.reshape(()))

    def __repr__(self) -> str:
        array = np.array2string(
            self._data, precision=4, threshold=8, edgeitems=2, separator=", ",
            prefix="Tensor(",
        )
        parts = [array]
        if self.label:
            parts.append(f"label={self.label!r}")
        parts.append(f"shape={self.shape}")
        if self._data.dtype != np.float64:
            parts.append(f"dtype={self._data.dtype}")
        if self._op is not None:
            parts.append(f"op={self._op.name}")
        elif self.requires_grad:
            parts.append("requires_grad=True")
        if self.grad is not None:
            grad = self.grad._data if isinstance(self.grad, Tensor) else self.grad
            parts.append("grad=" + np.array2string(
                np.asarray(grad), precision=4, threshold=8, edgeitems=2, separator=", "))
        return "Tensor(" + ", ".join(parts) + ")"

    # ----- backward ----------------------------------------------------------------------
    def backward(
        self, grad: Any = None, retain_graph: bool = False, create_graph: bool = False
    ) -> None:
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad.

        `grad` (same shape as self) seeds the pass; it may be left out for a one-element
        tensor. Saved buffers are freed afterwards unless `retain_graph=True`.
        `create_graph=True` records the backward pass itself, so the gradients are Tensors
        that can be differentiated again (it implies `retain_graph=True`).
        """
        seed = seed_gradient(self, grad, "backward", keep_node=create_graph)
        if create_graph and not isinstance(seed, Tensor):
            seed = constant(seed)
        run_backward(self, seed, retain_graph or create_graph, create_graph)

    # ----- arithmetic --------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Add(), self, other)

    def __radd__(self, other: Any) -> Tensor:
        return apply_binary(Add(), as_tensor(other, self), self)

    def __sub__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Sub(), self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return apply_binary(Sub(), as_tensor(other, self), self)

    def __mul__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Mul(), self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return apply_binary(Mul(), as_tensor(other, self), self)

    def __truediv__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Div(), self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return apply_binary(Div(), as_tensor(other, self), self)

    def __pow__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Pow(), self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return apply_binary(Pow(), as_tensor(other, self), self)

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent, elementwise (PyTorch's method name)."""
        return self ** exponent

    def __mod__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Mod(), self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return apply_binary(Mod(), as_tensor(other, self), self)

    def __matmul__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(MatMul(), self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return apply_binary(MatMul(), as_tensor(other, self), self)

    def __neg__(self) -> Tensor:
        return apply_unary(Neg(), self)

    # ----- in-place operators ------------------------------------------------------------
    # They change this tensor itself, as in PyTorch; see `update_in_place`.
    def __iadd__(self, other: Any) -> Tensor:
        return update_in_place(self, Add, other, "+=")

    def __isub__(self, other: Any) -> Tensor:
        return update_in_place(self, Sub, other, "-=")

    def __imul__(self, other: Any) -> Tensor:
        return update_in_place(self, Mul, other, "*=")

    def __itruediv__(self, other: Any) -> Tensor:
        return update_in_place(self, Div, other, "/=")

    def __ipow__(self, other: Any) -> Tensor:
        return update_in_place(self, Pow, other, "**=")

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return apply_unary(Abs(), self)

    # Comparisons are not differentiable: they return plain boolean ndarrays.
    def __lt__(self, other: Any) -> np.ndarray:
        return self._data < unwrap(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self._data <= unwrap(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self._data > unwrap(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self._data >= unwrap(other)

    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._data == unwrap(other)

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._data != unwrap(other)

    # ----- elementwise functions ---------------------------------------------------------
    def exp(self) -> Tensor:
        """e ** self, elementwise."""
        return apply_unary(Exp(), self)

    def log(self) -> Tensor:
        """Natural logarithm, elementwise."""
        return apply_unary(Log(), self)

    def sqrt(self) -> Tensor:
        """Square root, elementwise."""
        return apply_unary(Sqrt(), self)

    def abs(self) -> Tensor:
        """Absolute value, elementwise (gradient 0 at 0)."""
        return apply_unary(Abs(), self)

    def sin(self) -> Tensor:
        """Sine, elementwise."""
        return apply_unary(Sin(), self)

    def cos(self) -> Tensor:
        """Cosine, elementwise."""
        return apply_unary(Cos(), self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent, elementwise."""
        return apply_unary(Tanh(), self)

    def sigmoid(self) -> Tensor:
        """Logistic sigmoid 1 / (1 + e ** -x), elementwise, without overflow."""
        return apply_unary(Sigmoid(), self)

    def relu(self) -> Tensor:
        """max(x, 0), elementwise (gradient 0 at 0)."""
        return apply_unary(Relu(), self)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Tensor:
        """Values limited to [a_min, a_max] (either may be None). A bound may be a number, an
        array or a Tensor; a Tensor bound is differentiated as PyTorch's `clamp` (see `Clip`)."""
        op = Clip(a_min, a_max)
        if not op.tensor_bounds:
            return apply_unary(op, self)
        bounds = [bound for bound in (a_min, a_max) if isinstance(bound, Tensor)]
        return apply_op(op, (self, *bounds))

    def maximum(self, other: Any) -> Tensor:
        """Elementwise maximum with `other` (ties share the gradient)."""
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Maximum(), self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise minimum with `other` (ties share the gradient)."""
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(Minimum(), self, other)

    # ----- reductions --------------------------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (None: all axes; an int or a tuple)."""
        return apply_unary(Sum(axis, keepdims), self)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis` (None: all axes; an int or a tuple)."""
        return apply_unary(Mean(axis, keepdims), self)

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Maximum over `axis`; tied maxima share the gradient equally."""
        return apply_unary(Max(axis, keepdims), self)

    def min(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Minimum over `axis`; tied minima share the gradient equally."""
        return apply_unary(Min(axis, keepdims), self)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """Product over `axis` (None: all axes; an int or a tuple)."""
        return apply_unary(Prod(axis, keepdims), self)

    def var(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
        """Variance over `axis`: sum((x - mean)^2) / (n - ddof), as `numpy.var`."""
        return apply_unary(Var(axis, keepdims, ddof), self)

    def std(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
        """Standard deviation over `axis`: the square root of `var` (NumPy's `ddof`)."""
        return apply_unary(Std(axis, keepdims, ddof), self)

    def norm(self, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
        """The vector or matrix norm over `axis`, as `numpy.linalg.norm` (see `norm`)."""
        return norm(self, ord, axis, keepdims)

    def cumsum(self, axis: Any = None) -> Tensor:
        """Running sums along `axis` (None: over the flattened values, as `numpy.cumsum`)."""
        return apply_unary(Cumsum(axis), self)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """log(sum(exp(x))) over `axis`, computed without overflow."""
        return apply_unary(LogSumExp(axis, keepdims), self)

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x) / sum(exp(x)) along `axis`."""
        return apply_unary(Softmax(axis), self)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - logsumexp(x) along `axis` (stable log of the softmax)."""
        return apply_unary(LogSoftmax(axis), self)

    # ----- shape -------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """The same values in a new shape (`t.reshape(2, 3)` or `t.reshape((2, 3))`)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return apply_view(Reshape(shape), self)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """The values as a 1-D tensor (`ndarray.flatten`); with PyTorch's `start_dim` and
        `end_dim`, only the axes from `start_dim` to `end_dim` are merged into one."""
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        first, last = (normalize_axes("flatten", a, len(shape))[0] for a in (start_dim, end_dim))
        if first > last:
            raise ValueError(
                f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for a tensor of "
                f"shape {shape}"
            )
        return self.reshape(shape[:first] + (-1,) + shape[last + 1:])

    def squeeze(self, axis: Any = None) -> Tensor:
        """The axes of length 1 removed (only those in `axis` when given; each must have
        length 1, as in `numpy.squeeze`)."""
        shape = self._data.shape
        if axis is None:
            axes = tuple(i for i, n in enumerate(shape) if n == 1)
        else:
            axes = normalize_axes("squeeze", axis, len(shape))
            for a in axes:
                if shape[a] != 1:
                    raise ValueError(
                        f"squeeze: axis {a} of shape {shape} has length {shape[a]}, not 1; only "
                        "axes of length 1 can be removed"
                    )
        return self.reshape(tuple(n for i, n in enumerate(shape) if i not in axes))

    def expand_dims(self, axis: Any) -> Tensor:
        """New axes of length 1 inserted at the positions `axis` (an int or a tuple), as
        `numpy.expand_dims`."""
        items = axis if isinstance(axis, (tuple, list)) else (axis,)
        ndim = self._data.ndim + len(items)
        axes = normalize_axes("expand_dims", tuple(items), ndim)
        rest = iter(self._data.shape)
        return self.reshape(tuple(1 if i in axes else next(rest) for i in range(ndim)))

    def unsqueeze(self, dim: int) -> Tensor:
        """A new axis of length 1 at position `dim` (PyTorch's name for `expand_dims`)."""
        return self.expand_dims(dim)

    def transpose(self, *axes: Any) -> Tensor:
        """Axes permuted (reversed when none are given), as `ndarray.transpose`."""
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = tuple(axes[0] or ())
        return apply_view(Transpose(tuple(axes) if axes else None), self)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """Two axes exchanged."""
        axes = list(range(self.ndim))
        a, b = axes[axis1], axes[axis2]
        axes[axis1], axes[axis2] = b, a
        return apply_view(Transpose(tuple(axes)), self)

    def broadcast_to(self, shape: tuple[int, ...]) -> Tensor:
        """The values repeated along broadcast axes to `shape`."""
        return apply_view(BroadcastTo(shape), self)

    def __getitem__(self, index: Any) -> Tensor:
        return apply_view(GetItem(normalize_index(index)), self)

    def _scatter_add(self, index: Any, shape: tuple[int, ...]) -> Tensor:
        return apply_unary(ScatterAdd(index, shape), self)


# ----- in-place operators ------------------------------------------------------------------
#: The NumPy ufunc that updates an array in place for each in-place operator's op.
IN_PLACE_UFUNCS: dict[type[TensorOp], np.ufunc] = {
    Add: np.add, Sub: np.subtract, Mul: np.multiply, Div: np.true_divide, Pow: np.power,
}


def update_in_place(t: Tensor, op_class: type[TensorOp], other: Any, symbol: str) -> Tensor:
    """`t += other` (and `-=`, `*=`, `/=`, `**=`): `t` itself changes, with PyTorch's rules.

    - Recording off, or nothing requires grad: the values are updated in `t`'s memory (every
      view of it sees them) and `t`'s version goes up, so a recorded op that saved the old
      values refuses to run backward. This is the hand-written update step
      `with no_grad(): p -= lr * p.grad`.
    - A leaf that requires grad, while recording: refused (its gradient would describe values
      it no longer has).
    - Otherwise (a tensor computed in the graph, or a constant updated with a tensor that
      requires grad): the update is recorded. `t` becomes the op's output, and a new node takes
      over `t`'s old values and history (`record_in_place`).
    The result keeps `t`'s shape and dtype (NumPy's same-kind casting, as `ndarray += ...`).
    """
    other = other if type(other) is Tensor else as_tensor(other, t)
    shape = np.broadcast_shapes(t._data.shape, other._data.shape)
    if shape != t._data.shape:
        raise ShapeError(
            f"{symbol}: the result would have shape {shape}, but an in-place operator keeps the "
            f"tensor's shape {t._data.shape}; write t = t {symbol[:-1]} other for a new tensor"
        )
    if GRAD_MODE.enabled and (t.requires_grad or other.requires_grad):
        if t.requires_grad and t._op is None:
            name = f"'{t.label}'" if t.label else f"of shape {t._data.shape}"
            raise RuntimeError(
                f"{symbol}: tensor {name} is a leaf that requires grad; changing it in place "
                "while recording would leave its gradient describing values it no longer has. "
                "For a hand-written update step, do it inside `with no_grad():`; for a new "
                f"tensor, write t = t {symbol[:-1]} other."
            )
        shared = graph_sharer(t)
        if shared is not None:
            raise shared_memory_error(t, shared, symbol)
        return record_in_place(t, op_class(), other, symbol)
    # Computed aside and cast first, so an operator that fails (a cast NumPy refuses, a
    # FloatingPointError under np.errstate) leaves the tensor as it was.
    result = in_place_cast(t, IN_PLACE_UFUNCS[op_class](t._data, other._data), symbol)
    target = t._data
    if not target.flags.writeable:
        target = writable(target)
    target[...] = result
    bump_version(t)
    return t


def in_place_cast(t: Tensor, result: Any, symbol: str) -> np.ndarray:
    """`result` in `t`'s dtype, by NumPy's same-kind rule (as `ndarray += ...`); refused with a
    TypeError before anything is written (an integer tensor cannot hold a float result)."""
    result = np.asarray(result)
    try:
        return result.astype(t._data.dtype, casting="same_kind", copy=False)
    except TypeError:
        raise TypeError(
            f"{symbol}: the result has dtype {result.dtype}, which the tensor's dtype "
            f"{t._data.dtype} cannot hold (NumPy's same-kind rule, as for an ndarray); convert "
            "the tensor first, e.g. t = Tensor(t.data.astype(np.float64)), or write a new "
            f"tensor: t = t {symbol[:-1]} other"
        ) from None


def record_in_place(t: Tensor, op: TensorOp, other: Tensor, symbol: str = "in place") -> Tensor:
    """Record `t = op(t, other)` with `t` keeping its identity and its memory.

    A new node (`before`) takes over `t`'s old values (a copy), op and parents; `t` becomes the
    output of `op(before, other)`, with the result written into its memory. Ops recorded
    earlier with `t` as an input still hold `t`; `topological_order` sends their gradients to
    `before` (`t._prior`), and those that saved `t`'s overwritten memory refuse to run
    backward (its version went up).
    """
    before = _new(Tensor)
    before._data = t._data.copy()
    before.grad = t.grad
    before.parents = t.parents
    before._op = t._op
    before.requires_grad = t.requires_grad
    before.keeps_grad = False  # retain_grad stays with t: its .grad is for the new values
    before._hooks = t._hooks
    before.id = t.id
    before.label = t.label
    before._prior = getattr(t, "_prior", None)
    if other is t:  # `t += t`: the operand is t's old values, with their history
        other = before
    computed = op.forward(before._data, other._data)
    # cast before writing: a refused cast (int += float) leaves t as it was
    result = in_place_cast(t, computed, symbol)
    target = t._data if t._data.flags.writeable else writable(t._data)
    target[...] = result
    bump_version(t)  # views of t, and ops that saved t's memory, see the change
    before._version = t._version
    previous_op = cast(TensorOp | None, before._op)
    if previous_op is not None and previous_op.versions is not None and \
            not saved_shares_memory(previous_op, t._data):
        # The op that made t did not keep t's own memory: its gradient is still right.
        previous_op.versions = (before._version, *previous_op.versions[1:])
    for name in op.saved:  # the op's saved output is t's memory (create_graph finds it there)
        if getattr(op, name) is computed:
            setattr(op, name, t._data)
    op.needs_grad = (before.requires_grad, other.requires_grad)
    op.versions = (t._version, before._version, other._version) if op.saved else None
    op.freed = False
    t.parents = (before, other)
    t._op = op
    t.requires_grad = True
    t.grad = None
    t._hooks = None
    t.id = next_id()
    t._prior = before
    History.rewrites += 1
    return t


def shared_memory_error(t: Tensor, shared: Tensor, symbol: str) -> RuntimeError:
    """The error for an in-place operator, while recording, on a tensor whose memory another
    tensor on the graph also shows (a view of it, or what it is a view of)."""
    name = f"'{t.label}'" if t.label else f"of shape {t._data.shape}"
    other = f"'{shared.label}'" if shared.label else f"of shape {shared._data.shape}"
    return RuntimeError(
        f"{symbol}: tensor {name} shares its memory with tensor {other}, which is on the graph "
        "(one is a view of the other: t[...], t.T, t.reshape(...)); changing it in place while "
        "recording would change that tensor's values but not its history, so gradients through "
        f"it would be wrong. Write t = t {symbol[:-1]} other for a new tensor, or make the "
        "change inside `with no_grad():`."
    )


def saved_shares_memory(op: Op, array: np.ndarray) -> bool:
    """Whether any array `op` saved for backward overlaps `array`'s memory."""
    for name in op.saved:
        value = getattr(op, name, None)
        items = value if type(value) is tuple else (value,)
        for item in items:
            if isinstance(item, np.ndarray) and np.may_share_memory(item, array):
                return True
    return False


# ----- NumPy's protocols ---------------------------------------------------------------------
def binary(op_class: type[TensorOp]) -> Any:
    """A two-input ufunc handler that records `op_class`."""
    return lambda x, y: apply_binary(op_class(), x, y)


def unary(op_class: type[TensorOp]) -> Any:
    """A one-input ufunc handler that records `op_class`."""
    return lambda x: apply_unary(op_class(), x)


LOG2 = float(np.log(2.0))
LOG10 = float(np.log(10.0))

#: NumPy ufuncs that Tensor.__array_ufunc__ runs as autograd_lite ops, by ufunc name.
BINARY_UFUNCS: dict[str, Any] = {
    "add": binary(Add), "subtract": binary(Sub), "multiply": binary(Mul),
    "divide": binary(Div), "true_divide": binary(Div), "power": binary(Pow),
    "matmul": binary(MatMul), "maximum": binary(Maximum),
    "minimum": binary(Minimum), "fmax": binary(Maximum), "fmin": binary(Minimum),
    "remainder": binary(Mod),
}
UNARY_UFUNCS: dict[str, Any] = {
    "negative": unary(Neg), "exp": unary(Exp), "log": unary(Log),
    "sqrt": unary(Sqrt), "absolute": unary(Abs), "fabs": unary(Abs), "sin": unary(Sin),
    "cos": unary(Cos), "tanh": unary(Tanh), "square": lambda x: x * x,
    "reciprocal": lambda x: 1.0 / x, "log1p": lambda x: (x + 1.0).log(),
    "expm1": lambda x: x.exp() - 1.0, "exp2": lambda x: 2.0 ** x,
    "log2": lambda x: x.log() / LOG2, "log10": lambda x: x.log() / LOG10,
    "tan": lambda x: x.sin() / x.cos(), "sinh": lambda x: (x.exp() - (-x).exp()) * 0.5,
    "cosh": lambda x: (x.exp() + (-x).exp()) * 0.5,
}  # and float_power, positive, conjugate: see numpy_functions
#: Ufuncs whose result has no derivative: computed on the values, returned as NumPy returns.
VALUE_UFUNCS = {
    "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "isnan", "isinf",
    "isfinite", "signbit", "logical_not", "logical_and", "logical_or", "logical_xor",
}
#: Ufuncs that are constant between jumps (derivative 0 wherever it exists): a constant Tensor.
STEP_UFUNCS = {"sign", "floor", "ceil", "rint", "trunc", "floor_divide"}
#: ufunc.reduce and ufunc.accumulate that are reductions autograd_lite has.
UFUNC_REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min"}

#: NumPy functions a Tensor answers in `__array_function__` (filled by `numpy_functions`),
#: those computed on the values because their result has no derivative, and hints for the
#: rest.
ARRAY_FUNCTIONS: dict[Any, Any] = {}
VALUE_FUNCTIONS: set[Any] = set()
FUNCTION_HINTS: dict[Any, str] = {}


def ufunc_options_are_default(kwargs: dict[str, Any]) -> bool:
    """True when a ufunc call's keyword options change nothing (`out=None`, `where=True`)."""
    for key, value in kwargs.items():
        if key == "out":
            if value is not None and not (type(value) is tuple and all(v is None for v in value)):
                return False
        elif key == "where":
            if value is not True:
                return False
        elif key not in ("casting", "order", "subok") and value is not None:
            return False
    return True


def ufunc_method(ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any],
                 like: Tensor) -> Tensor | None:
    """`np.add.reduce(t)`, `np.add.accumulate(t)`, `np.multiply.outer(a, b)` as autograd_lite
    ops (None when there is no match: the caller raises)."""
    name = ufunc.__name__
    options = {k: v for k, v in kwargs.items() if k not in ("axis", "keepdims")}
    if not ufunc_options_are_default(options):
        return None
    if method == "outer" and name in BINARY_UFUNCS:
        x, y = (as_tensor(value, like) for value in inputs)
        return BINARY_UFUNCS[name](x.reshape(x.shape + (1,) * y.ndim), y)
    x = as_tensor(inputs[0], like)
    axis = kwargs.get("axis", 0)
    if method == "reduce" and name in UFUNC_REDUCTIONS:
        return getattr(x, UFUNC_REDUCTIONS[name])(axis, bool(kwargs.get("keepdims", False)))
    if method == "accumulate" and name == "add" and "keepdims" not in kwargs:
        return x.cumsum(axis)
    return None


def ufunc_error(call: str, name: str) -> TypeError:
    """The error for a NumPy ufunc call that cannot keep a Tensor's gradient."""
    known = name in BINARY_UFUNCS or name in UNARY_UFUNCS
    return TypeError(
        f"{call} cannot run on a Tensor and keep its gradient: autograd_lite has no derivative "
        f"rule for it{' with these arguments' if known else ''}. Build it from autograd_lite "
        "operations (docs: derivative rules), or call it on np.asarray(t) for plain values "
        "without gradient."
    )


def array_function_error(func: Any) -> TypeError:
    """The error for a NumPy function that has no derivative rule here, with what to use."""
    module = getattr(func, "__module__", "numpy") or "numpy"
    name = f"{'numpy.linalg' if 'linalg' in module else 'numpy'}.{func.__name__}"
    hint = FUNCTION_HINTS.get(func) or \
        "build it from autograd_lite operations (docs: derivative rules)"
    return TypeError(
        f"{name} has no derivative rule in autograd_lite, so it cannot run on a Tensor and keep "
        f"the gradient. Instead, {hint}; or call it on np.asarray(t) for plain values without "
        "gradient."
    )


def unwrap_all(value: Any) -> Any:
    """Tensors inside (nested) lists and tuples as their read-only values."""
    if isinstance(value, Tensor):
        return read_only(value._data)
    if isinstance(value, (list, tuple)):
        return type(value)(unwrap_all(item) for item in value)
    return value


def unwrap(value: Any) -> Any:
    """The array inside a Tensor, or the value itself."""
    return value._data if isinstance(value, Tensor) else value


def normalize_index(index: Any) -> Any:
    """An index with Tensors and lists turned into arrays, as NumPy would read them."""
    if isinstance(index, tuple):
        return tuple(normalize_index_item(item) for item in index)
    return normalize_index_item(index)


def normalize_index_item(item: Any) -> Any:
    if isinstance(item, Tensor):
        return item._data
    if isinstance(item, list):
        array = np.asarray(item)
        # NumPy reads an empty list as an empty integer index (asarray would make it float).
        return array.astype(np.intp) if array.size == 0 else array
    return item


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """`x` where `condition` holds, else `y` (the condition is not differentiated)."""
    x_t = x if isinstance(x, Tensor) else None
    y_t = y if isinstance(y, Tensor) else None
    like = x_t if x_t is not None else y_t
    return apply_binary(Where(unwrap(condition)), as_tensor(x, like), as_tensor(y, like))


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors joined along an existing `axis`."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: need at least one tensor")
    return apply_op(Concatenate(axis), tensors)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors of one shape joined along a new `axis`."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    return apply_op(Stack(axis), tensors)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The norm of `x`, as `numpy.linalg.norm`: a vector norm over one axis (`ord` None or 2:
    Euclidean; 1; inf; -inf; 0: the count of nonzeros; any other p), a matrix norm over two
    (`ord` None or "fro": Frobenius; 1, -1, inf, -inf: the largest or smallest absolute column
    or row sum). With `axis` None, `x` is flattened for `ord` None, else must be 1-D or 2-D.
    The 2-norm's gradient at 0 is 0, as in PyTorch. Singular-value norms (matrix `ord` 2, -2,
    "nuc") have no derivative rule here: `TypeError`."""
    x = as_tensor(x)
    if x._data.dtype.kind == "c":  # |z|, not z * z; complex tensors never require grad
        return constant(np.asarray(np.linalg.norm(x._data, ord, axis, keepdims)))
    if axis is None:
        if ord is None:
            return apply_unary(Norm(None, keepdims), x)
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: ord={ord!r} with axis=None needs a 1-D or 2-D tensor, got "
                             f"shape {x.shape}; pass axis")
        axis = tuple(range(x.ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if len(axes) == 1:
        return vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: axis must name one axis (a vector norm) or two (a matrix norm), got "
                     f"{axis!r}")


def vector_norm(x: Tensor, ord: Any, axis: int, keepdims: bool) -> Tensor:
    """The vector norm of `x` along `axis` (see `norm`)."""
    if ord is None or ord == 2:
        return apply_unary(Norm(axis, keepdims), x)
    if ord == np.inf:
        return x.abs().max(axis, keepdims)
    if ord == -np.inf:
        return x.abs().min(axis, keepdims)
    if ord == 0:  # a count: its derivative is 0 wherever it exists
        return constant(np.asarray((x._data != 0).sum(axis=axis, keepdims=keepdims),
                                   dtype=x.dtype))
    if ord == 1:
        return x.abs().sum(axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; a vector norm takes a number")
    return (x.abs() ** ord).sum(axis, keepdims) ** (1.0 / ord)


def matrix_norm(x: Tensor, ord: Any, axes: tuple[int, ...], keepdims: bool) -> Tensor:
    """The matrix norm of `x` over the two `axes` (see `norm`)."""
    rows, cols = (int(a) % x.ndim for a in axes)
    if ord is None or ord == "fro":
        return apply_unary(Norm(axes, keepdims), x)
    if ord in (1, -1, np.inf, -np.inf):
        summed, extreme = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = x.abs().sum(summed, keepdims=True)
        out = sums.max(extreme, keepdims=True) if ord > 0 else sums.min(extreme, keepdims=True)
        return out if keepdims else out.squeeze((rows, cols))
    raise TypeError(
        f"norm: the matrix norm ord={ord!r} is computed from singular values, which have no "
        "derivative rule in autograd_lite; use ord='fro' (Frobenius), 1 or inf, or compute it "
        "from np.asarray(x) for a value without gradient"
    )
