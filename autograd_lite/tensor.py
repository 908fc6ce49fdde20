"""`Tensor`: an n-d array (NumPy underneath) that records the operations made with it.

Every differentiable method builds one op instance (see `ops/`), runs its `forward` on the
raw arrays and, when grad mode is on and an input requires grad, records the op and the
inputs on the new tensor. `backward()` hands the graph to the shared engine.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .data_view import DataView
from .debug.anomaly import AnomalyMode, check_forward
from .engine.backward import run_backward
from .engine.errors import ShapeError, complex_error, real_array
from .engine.grad_mode import _GradMode
from .engine.node import Node, next_id
from .engine.op import Op
from .ops.arithmetic import Add, Div, Mul, Neg, Pow, Sub
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
from .ops.reductions import LogSoftmax, LogSumExp, Max, Mean, Min, Softmax, Sum
from .ops.shape import BroadcastTo, Concatenate, GetItem, Reshape, ScatterAdd, Stack, Transpose

_new = object.__new__

#: `needs_grad` of a two-input op, by (x requires grad, y requires grad): shared tuples, so
#: recording an op builds none.
NO_GRAD = (False, False)
NEEDS_GRAD = ((NO_GRAD, (False, True)), ((True, False), (True, True)))
ONE_NEEDS_GRAD = (True,)
#: The usual dtype, tested first by identity (cheaper than reading `.kind`).
F64 = np.dtype(np.float64)


def new_tensor(data: np.ndarray, op: Op | None, parents: tuple[Tensor, ...]) -> Tensor:
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
    if op is not None and _GradMode.enabled:
        # One- and two-input ops (nearly all of them) without building lists on the way.
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


def complex_output_error(op: Op, parents: tuple[Tensor, ...]) -> TypeError:
    """The error for a recorded op whose output is complex (a complex operand met a tensor that
    requires grad): its gradient would lose the imaginary part."""
    kinds = ", ".join(str(p._data.dtype) for p in parents)
    return complex_error(
        f"{op.name}: the result is complex (inputs of dtype {kinds}) and an input requires "
        "grad, so its gradient cannot be computed"
    )


def as_output_array(data: Any, op: Op | None) -> np.ndarray:
    """NumPy returns scalars from 0-d arithmetic: make an array, and point the op's saved
    output at it, so `create_graph` still recognises the output by identity."""
    array = np.asarray(data)
    if op is not None:
        for name in op.saved:
            if getattr(op, name) is data:
                setattr(op, name, array)
    return array


def apply_unary(op: Op, x: Tensor) -> Tensor:
    """Run a one-input op on `x` and record it."""
    return new_tensor(op.forward(x._data), op, (x,))


def apply_binary(op: Op, x: Tensor, y: Tensor) -> Tensor:
    """Run a two-input op on `x` and `y` and record it."""
    return new_tensor(op.forward(x._data, y._data), op, (x, y))


def apply_op(op: Op, inputs: Sequence[Tensor]) -> Tensor:
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
    `numpy.asarray` takes (an ndarray is used without a copy). Python floats, ints, bools and
    lists become float64; an ndarray keeps its dtype (float32 stays float32).
    `requires_grad=True` needs a floating-point dtype (else `TypeError`).
    """

    __slots__ = ("_version",)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NumPy ufuncs on Tensors: the differentiable ones run the matching op (`np.sin(t)` is
        `t.sin()`, `ndarray + t` records an `add`), comparisons give boolean arrays, and any
        other use raises a TypeError that says what to call instead."""
        name = ufunc.__name__
        if method == "__call__" and not kwargs:
            if len(inputs) == 2 and name in BINARY_UFUNCS:
                x, y = (as_tensor(value, self) for value in inputs)
                return apply_binary(BINARY_UFUNCS[name](), x, y)
            if len(inputs) == 1 and name in UNARY_UFUNCS:
                return apply_unary(UNARY_UFUNCS[name](), self)
            if name in COMPARISONS:
                return ufunc(*[unwrap(value) for value in inputs])
        call = f"numpy.{name}" + ("" if method == "__call__" else f".{method}")
        if "out" in kwargs:
            call += " with out="
        raise ufunc_error(call, name)
    __hash__ = Node.__hash__

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, label: str = ""
    ) -> None:
        if isinstance(data, Tensor):
            data = data._data
        elif isinstance(data, Node):
            raise TypeError("Tensor: cannot build a Tensor from a Value; use Tensor(v.data)")
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

    # ----- data and its description -------------------------------------------------------
    @property
    def data(self) -> np.ndarray:
        """The values, as an ndarray view; writing into it marks recorded uses as stale."""
        view = self._data.view(DataView)
        view._owner = self
        return view

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, DataView) and value._owner is self and value.base is self._data:
            return  # `t.data += 1` wrote in place already (and bumped the version)
        array = np.asarray(value)
        if self.requires_grad:
            check_float(array.dtype, "Tensor.data")
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
        return apply_unary(Transpose(None), self)

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
        """A tensor with the same data (shared, no copy) that is cut off the graph."""
        return constant(self._data)

    def wrap_constant(self, value: Any) -> Tensor:
        """`value` as a constant tensor (the engine uses it for `create_graph`)."""
        return constant(np.asarray(value))

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if copy:
            return np.array(self._data, dtype=dtype, copy=True)
        return self._data if dtype is None else self._data.astype(dtype, copy=False)

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
        if not self.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad, so there is nothing to "
                "differentiate. Create an input with requires_grad=True (and do not build the "
                "graph under no_grad())."
            )
        if grad is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"backward: the output has shape {self.shape}, not a single number, so the "
                    "gradient to start from is ambiguous. Pass grad= an array of that shape "
                    f"(e.g. np.ones({self.shape})), or reduce the output first (e.g. .sum())."
                )
            seed: Any = np.ones(self._data.shape, dtype=self._data.dtype)  # ones_like is slower
        else:
            if isinstance(grad, Tensor):
                if grad._data.dtype.kind == "c":  # its imaginary part would be dropped
                    raise complex_error(f"backward: grad is complex ({grad._data.dtype})")
                seed = grad
            else:
                seed = real_array(grad, self.dtype, "backward: grad")
            if seed.shape != self.shape:
                raise ShapeError(
                    f"backward: grad has shape {tuple(seed.shape)} but the output has shape "
                    f"{self.shape}; pass a gradient of the output's shape"
                )
            if isinstance(seed, Tensor) and not create_graph:
                seed = seed._data
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

    def __matmul__(self, other: Any) -> Tensor:
        other = other if type(other) is Tensor else as_tensor(other, self)
        return apply_binary(MatMul(), self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return apply_binary(MatMul(), as_tensor(other, self), self)

    def __neg__(self) -> Tensor:
        return apply_unary(Neg(), self)

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
        if not op.inputs:
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
        return apply_unary(Reshape(shape), self)

    def flatten(self) -> Tensor:
        """The values as a 1-D tensor."""
        return self.reshape(-1)

    def transpose(self, *axes: Any) -> Tensor:
        """Axes permuted (reversed when none are given), as `ndarray.transpose`."""
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return apply_unary(Transpose(tuple(axes) if axes else None), self)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """Two axes exchanged."""
        axes = list(range(self.ndim))
        a, b = axes[axis1], axes[axis2]
        axes[axis1], axes[axis2] = b, a
        return apply_unary(Transpose(tuple(axes)), self)

    def broadcast_to(self, shape: tuple[int, ...]) -> Tensor:
        """The values repeated along broadcast axes to `shape`."""
        return apply_unary(BroadcastTo(shape), self)

    def __getitem__(self, index: Any) -> Tensor:
        return apply_unary(GetItem(normalize_index(index)), self)

    def _scatter_add(self, index: Any, shape: tuple[int, ...]) -> Tensor:
        return apply_unary(ScatterAdd(index, shape), self)


# NumPy ufuncs that Tensor.__array_ufunc__ runs as autograd_lite ops.
BINARY_UFUNCS: dict[str, type[Op]] = {
    "add": Add, "subtract": Sub, "multiply": Mul, "divide": Div, "true_divide": Div, "power": Pow,
    "matmul": MatMul, "maximum": Maximum, "minimum": Minimum,
}
UNARY_UFUNCS: dict[str, type[Op]] = {
    "negative": Neg, "exp": Exp, "log": Log, "sqrt": Sqrt, "absolute": Abs, "sin": Sin,
    "cos": Cos, "tanh": Tanh,
}
COMPARISONS = {"less", "less_equal", "greater", "greater_equal", "equal", "not_equal"}


def ufunc_error(call: str, name: str) -> TypeError:
    """The error for a NumPy call that cannot keep a Tensor's gradient, with what to use."""
    import autograd_lite

    instead = (f"autograd_lite.{name}(t)" if hasattr(autograd_lite, name)
               else "an autograd_lite function or Tensor method (docs: derivative rules)")
    return TypeError(
        f"{call} cannot run on a Tensor and keep its gradient. Use {instead}, or "
        "np.asarray(t) for a plain array without gradient."
    )


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
