"""NumPy's functions called on Tensors (`np.dot(A, x)`, `np.sum(t)`, `np.linalg.norm(t)`...).

NumPy hands every call that has a Tensor among its arguments to `Tensor.__array_function__`
(and every ufunc to `Tensor.__array_ufunc__`). Each function answers in one of three ways,
never by returning a plain array that silently cuts the graph:

- a differentiable function runs the matching autograd_lite operations and returns a Tensor
  (the handlers below, each written with NumPy's own argument names);
- a function whose result has no derivative (`np.shape`, `np.argmax`, `np.allclose`,
  `np.zeros_like`...) runs on the values and returns what NumPy returns;
- anything else raises `TypeError` naming what to use instead.

Arguments NumPy offers that cannot keep a gradient (`out=`, a `dtype=` other than the
input's, `where=`, `initial=`) are refused with `TypeError` rather than ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .ops.arithmetic import Pow
from .tensor import (
    ARRAY_FUNCTIONS,
    BINARY_UFUNCS,
    FUNCTION_HINTS,
    UNARY_UFUNCS,
    VALUE_FUNCTIONS,
    Tensor,
    apply_binary,
    as_tensor,
    concatenate,
    constant,
    norm,
    stack,
    unwrap_all,
    where,
)

#: NumPy's marker for "argument not given" (its own sentinel, so defaults read alike).
NO_VALUE: Any = np._NoValue  # type: ignore[attr-defined]


def implements(*functions: Callable[..., Any]) -> Callable[[Callable[..., Any]], Any]:
    """Register the decorated function as what NumPy runs for `functions` on Tensors."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        for function in functions:
            ARRAY_FUNCTIONS[function] = handler
        return handler

    return register


def refuse_extras(name: str, like: Any = None, *, out: Any = None, dtype: Any = None,
                  **options: Any) -> None:
    """Raise `TypeError` for NumPy arguments a Tensor result cannot honour (`out=`, a
    different `dtype=`, `where=`, `initial=`...); options left at NumPy's defaults pass."""
    if out is not None:
        raise TypeError(
            f"numpy.{name}: out= would write the result into an array outside the graph, "
            "losing its gradient; use the Tensor it returns (for values only, call it on "
            "np.asarray(t))"
        )
    if dtype is not None and like is not None and np.dtype(dtype) != like.dtype:
        raise TypeError(
            f"numpy.{name}: dtype={np.dtype(dtype)} differs from the tensor's {like.dtype}; "
            "convert the tensor first (Tensor(t.data.astype(...))) or drop dtype="
        )
    for key, value in options.items():
        if value is not NO_VALUE and not (key == "where" and value is True):
            raise TypeError(
                f"numpy.{name}: {key}= is not supported on Tensors (the gradient would not "
                "follow it); leave it out, or call numpy on np.asarray(t) for values only"
            )


def same_dtype(name: str, result: Tensor, dtype: Any) -> Tensor:
    """`result`, after refusing a `dtype=` other than its own (the joins take no `like`: the
    result's dtype is known only once the inputs are promoted)."""
    refuse_extras(name, result, dtype=dtype)
    return result


def tensor_of(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else as_tensor(value)


# ----- reductions ----------------------------------------------------------------------------
@implements(np.sum)
def np_sum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
           initial: Any = NO_VALUE, where: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("sum", a, out=out, dtype=dtype, initial=initial, where=where)
    return a.sum(axis, keepdims)


@implements(np.mean)
def np_mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
            *, where: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("mean", a, out=out, dtype=dtype, where=where)
    return a.mean(axis, keepdims)


@implements(np.max, np.amax)
def np_max(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
           initial: Any = NO_VALUE, where: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("max", a, out=out, initial=initial, where=where)
    return a.max(axis, keepdims)


@implements(np.min, np.amin)
def np_min(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
           initial: Any = NO_VALUE, where: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("min", a, out=out, initial=initial, where=where)
    return a.min(axis, keepdims)


@implements(np.prod)
def np_prod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
            initial: Any = NO_VALUE, where: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("prod", a, out=out, dtype=dtype, initial=initial, where=where)
    return a.prod(axis, keepdims)


@implements(np.var)
def np_var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, where: Any = NO_VALUE, mean: Any = NO_VALUE,
           correction: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("var", a, out=out, dtype=dtype, where=where, mean=mean)
    return a.var(axis, ddof if correction is NO_VALUE else correction, keepdims)


@implements(np.std)
def np_std(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, where: Any = NO_VALUE, mean: Any = NO_VALUE,
           correction: Any = NO_VALUE) -> Tensor:
    a = tensor_of(a)
    refuse_extras("std", a, out=out, dtype=dtype, where=where, mean=mean)
    return a.std(axis, ddof if correction is NO_VALUE else correction, keepdims)


@implements(np.cumsum)
def np_cumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Tensor:
    a = tensor_of(a)
    refuse_extras("cumsum", a, out=out, dtype=dtype)
    return a.cumsum(axis)


@implements(np.average)
def np_average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False, *,
               keepdims: Any = False) -> Any:
    a = tensor_of(a)
    if weights is None:
        result = a.mean(axis, bool(keepdims))
        count = constant(np.asarray(a.size / max(result.size, 1), dtype=a.dtype))
        return (result, count) if returned else result
    w = weights if isinstance(weights, Tensor) else as_tensor(np.asarray(weights), a)
    if w.shape != a.shape:
        if axis is None or w.ndim != 1:
            raise TypeError("numpy.average: weights of another shape than a need a 1-D weights "
                            "array and an int axis")
        shape = [1] * a.ndim
        shape[int(axis) % a.ndim] = w.size
        w = w.reshape(tuple(shape))
    total = w.broadcast_to(a.shape).sum(axis, bool(keepdims)) if w.shape != a.shape \
        else w.sum(axis, bool(keepdims))
    result = (a * w).sum(axis, bool(keepdims)) / total
    return (result, total) if returned else result


@implements(np.linalg.norm)
def np_norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    return norm(tensor_of(x), ord, axis, keepdims)


@implements(np.trace)
def np_trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
             out: Any = None) -> Tensor:
    a = tensor_of(a)
    refuse_extras("trace", a, out=out, dtype=dtype)
    return np_diagonal(a, offset, axis1, axis2).sum(-1)


@implements(np.diagonal)
def np_diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The diagonal as NumPy puts it: the two axes removed, the diagonal appended last."""
    a = tensor_of(a)
    first, second = axis1 % a.ndim, axis2 % a.ndim
    rest = [i for i in range(a.ndim) if i not in (first, second)]
    moved = a.transpose(tuple(rest) + (first, second))
    rows, cols = moved.shape[-2:]
    start_row, start_col = (0, offset) if offset >= 0 else (-offset, 0)
    count = max(0, min(rows - start_row, cols - start_col))
    index = np.arange(count)
    return moved[..., index + start_row, index + start_col]


@implements(np.diag)
def np_diag(v: Any, k: int = 0) -> Tensor:
    v = tensor_of(v)
    if v.ndim == 2:
        return np_diagonal(v, k)
    if v.ndim != 1:
        raise ValueError(f"numpy.diag: input must be 1-D or 2-D, got shape {v.shape}")
    size = v.size + abs(k)
    index = np.arange(v.size)
    rows, cols = (index, index + k) if k >= 0 else (index - k, index)
    return v._scatter_add((rows, cols), (size, size))


# ----- products ------------------------------------------------------------------------------
@implements(np.dot)
def np_dot(a: Any, b: Any, out: Any = None) -> Tensor:
    refuse_extras("dot", out=out)
    a, b = pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if b.ndim <= 2:
        return a @ b
    return np_tensordot(a, b, ((a.ndim - 1,), (b.ndim - 2,)))


@implements(np.inner)
def np_inner(a: Any, b: Any) -> Tensor:
    a, b = pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return np_tensordot(a, b, ((a.ndim - 1,), (b.ndim - 1,)))


@implements(np.vdot)
def np_vdot(a: Any, b: Any) -> Tensor:
    a, b = pair(a, b)
    if a.dtype.kind == "c":  # NumPy conjugates the first argument (complex needs no gradient)
        a = constant(np.conj(a._data))
    return (a.reshape(-1) * b.reshape(-1)).sum()


@implements(np.outer)
def np_outer(a: Any, b: Any, out: Any = None) -> Tensor:
    refuse_extras("outer", out=out)
    a, b = pair(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


@implements(np.tensordot)
def np_tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    """Sum of products over the given axes, as a transpose, a reshape and one matmul."""
    a, b = pair(a, b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        a_axes = tuple(range(a.ndim - n, a.ndim))
        b_axes = tuple(range(n))
    else:
        a_axes, b_axes = ((x,) if isinstance(x, (int, np.integer)) else tuple(x) for x in axes)
    a_axes = tuple(int(x) % a.ndim for x in a_axes) if a.ndim else ()
    b_axes = tuple(int(x) % b.ndim for x in b_axes) if b.ndim else ()
    if len(a_axes) != len(b_axes) or any(a.shape[i] != b.shape[j]
                                         for i, j in zip(a_axes, b_axes)):
        raise ValueError(f"numpy.tensordot: shape-mismatch for sum: {a.shape} axes {a_axes}, "
                         f"{b.shape} axes {b_axes}")
    a_free = tuple(i for i in range(a.ndim) if i not in a_axes)
    b_free = tuple(i for i in range(b.ndim) if i not in b_axes)
    summed = math.prod(a.shape[i] for i in a_axes)
    # sizes written out, not -1: an empty axis would make -1 ambiguous
    left = a.transpose(a_free + a_axes).reshape(math.prod(a.shape[i] for i in a_free), summed)
    right = b.transpose(b_axes + b_free).reshape(summed, math.prod(b.shape[i] for i in b_free))
    shape = tuple(a.shape[i] for i in a_free) + tuple(b.shape[i] for i in b_free)
    return (left @ right).reshape(shape)


def pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors, a plain number or array taking the other's float dtype."""
    a_t = a if isinstance(a, Tensor) else as_tensor(a, b if isinstance(b, Tensor) else None)
    b_t = b if isinstance(b, Tensor) else as_tensor(b, a_t)
    return a_t, b_t


# ----- shape ---------------------------------------------------------------------------------
@implements(np.reshape)
def np_reshape(a: Any, /, shape: Any = None, order: str = "C", *, newshape: Any = None,
               copy: Any = None) -> Tensor:
    if order != "C":
        raise TypeError("numpy.reshape: only order='C' is supported on Tensors")
    target = shape if shape is not None else newshape
    return tensor_of(a).reshape(target if isinstance(target, (tuple, list)) else (target,))


@implements(np.ravel)
def np_ravel(a: Any, order: str = "C") -> Tensor:
    if order != "C":
        raise TypeError("numpy.ravel: only order='C' is supported on Tensors")
    return tensor_of(a).reshape(-1)


@implements(np.transpose)
def np_transpose(a: Any, axes: Any = None) -> Tensor:
    return tensor_of(a).transpose(axes)


@implements(np.swapaxes)
def np_swapaxes(a: Any, axis1: int, axis2: int) -> Tensor:
    return tensor_of(a).swapaxes(axis1, axis2)


@implements(np.moveaxis)
def np_moveaxis(a: Any, source: Any, destination: Any) -> Tensor:
    a = tensor_of(a)
    return a.transpose(moved_axes(a.ndim, source, destination))


def moved_axes(ndim: int, source: Any, destination: Any) -> tuple[int, ...]:
    """The permutation `np.moveaxis` applies, for `transpose`."""
    sources = [int(s) % ndim for s in np.atleast_1d(source)]
    destinations = [int(d) % ndim for d in np.atleast_1d(destination)]
    order = [n for n in range(ndim) if n not in sources]
    for dest, src in sorted(zip(destinations, sources)):
        order.insert(dest, src)
    return tuple(order)


@implements(np.squeeze)
def np_squeeze(a: Any, axis: Any = None) -> Tensor:
    return tensor_of(a).squeeze(axis)


@implements(np.expand_dims)
def np_expand_dims(a: Any, axis: Any) -> Tensor:
    return tensor_of(a).expand_dims(axis)


@implements(np.broadcast_to)
def np_broadcast_to(array: Any, shape: Any, subok: bool = False) -> Tensor:
    return tensor_of(array).broadcast_to(tuple(np.atleast_1d(shape)) if np.ndim(shape)
                                         else (int(shape),))


@implements(np.atleast_1d, np.atleast_2d, np.atleast_3d)
def np_atleast(*arys: Any) -> Any:
    raise TypeError("numpy.atleast_1d/2d/3d: use t.reshape(...) or t.expand_dims(axis) on a "
                    "Tensor (they keep the gradient)")


@implements(np.concatenate)
def np_concatenate(arrays: Sequence[Any], axis: Any = 0, out: Any = None, *, dtype: Any = None,
                   casting: Any = NO_VALUE) -> Tensor:
    refuse_extras("concatenate", out=out)
    if axis is None:
        return same_dtype("concatenate", concatenate([tensor_of(a).reshape(-1) for a in arrays],
                                                     0), dtype)
    return same_dtype("concatenate", concatenate(list(arrays), axis), dtype)


@implements(np.stack)
def np_stack(arrays: Sequence[Any], axis: int = 0, out: Any = None, *, dtype: Any = None,
             casting: Any = NO_VALUE) -> Tensor:
    refuse_extras("stack", out=out)
    return same_dtype("stack", stack(list(arrays), axis), dtype)


@implements(np.hstack)
def np_hstack(tup: Sequence[Any], *, dtype: Any = None, casting: Any = NO_VALUE) -> Tensor:
    tensors = [tensor_of(a) for a in tup]
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return same_dtype("hstack", concatenate(tensors, 0 if tensors and tensors[0].ndim == 1
                                            else 1), dtype)


@implements(np.vstack)
def np_vstack(tup: Sequence[Any], *, dtype: Any = None, casting: Any = NO_VALUE) -> Tensor:
    tensors = [tensor_of(a) for a in tup]
    tensors = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]
    return same_dtype("vstack", concatenate(tensors, 0), dtype)


@implements(np.column_stack)
def np_column_stack(tup: Sequence[Any]) -> Tensor:
    tensors = [tensor_of(a) for a in tup]
    return concatenate([t.reshape(-1, 1) if t.ndim < 2 else t for t in tensors], 1)


@implements(np.flip)
def np_flip(m: Any, axis: Any = None) -> Tensor:
    m = tensor_of(m)
    axes = range(m.ndim) if axis is None else [int(a) % m.ndim for a in np.atleast_1d(axis)]
    index = [slice(None)] * m.ndim
    for a in axes:
        index[a] = slice(None, None, -1)
    return m[tuple(index)]


@implements(np.fliplr)
def np_fliplr(m: Any) -> Tensor:
    return np_flip(m, 1)


@implements(np.flipud)
def np_flipud(m: Any) -> Tensor:
    return np_flip(m, 0)


@implements(np.roll)
def np_roll(a: Any, shift: Any, axis: Any = None) -> Tensor:
    a = tensor_of(a)
    positions = np.roll(np.arange(a.size).reshape(a.shape), shift, axis)
    return a.reshape(-1)[positions]


@implements(np.tile)
def np_tile(A: Any, reps: Any) -> Tensor:
    a = tensor_of(A)
    reps = tuple(int(r) for r in np.atleast_1d(reps))
    ndim = max(a.ndim, len(reps))
    shape = (1,) * (ndim - a.ndim) + a.shape
    reps = (1,) * (ndim - len(reps)) + reps
    interleaved = tuple(x for pair_ in zip([1] * ndim, shape) for x in pair_)
    target = tuple(x for pair_ in zip(reps, shape) for x in pair_)
    tiled = a.reshape(interleaved).broadcast_to(target)
    return tiled.reshape(tuple(r * n for r, n in zip(reps, shape)))


@implements(np.repeat)
def np_repeat(a: Any, repeats: Any, axis: Any = None) -> Tensor:
    a = tensor_of(a)
    if axis is None:
        return a.reshape(-1)[np.repeat(np.arange(a.size), repeats)]
    axis = int(axis) % a.ndim
    index = (slice(None),) * axis + (np.repeat(np.arange(a.shape[axis]), repeats),)
    return a[index]


@implements(np.take)
def np_take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Tensor:
    refuse_extras("take", out=out)
    if mode != "raise":
        raise TypeError("numpy.take: only mode='raise' is supported on Tensors")
    a = tensor_of(a)
    indices = np.asarray(indices)
    if axis is None:
        return a.reshape(-1)[indices]
    return a[(slice(None),) * (int(axis) % a.ndim) + (indices,)]


@implements(np.take_along_axis)
def np_take_along_axis(arr: Any, indices: Any, axis: Any) -> Tensor:
    arr = tensor_of(arr)
    indices = np.asarray(indices)
    if axis is None:
        return arr.reshape(-1)[indices]
    axis = int(axis) % arr.ndim
    grids = list(np.ix_(*[np.arange(n) for n in indices.shape]))
    grids[axis] = indices
    return arr[tuple(np.broadcast_arrays(*grids))]


@implements(np.sort)
def np_sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *,
            stable: Any = None) -> Tensor:
    """Sorted values, as the elements picked by `argsort` (the gradient goes back to the
    element each value came from)."""
    a = tensor_of(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    elif a.ndim == 0:
        raise np.exceptions.AxisError(axis, 0)  # as numpy.sort on a 0-d array
    return np_take_along_axis(a, np.argsort(a._data, axis=axis, kind="stable"), axis)


@implements(np.split)
def np_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Equal pieces (NumPy's own error when they cannot be equal) or pieces cut at indices."""
    return split_pieces(ary, indices_or_sections, axis, np.split)


@implements(np.array_split)
def np_array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """As `np.split`, but a number of sections that does not divide the axis is allowed."""
    return split_pieces(ary, indices_or_sections, axis, np.array_split)


def split_pieces(ary: Any, indices_or_sections: Any, axis: int,
                 splitter: Callable[..., list[np.ndarray]]) -> list[Tensor]:
    """The pieces `splitter` makes of `ary` along `axis`, as slices of the tensor (NumPy
    splits the positions, so its errors and edge cases are NumPy's own)."""
    a = tensor_of(ary)
    positions = splitter(np.arange(a.shape[axis]), indices_or_sections)
    axis = int(axis) % a.ndim
    return [a[(slice(None),) * axis + (slice(int(p[0]), int(p[-1]) + 1) if p.size else
                                       slice(0, 0),)] for p in positions]


# ----- elementwise ---------------------------------------------------------------------------
@implements(np.where)
def np_where(condition: Any, *xy: Any) -> Any:
    if not xy:  # np.where(cond) is np.nonzero(cond): positions, not values
        return np.nonzero(np.asarray(condition))
    if len(xy) != 2:
        raise TypeError("numpy.where: pass either the condition alone or condition, x and y")
    return where(condition, *xy)


@implements(np.clip)
def np_clip(a: Any, a_min: Any = NO_VALUE, a_max: Any = NO_VALUE, out: Any = None, *,
            min: Any = NO_VALUE, max: Any = NO_VALUE, **kwargs: Any) -> Tensor:
    refuse_extras("clip", out=out)
    if kwargs:
        raise TypeError(f"numpy.clip: {', '.join(kwargs)} not supported on Tensors")
    low = a_min if a_min is not NO_VALUE else (None if min is NO_VALUE else min)
    high = a_max if a_max is not NO_VALUE else (None if max is NO_VALUE else max)
    return tensor_of(a).clip(low, high)


@implements(np.copy)
def np_copy(a: Any, order: str = "K", subok: bool = False) -> Tensor:
    a = tensor_of(a)
    return a + a.dtype.type(0)  # a new tensor with its own memory, on the graph


@implements(np.round, np.around)
def np_round(a: Any, decimals: int = 0, out: Any = None) -> Tensor:
    refuse_extras("round", out=out)
    return piecewise_constant(np.round(tensor_of(a)._data, decimals))


@implements(np.real)
def np_real(val: Any) -> Any:
    """A real tensor itself (NumPy returns the array); the real part of a complex one, as a
    constant copy (complex tensors never require grad)."""
    return val if val.dtype.kind != "c" else constant(np.real(val._data).copy())


@implements(np.imag)
def np_imag(val: Any) -> Any:
    return constant(np.zeros(val.shape, dtype=val.dtype)) if val.dtype.kind != "c" \
        else constant(np.imag(val._data).copy())


def piecewise_constant(values: np.ndarray) -> Tensor:
    """A result whose derivative is 0 wherever it exists (rounding, sign): a constant Tensor,
    so expressions built on it stay Tensors and get the zero gradient PyTorch gives."""
    return constant(np.asarray(values))


# ----- ufuncs whose NumPy result is not the plain op's --------------------------------------
def np_float_power(x: Tensor, y: Tensor) -> Tensor:
    """`np.float_power`: the power computed in float64 at least (float32 inputs give float64)."""
    wide = np.result_type(x.dtype, y.dtype, np.float64)
    x, y = (t if t.dtype == wide else t * constant(np.ones((), dtype=wide)) for t in (x, y))
    return apply_binary(Pow(), x, y)


def np_positive(x: Tensor) -> Tensor:
    """`np.positive`: a new tensor (NumPy returns a new array), so an in-place operator on the
    result cannot change `x`."""
    return np_copy(x)


def np_conjugate(x: Tensor) -> Tensor:
    """`np.conjugate`: a copy of a real tensor; the conjugate of a complex one (complex tensors
    never require grad, so it is a constant)."""
    return constant(np.conj(x._data)) if x.dtype.kind == "c" else np_copy(x)


BINARY_UFUNCS["float_power"] = np_float_power
UNARY_UFUNCS.update(positive=np_positive, conjugate=np_conjugate)


@implements(np.bincount)
def np_bincount(x: Any, /, weights: Any = None, minlength: int = 0) -> Any:
    """Counts of each integer in `x` (no derivative), or with Tensor `weights` the sum of the
    weights at each integer: a `scatter_add`, so the weights keep their gradient."""
    indices = np.asarray(x)
    if not isinstance(weights, Tensor):
        return np.bincount(indices, None if weights is None else np.asarray(weights), minlength)
    if indices.ndim != 1 or weights.shape != indices.shape:
        raise ValueError("numpy.bincount: x and weights must be 1-D and of the same length")
    np.bincount(indices, minlength=minlength)  # NumPy's own errors for negative or non-integers
    size = max(int(indices.max()) + 1 if indices.size else 0, minlength)
    return weights._scatter_add(indices, (size,))


@implements(np.histogram)
def np_histogram(a: Any, bins: Any = 10, range: Any = None, density: Any = None,
                 weights: Any = None) -> Any:
    """Counts per bin, computed on the values, when nothing returned depends on a Tensor's
    values smoothly: given bin edges and no Tensor weights. Edges NumPy would derive from the
    data (`bins` a number or a rule) or Tensor weights have a derivative: refused."""
    if np.ndim(bins) != 1 or isinstance(bins, Tensor) or isinstance(weights, Tensor) or \
            (density and isinstance(a, Tensor)):
        raise TypeError(
            "numpy.histogram on a Tensor: its bin edges (from a number of bins), a density or "
            "Tensor weights move with the values, so the result would need a gradient it cannot "
            "keep. Pass the bin edges as an array (the counts have no derivative), or call it on "
            "np.asarray(t) for plain values without gradient."
        )
    return np.histogram(unwrap_all(a), bins, range, density,
                        None if weights is None else np.asarray(weights))


# ----- results without a derivative: computed on the values -----------------------------------
for _function in (
    np.shape, np.ndim, np.size, np.argmax, np.argmin, np.argsort, np.nonzero, np.argwhere,
    np.flatnonzero, np.count_nonzero, np.isclose, np.allclose, np.array_equal, np.array_equiv,
    np.any, np.all, np.iscomplexobj, np.isrealobj, np.result_type, np.may_share_memory,
    np.shares_memory, np.searchsorted, np.zeros_like, np.ones_like, np.empty_like, np.full_like,
    np.can_cast, np.min_scalar_type, np.array_repr, np.array_str, np.array2string,
    np.save, np.savez, np.savez_compressed, np.savetxt, np.digitize, np.isin,
):
    VALUE_FUNCTIONS.add(_function)

#: What to use instead, for NumPy functions autograd_lite has no rule for.
FUNCTION_HINTS.update({
    np.einsum: "write it with @ (autograd_lite.matmul), * and .sum(axis), or np.dot / "
               "np.tensordot, which run on Tensors",
    np.cumprod: "write the product out with * (or use prod for the total)",
    np.unique: "np.sort(t) keeps the gradient; pick the distinct positions from "
               "np.unique(np.asarray(t), return_index=True)",
    np.median: "sort with np.sort(t) (which keeps the gradient) and index the middle",
    np.percentile: "sort with np.sort(t) (which keeps the gradient) and index the position",
    np.quantile: "sort with np.sort(t) (which keeps the gradient) and index the position",
    np.linalg.inv: "solve the system with matmul-based iterations, or use PyTorch for linear "
                   "algebra derivatives",
    np.linalg.det: "write the determinant of a small matrix out with * and -",
    np.linalg.solve: "use PyTorch for linear algebra derivatives",
    np.linalg.svd: "use PyTorch for linear algebra derivatives",
    np.linalg.eigh: "use PyTorch for linear algebra derivatives",
    np.pad: "build the padding with autograd_lite.concatenate and zeros",
    np.diff: "subtract shifted slices: t[1:] - t[:-1]",
    np.convolve: "write the sum of shifted slices times the kernel with * and +",
    np.nansum: "replace NaNs first with autograd_lite.where(np.isnan(t), 0.0, t)",
    np.nanmean: "replace NaNs first with autograd_lite.where(np.isnan(t), 0.0, t)",
    np.ptp: "t.max(axis) - t.min(axis)",
    np.cross: "write the three components out with indexing, * and -",
    np.interp: "use autograd_lite.where with slopes computed from the data",
})
