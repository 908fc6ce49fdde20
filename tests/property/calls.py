"""How to call every registered op at random: Hypothesis strategies of `OpCall`s.

An `OpCall` is one concrete way to call one op (shapes, axes, indices, constants drawn at
random) in three engines: autograd_lite (`fn`, on Tensors), NumPy (`reference`, on arrays:
the forward oracle of the property suite) and PyTorch (`torch_fn`, the oracle of
`tests/oracle`). Input values are drawn separately, from the domain the op declares
(`domain` on its class; see `autograd_lite.engine.op.DOMAINS`), by `input_arrays`.

`TENSOR_CALLS` and `SCALAR_CALLS` map registry names to strategies; the suites fail for a
registered op that has no entry here or no domain, so a new op cannot skip them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_lite as ag
from autograd_lite import SCALAR_OPS, TENSOR_OPS, Tensor
from autograd_lite.engine.op import DOMAINS

MAX_SIDE = 3
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE)
SHAPES_1D_UP = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=MAX_SIDE)
#: Values for "real" inputs stay moderate, so exp, pow and products keep central differences
#: accurate; "positive" keeps log, sqrt and pow bases away from their singularity at 0.
REAL = (-3.0, 3.0)
POSITIVE = (0.25, 3.0)
NONZERO_MIN = 0.25
#: "away_from_kinks" values sit on the grid 0.25 k + 0.125 with distinct k across all inputs:
#: at least 0.125 from 0, from clip bounds (drawn on multiples of 0.25) and from each other.
GRID = 0.25


@dataclass(frozen=True)
class OpCall:
    """One way to call one op. `positions[i]` is the op input that call argument `i` feeds
    (a call may replace some op inputs by constants, as `x ** 2.0` does)."""

    op: str
    text: str
    shapes: tuple[tuple[int, ...], ...]
    fn: Callable[..., Any] = field(repr=False)
    reference: Callable[..., Any] = field(repr=False)
    torch_fn: Callable[..., Any] = field(repr=False)
    positions: tuple[int, ...] = ()

    def __repr__(self) -> str:
        return f"OpCall({self.op}: {self.text} on shapes {list(self.shapes)})"

    def input_positions(self) -> tuple[int, ...]:
        return self.positions or tuple(range(len(self.shapes)))


def declared_domains(kind: str, name: str, count: int, positions: tuple[int, ...]) -> list[str]:
    """The domain of each call argument, from the op class's own `domain` declaration."""
    table = TENSOR_OPS if kind == "tensor" else SCALAR_OPS
    cls = table[name]
    if "domain" not in vars(cls):
        raise AssertionError(
            f"op {name!r} ({cls.__name__}) declares no input domain: add a class attribute "
            f"`domain` (one of {DOMAINS}, or a tuple with one per input)"
        )
    domain = cls.domain
    if isinstance(domain, str):
        return [domain] * count
    return [domain[p] for p in positions]


@st.composite
def input_arrays(draw: Any, call: OpCall, dtype: Any = np.float64) -> list[np.ndarray]:
    """Arrays of the call's shapes with values in the op's declared domain."""
    positions = call.input_positions()
    domains = declared_domains("tensor", call.op, len(call.shapes), positions)
    sizes = [math.prod(s) for s in call.shapes]
    kinked = sum(n for n, d in zip(sizes, domains) if d == "away_from_kinks")
    grid = iter(draw(st.lists(st.integers(-48, 47), min_size=kinked, max_size=kinked,
                              unique=True)))
    arrays = []
    for shape, size, domain in zip(call.shapes, sizes, domains):
        if domain == "away_from_kinks":
            values = [GRID * next(grid) + GRID / 2 for _ in range(size)]
            array = np.array(values, dtype=np.float64).reshape(shape)
        else:
            array = draw(hnp.arrays(np.float64, shape, elements=element(domain)))
        arrays.append(array.astype(dtype))
    return arrays


def element(domain: str) -> st.SearchStrategy[float]:
    """One number from a domain (the grid domain is drawn jointly in `input_arrays`)."""
    if domain == "real":
        return st.floats(*REAL, allow_subnormal=False)
    if domain == "positive":
        return st.floats(*POSITIVE)
    if domain == "nonzero":
        magnitude = st.floats(NONZERO_MIN, REAL[1])
        return st.one_of(magnitude, magnitude.map(lambda v: -v))
    if domain == "away_from_kinks":
        return st.integers(-12, 11).map(lambda k: GRID * k + GRID / 2)
    raise AssertionError(f"unknown domain {domain!r}; known domains are {DOMAINS}")


# ----- helpers shared by the strategies -----------------------------------------------------
def axes_of(ndim: int) -> st.SearchStrategy[Any]:
    """`axis` arguments of a reduction: None, an int or a tuple of distinct ints (maybe
    negative, maybe empty), for a tensor with `ndim` axes."""
    options = [st.none(), st.just(())]
    if ndim:
        single = st.integers(-ndim, ndim - 1)
        options.append(single)
        options.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True)
                       .flatmap(lambda axes: st.tuples(*[st.sampled_from([a, a - ndim])
                                                         for a in axes])))
    return st.one_of(options)


def normalized(axis: Any, ndim: int) -> tuple[int, ...]:
    """`axis` as a sorted tuple of non-negative axes (None: all of them)."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in items))


def flat_positions(shape: tuple[int, ...], index: Any) -> np.ndarray:
    """Which flat element of an array of `shape` each element of `array[index]` is: an
    oracle for indexing and its adjoint that never calls the code under test."""
    return np.arange(math.prod(shape)).reshape(shape)[index]


def scatter_reference(values: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    positions = flat_positions(shape, index).ravel()
    flat = np.bincount(positions, weights=np.ravel(values), minlength=math.prod(shape))
    return flat.reshape(shape).astype(values.dtype)


def torch_gather(torch: Any, x: Any, index: Any) -> Any:
    positions = flat_positions(tuple(x.shape), index)
    return x.reshape(-1)[torch.as_tensor(positions.ravel(), dtype=torch.long)].reshape(
        positions.shape)


def torch_scatter(torch: Any, x: Any, index: Any, shape: tuple[int, ...]) -> Any:
    positions = torch.as_tensor(flat_positions(shape, index).ravel(), dtype=torch.long)
    out = torch.zeros(math.prod(shape), dtype=x.dtype)
    return out.index_add(0, positions, x.reshape(-1)).reshape(shape)


def np_sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def np_logsumexp(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


def np_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


# ----- elementwise ops ------------------------------------------------------------------------
UNARY: dict[str, tuple[list[tuple[str, Callable]], Callable, Callable]] = {
    "neg": ([("-x", lambda x: -x)], np.negative, lambda t, x: -x),
    "exp": ([("x.exp()", lambda x: x.exp()), ("ag.exp(x)", ag.exp)], np.exp,
            lambda t, x: x.exp()),
    "log": ([("x.log()", lambda x: x.log()), ("ag.log(x)", ag.log)], np.log,
            lambda t, x: x.log()),
    "sqrt": ([("x.sqrt()", lambda x: x.sqrt()), ("ag.sqrt(x)", ag.sqrt)], np.sqrt,
             lambda t, x: x.sqrt()),
    "abs": ([("x.abs()", lambda x: x.abs()), ("abs(x)", abs), ("ag.abs(x)", ag.abs)], np.abs,
            lambda t, x: x.abs()),
    "sin": ([("x.sin()", lambda x: x.sin()), ("ag.sin(x)", ag.sin)], np.sin,
            lambda t, x: x.sin()),
    "cos": ([("x.cos()", lambda x: x.cos()), ("ag.cos(x)", ag.cos)], np.cos,
            lambda t, x: x.cos()),
    "tanh": ([("x.tanh()", lambda x: x.tanh()), ("ag.tanh(x)", ag.tanh)], np.tanh,
             lambda t, x: x.tanh()),
    "sigmoid": ([("x.sigmoid()", lambda x: x.sigmoid()), ("ag.sigmoid(x)", ag.sigmoid)],
                np_sigmoid, lambda t, x: t.sigmoid(x)),
    "relu": ([("x.relu()", lambda x: x.relu()), ("ag.relu(x)", ag.relu)],
             lambda x: np.maximum(x, 0.0), lambda t, x: t.relu(x)),
}


def unary_call(name: str) -> st.SearchStrategy[OpCall]:
    forms, reference, torch_fn = UNARY[name]

    @st.composite
    def build(draw: Any) -> OpCall:
        shape = draw(SHAPES)
        text, fn = draw(st.sampled_from(forms))
        return OpCall(name, text, (shape,), fn, reference, torch_fn)

    return build()


BINARY: dict[str, tuple[list[tuple[str, Callable]], Callable, Callable]] = {
    "add": ([("x + y", lambda x, y: x + y), ("y.__radd__(x)", lambda x, y: y.__radd__(x))],
            np.add, lambda t, x, y: x + y),
    "sub": ([("x - y", lambda x, y: x - y), ("y.__rsub__(x)", lambda x, y: y.__rsub__(x))],
            np.subtract, lambda t, x, y: x - y),
    "mul": ([("x * y", lambda x, y: x * y)], np.multiply, lambda t, x, y: x * y),
    "div": ([("x / y", lambda x, y: x / y), ("y.__rtruediv__(x)",
                                              lambda x, y: y.__rtruediv__(x))],
            np.divide, lambda t, x, y: x / y),
    "pow": ([("x ** y", lambda x, y: x ** y), ("y.__rpow__(x)", lambda x, y: y.__rpow__(x))],
            np.power, lambda t, x, y: x ** y),
    "maximum": ([("ag.maximum(x, y)", ag.maximum), ("x.maximum(y)", lambda x, y: x.maximum(y))],
                np.maximum, lambda t, x, y: t.maximum(x, y)),
    "minimum": ([("ag.minimum(x, y)", ag.minimum), ("x.minimum(y)", lambda x, y: x.minimum(y))],
                np.minimum, lambda t, x, y: t.minimum(x, y)),
}


def binary_call(name: str) -> st.SearchStrategy[OpCall]:
    forms, reference, torch_fn = BINARY[name]

    @st.composite
    def build(draw: Any) -> OpCall:
        shapes = draw(hnp.mutually_broadcastable_shapes(
            num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE)).input_shapes
        text, fn = draw(st.sampled_from(forms))
        return OpCall(name, text, tuple(shapes), fn, reference, torch_fn)

    return build()


@st.composite
def pow_with_a_constant(draw: Any) -> OpCall:
    """x ** c (a constant exponent, including integers and negatives) or c ** x."""
    shape = draw(SHAPES)
    c = draw(st.sampled_from([2, 3, -1, 0.5, 2.5, -1.5, 1]))
    if draw(st.booleans()):
        return OpCall("pow", f"x ** {c}", (shape,), lambda x: x ** c,
                      lambda x: np.power(x, float(c)), lambda t, x: x ** c, positions=(0,))
    base = abs(c) + 0.5
    return OpCall("pow", f"{base} ** x", (shape,), lambda x: base ** x,
                  lambda x: np.power(base, x), lambda t, x: base ** x, positions=(1,))


@st.composite
def clip_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    bound = st.one_of(st.none(), st.integers(-10, 10).map(lambda k: GRID * k))
    lo, hi = draw(bound), draw(bound)
    if lo is None and hi is None:
        lo = 0.0
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    forms = [(f"x.clip({lo}, {hi})", lambda x: x.clip(lo, hi)),
             (f"ag.clip(x, {lo}, {hi})", lambda x: ag.clip(x, lo, hi))]
    if draw(st.booleans()):
        return tensor_bounds_clip_call(draw, shape, lo, hi)
    text, fn = draw(st.sampled_from(forms))
    return OpCall("clip", text, (shape,), fn, lambda x: np.clip(x, lo, hi),
                  lambda t, x: t.clamp(x, lo, hi))


def tensor_bounds_clip_call(draw: Any, shape: tuple[int, ...], lo: Any, hi: Any) -> OpCall:
    """clip with Tensor bounds (inputs of the op, differentiated as torch.clamp), each of a
    shape that broadcasts to x's (torch.clamp keeps x's shape; NumPy's clip, and ours, would
    also broadcast x up); a bound that stays a number is a constant."""
    def bound_shape() -> tuple[int, ...]:
        return draw(hnp.broadcastable_shapes(shape, min_dims=0, max_dims=len(shape)).filter(
            lambda s: np.broadcast_shapes(shape, s) == shape))

    which = draw(st.sampled_from(["both", "lower", "upper"]))
    if which == "both":
        shapes = (shape, bound_shape(), bound_shape())
        return OpCall("clip", "x.clip(lo, hi)", shapes, lambda x, a, b: x.clip(a, b),
                      lambda x, a, b: np.minimum(np.maximum(x, a), b),
                      lambda t, x, a, b: t.clamp(x, a, b))
    if which == "lower":
        shapes = (shape, bound_shape())
        return OpCall("clip", f"ag.clip(x, lo, {hi})", shapes, lambda x, a: ag.clip(x, a, hi),
                      lambda x, a: np.clip(x, a, hi),
                      lambda t, x, a: t.clamp(x, a, None if hi is None else t.tensor(hi)))
    shapes = (shape, bound_shape())
    return OpCall("clip", f"x.clip({lo}, hi)", shapes, lambda x, b: x.clip(lo, b),
                  lambda x, b: np.clip(x, lo, b),
                  lambda t, x, b: t.clamp(x, None if lo is None else t.tensor(lo), b))


@st.composite
def where_call(draw: Any) -> OpCall:
    cond_shape, x_shape, y_shape = draw(hnp.mutually_broadcastable_shapes(
        num_shapes=3, min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE)).input_shapes
    cond = draw(hnp.arrays(np.bool_, cond_shape))
    return OpCall("where", f"ag.where(<bool {cond_shape}>, x, y)", (x_shape, y_shape),
                  lambda x, y: ag.where(cond, x, y), lambda x, y: np.where(cond, x, y),
                  lambda t, x, y: t.where(t.as_tensor(cond), x, y))


# ----- reductions -----------------------------------------------------------------------------
REDUCTIONS: dict[str, tuple[Callable, Callable, Callable]] = {
    "sum": (ag.sum, np.sum, lambda t, x, dims, k: t.sum(x, dim=dims, keepdim=k)),
    "mean": (ag.mean, np.mean, lambda t, x, dims, k: t.mean(x, dim=dims, keepdim=k)),
    "max": (ag.max, np.max, lambda t, x, dims, k: t.amax(x, dim=dims, keepdim=k)),
    "min": (ag.min, np.min, lambda t, x, dims, k: t.amin(x, dim=dims, keepdim=k)),
    "logsumexp": (ag.logsumexp, np_logsumexp,
                  lambda t, x, dims, k: t.logsumexp(x, dim=dims, keepdim=k)),
}


def torch_prod(t: Any, x: Any, dims: tuple[int, ...], keepdims: bool) -> Any:
    """torch.prod reduces one dim at a time: the last first, so the others keep their place."""
    for dim in sorted(dims, reverse=True):
        x = t.prod(x, dim=dim, keepdim=keepdims)
    return x


REDUCTIONS["prod"] = (ag.prod, np.prod, torch_prod)


@st.composite
def norm_call(draw: Any) -> OpCall:
    """The Euclidean norm over some axes, as np.linalg.norm's default (ord None)."""
    shape = draw(SHAPES)
    axis = draw(axes_of(len(shape)))
    keepdims = draw(st.booleans())
    dims = normalized(axis, len(shape))

    def reference(x: np.ndarray) -> np.ndarray:
        return np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))

    def torch_fn(t: Any, x: Any) -> Any:
        return x.abs() if not dims else t.linalg.vector_norm(x, dim=dims, keepdim=keepdims)

    return OpCall("norm", f"Norm(axis={axis}, keepdims={keepdims})", (shape,),
                  lambda x: norm_over(x, axis, keepdims), reference, torch_fn)


def norm_over(x: Any, axis: Any, keepdims: bool) -> Any:
    """The 2-norm over any axes (np.linalg.norm takes at most two: the op takes any)."""
    from autograd_lite.ops.reductions import Norm
    from autograd_lite.tensor import apply_unary

    return apply_unary(Norm(axis, keepdims), x)


@st.composite
def variance_call(draw: Any, name: str) -> OpCall:
    """x.var(...) or x.std(...) with NumPy's ddof (0, or 1 where more than one value)."""
    shape = draw(SHAPES)
    axis = draw(axes_of(len(shape)))
    keepdims = draw(st.booleans())
    dims = normalized(axis, len(shape))
    count = math.prod(shape[d] for d in dims)
    ddof = draw(st.sampled_from([0, 1] if count > 1 else [0]))

    def torch_fn(t: Any, x: Any) -> Any:
        if not dims:  # the variance over no axis is 0 (torch reads dim=() as all dims)
            return x * 0.0
        return getattr(t, name)(x, dim=dims, correction=ddof, keepdim=keepdims)

    function = getattr(ag, name)
    reference = getattr(np, name)
    forms = [(f"x.{name}(axis={axis}, ddof={ddof}, keepdims={keepdims})",
              lambda x: getattr(x, name)(axis=axis, ddof=ddof, keepdims=keepdims)),
             (f"ag.{name}(x, axis={axis}, ddof={ddof}, keepdims={keepdims})",
              lambda x: function(x, axis=axis, ddof=ddof, keepdims=keepdims))]
    text, fn = draw(st.sampled_from(forms))
    return OpCall(name, text, (shape,), fn,
                  lambda x: np.asarray(reference(x, axis=axis, ddof=ddof, keepdims=keepdims)),
                  torch_fn)


@st.composite
def cumsum_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1))
                if shape else st.none())

    def torch_fn(t: Any, x: Any) -> Any:
        return x.reshape(-1).cumsum(0) if axis is None else x.cumsum(axis)

    forms = [(f"x.cumsum(axis={axis})", lambda x: x.cumsum(axis=axis)),
             (f"ag.cumsum(x, axis={axis})", lambda x: ag.cumsum(x, axis=axis))]
    text, fn = draw(st.sampled_from(forms))
    return OpCall("cumsum", text, (shape,), fn, lambda x: np.cumsum(x, axis=axis), torch_fn)


@st.composite
def mod_call(draw: Any) -> OpCall:
    """x % y with one side a constant, so that x / y stays away from whole numbers, where the
    result jumps: x % 0.7 for x on the grid, and 2.3 % y for y in the positive domain."""
    shape = draw(SHAPES)
    if draw(st.booleans()):
        c = draw(st.sampled_from([0.7, 1.3, -0.9]))
        return OpCall("mod", f"x % {c}", (shape,), lambda x: x % c, lambda x: np.mod(x, c),
                      lambda t, x: t.remainder(x, c), positions=(0,))
    c = draw(st.sampled_from([2.3, -1.7]))
    return OpCall("mod", f"{c} % y", (shape,), lambda y: c % y, lambda y: np.mod(c, y),
                  lambda t, y: t.remainder(t.full_like(y, c), y), positions=(1,))


def reduction_call(name: str) -> st.SearchStrategy[OpCall]:
    function, reference, torch_reduce = REDUCTIONS[name]

    @st.composite
    def build(draw: Any) -> OpCall:
        shape = draw(SHAPES)
        axis = draw(axes_of(len(shape)))
        keepdims = draw(st.booleans())
        dims = normalized(axis, len(shape))

        def torch_fn(t: Any, x: Any) -> Any:
            # torch reads dim=() as "all dims"; reducing over no axis is the identity.
            return x if not dims else torch_reduce(t, x, dims, keepdims)

        forms = [(f"x.{name}(axis={axis}, keepdims={keepdims})",
                  lambda x: getattr(x, name)(axis=axis, keepdims=keepdims)),
                 (f"ag.{name}(x, axis={axis}, keepdims={keepdims})",
                  lambda x: function(x, axis=axis, keepdims=keepdims))]
        text, fn = draw(st.sampled_from(forms))
        return OpCall(name, text, (shape,), fn,
                      lambda x: np.asarray(reference(x, axis=axis, keepdims=keepdims)), torch_fn)

    return build()


def normalization_call(name: str) -> st.SearchStrategy[OpCall]:
    function = ag.softmax if name == "softmax" else ag.log_softmax

    def reference(x: np.ndarray, axis: int) -> np.ndarray:
        s = np_softmax(x, axis)
        return s if name == "softmax" else np.log(s)

    @st.composite
    def build(draw: Any) -> OpCall:
        shape = draw(SHAPES_1D_UP)
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        forms = [(f"x.{name}(axis={axis})", lambda x: getattr(x, name)(axis=axis)),
                 (f"ag.{name}(x, axis={axis})", lambda x: function(x, axis=axis))]
        if axis in (-1, len(shape) - 1):
            forms.append((f"x.{name}()", lambda x: getattr(x, name)()))
        text, fn = draw(st.sampled_from(forms))
        return OpCall(name, text, (shape,), fn, lambda x: reference(x, axis),
                      lambda t, x: getattr(t, name)(x, dim=axis))

    return build()


# ----- shape and indexing ---------------------------------------------------------------------
def prime_factors(n: int) -> list[int]:
    factors, p = [], 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


@st.composite
def same_size_shape(draw: Any, size: int) -> tuple[int, ...]:
    """A shape with `size` elements: the prime factors spread over up to 4 axes, with ones."""
    factors = prime_factors(size)
    ndim = draw(st.integers(1 if factors else 0, 4))
    dims = [1] * ndim
    for f in factors:
        dims[draw(st.integers(0, ndim - 1))] *= f
    return tuple(dims)


@st.composite
def reshape_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    target = draw(same_size_shape(math.prod(shape)))
    written = target
    if target and draw(st.booleans()):
        i = draw(st.integers(0, len(target) - 1))
        written = target[:i] + (-1,) + target[i + 1:]
    forms = [(f"x.reshape{written}", lambda x: x.reshape(*written)),
             (f"x.reshape({written})", lambda x: x.reshape(written)),
             (f"ag.reshape(x, {written})", lambda x: ag.reshape(x, written))]
    text, fn = draw(st.sampled_from(forms))
    return OpCall("reshape", text, (shape,), fn, lambda x: x.reshape(written),
                  lambda t, x: x.reshape(written))


@st.composite
def transpose_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    n = len(shape)
    kind = draw(st.sampled_from(["T", "axes", "swapaxes"] if n else ["T", "axes"]))
    if kind == "T":
        perm = tuple(reversed(range(n)))
        text, fn = "x.T", lambda x: x.T
    elif kind == "axes":
        perm = tuple(draw(st.permutations(range(n))))
        written = tuple(draw(st.sampled_from([a, a - n])) for a in perm)
        text, fn = draw(st.sampled_from([
            (f"x.transpose{written}", lambda x: x.transpose(*written)),
            (f"ag.transpose(x, {written})", lambda x: ag.transpose(x, written))]))
    else:
        a, b = draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))
        order = list(range(n))
        order[a], order[b] = order[b], order[a]
        perm = tuple(order)
        text, fn = draw(st.sampled_from([
            (f"x.swapaxes({a}, {b})", lambda x: x.swapaxes(a, b)),
            (f"ag.swapaxes(x, {a}, {b})", lambda x: ag.swapaxes(x, a, b))]))
    return OpCall("transpose", text, (shape,), fn, lambda x: np.transpose(x, perm),
                  lambda t, x: x.permute(perm))


@st.composite
def broadcast_to_call(draw: Any) -> OpCall:
    target = draw(SHAPES)
    # A shape that broadcasts to `target`: some leading axes dropped, some others set to 1.
    kept = target[draw(st.integers(0, len(target))):]
    shape = tuple(draw(st.sampled_from([n, 1])) for n in kept)
    forms = [(f"x.broadcast_to({target})", lambda x: x.broadcast_to(target)),
             (f"ag.broadcast_to(x, {target})", lambda x: ag.broadcast_to(x, target))]
    text, fn = draw(st.sampled_from(forms))
    return OpCall("broadcast_to", text, (shape,), fn, lambda x: np.broadcast_to(x, target),
                  lambda t, x: t.broadcast_to(x, target))


@st.composite
def index_for(draw: Any, shape: tuple[int, ...]) -> Any:
    """Basic (ints, slices with any step, None, Ellipsis), integer-array (with repeats),
    boolean-mask and mixed indices for an array of `shape`."""
    kinds = ["basic"]
    if shape:
        kinds += ["integer-arrays", "mask", "list", "mixed"]
    kind = draw(st.sampled_from(kinds))
    if kind == "basic":
        return draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    if kind == "integer-arrays":
        return draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(
            min_dims=1, max_dims=2, max_side=4)))
    if kind == "mask":
        return draw(hnp.arrays(np.bool_, shape))
    if kind == "list":  # a list of ints along axis 0, converted as NumPy does
        return np.asarray(draw(st.lists(st.integers(-shape[0], shape[0] - 1), max_size=4)),
                          dtype=np.intp)
    rows = np.asarray(draw(st.lists(st.integers(-shape[-1], shape[-1] - 1), min_size=1,
                                    max_size=3)), dtype=np.intp)
    return (Ellipsis, rows)


def describe(index: Any) -> str:
    items = index if isinstance(index, tuple) else (index,)
    parts = [f"<{i.dtype} {i.tolist()}>" if isinstance(i, np.ndarray) else repr(i)
             for i in items]
    return ", ".join(parts)


@st.composite
def getitem_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    index = draw(index_for(shape))
    written = index
    if isinstance(index, np.ndarray) and index.dtype == np.intp and draw(st.booleans()):
        written = index.tolist()  # a Python list of ints, read as NumPy reads it
    return OpCall("getitem", f"x[{describe(written)}]", (shape,), lambda x: x[written],
                  lambda x: x[index], lambda t, x: torch_gather(t, x, index))


@st.composite
def scatter_add_call(draw: Any) -> OpCall:
    target = draw(SHAPES)
    index = draw(index_for(target))
    shape = np.zeros(target)[index].shape
    return OpCall("scatter_add", f"x._scatter_add([{describe(index)}], {target})", (shape,),
                  lambda x: x._scatter_add(index, target),
                  lambda x: scatter_reference(x, index, target),
                  lambda t, x: torch_scatter(t, x, index, target))


@st.composite
def concatenate_call(draw: Any) -> OpCall:
    base = draw(SHAPES_1D_UP)
    n = len(base)
    axis = draw(st.integers(-n, n - 1))
    count = draw(st.integers(1, 3))
    shapes = []
    for _ in range(count):
        shape = list(base)
        shape[axis] = draw(st.integers(1, MAX_SIDE))
        shapes.append(tuple(shape))
    forms = [(f"ag.concatenate([...{count}], axis={axis})",
              lambda *xs: ag.concatenate(list(xs), axis=axis))]
    if axis in (0, -n):
        forms.append((f"ag.concatenate([...{count}])", lambda *xs: ag.concatenate(list(xs))))
    text, fn = draw(st.sampled_from(forms))
    return OpCall("concatenate", text, tuple(shapes), fn,
                  lambda *xs: np.concatenate(xs, axis=axis),
                  lambda t, *xs: t.cat(list(xs), dim=axis))


@st.composite
def stack_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    n = len(shape) + 1
    axis = draw(st.integers(-n, n - 1))
    count = draw(st.integers(1, 3))
    return OpCall("stack", f"ag.stack([...{count}], axis={axis})", (shape,) * count,
                  lambda *xs: ag.stack(list(xs), axis=axis),
                  lambda *xs: np.stack(xs, axis=axis),
                  lambda t, *xs: t.stack(list(xs), dim=axis))


@st.composite
def matmul_call(draw: Any) -> OpCall:
    """1-D and N-D operands with broadcast batch dimensions, exactly as `numpy.matmul`."""
    shapes = draw(hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=2, min_side=1, max_side=MAX_SIDE)).input_shapes
    forms = [("x @ y", lambda x, y: x @ y), ("ag.matmul(x, y)", ag.matmul),
             ("y.__rmatmul__(x)", lambda x, y: y.__rmatmul__(x))]
    text, fn = draw(st.sampled_from(forms))
    return OpCall("matmul", text, tuple(shapes), fn, np.matmul, lambda t, x, y: t.matmul(x, y))


@st.composite
def linear_call(draw: Any) -> OpCall:
    """`x @ W.T + b` as one node: x with 1 to 3 axes, with and without the bias."""
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=MAX_SIDE))
    n_in, n_out = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    shapes = [batch + (n_in,), (n_out, n_in)]
    if draw(st.booleans()):
        form = draw(st.sampled_from(["ag.linear", "ag.nn.functional.linear"]))
        function = ag.linear if form == "ag.linear" else ag.nn.functional.linear
        return OpCall("linear", f"{form}(x, w, b)", (*shapes, (n_out,)), function,
                      lambda x, w, b: x @ w.T + b,
                      lambda t, x, w, b: t.nn.functional.linear(x, w, b))
    return OpCall("linear", "ag.linear(x, w)", tuple(shapes), ag.linear, lambda x, w: x @ w.T,
                  lambda t, x, w: t.nn.functional.linear(x, w))


def reduce_reference(losses: np.ndarray, reduction: str) -> np.ndarray:
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


@st.composite
def mse_loss_call(draw: Any) -> OpCall:
    shape = draw(SHAPES)
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return OpCall("mse_loss", f"mse_loss(p, t, reduction={reduction!r})", (shape, shape),
                  lambda p, q: ag.nn.functional.mse_loss(p, q, reduction=reduction),
                  lambda p, q: reduce_reference((p - q) ** 2, reduction),
                  lambda t, p, q: t.nn.functional.mse_loss(p, q, reduction=reduction))


@st.composite
def binary_cross_entropy_call(draw: Any) -> OpCall:
    """Logits of any shape against targets in [0, 1]: hard labels and soft targets."""
    shape = draw(SHAPES)
    targets = draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 0.25, 1.0])))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))

    def reference(z: np.ndarray) -> np.ndarray:
        return reduce_reference(np.logaddexp(0.0, z) - z * targets, reduction)

    return OpCall("binary_cross_entropy_with_logits",
                  f"binary_cross_entropy_with_logits(z, {targets.tolist()}, "
                  f"reduction={reduction!r})", (shape,),
                  lambda z: ag.nn.functional.binary_cross_entropy_with_logits(
                      z, targets, reduction=reduction),
                  reference,
                  lambda t, z: t.nn.functional.binary_cross_entropy_with_logits(
                      z, t.as_tensor(targets), reduction=reduction))


@st.composite
def cross_entropy_call(draw: Any) -> OpCall:
    n, classes = draw(st.integers(1, MAX_SIDE)), draw(st.integers(1, MAX_SIDE))
    labels = np.array(draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))

    def reference(x: np.ndarray) -> np.ndarray:
        losses = -np.log(np_softmax(x, 1))[np.arange(n), labels]
        return reduce_reference(losses, reduction)

    return OpCall("cross_entropy", f"cross_entropy(x, {labels.tolist()}, reduction={reduction!r})",
                  ((n, classes),),
                  lambda x: ag.nn.functional.cross_entropy(x, labels, reduction=reduction),
                  reference,
                  lambda t, x: t.nn.functional.cross_entropy(x, t.as_tensor(labels),
                                                             reduction=reduction))


TENSOR_CALLS: dict[str, st.SearchStrategy[OpCall]] = {
    **{name: unary_call(name) for name in UNARY},
    **{name: binary_call(name) for name in BINARY},
    **{name: reduction_call(name) for name in REDUCTIONS},
    "softmax": normalization_call("softmax"),
    "log_softmax": normalization_call("log_softmax"),
    "clip": clip_call(),
    "where": where_call(),
    "reshape": reshape_call(),
    "transpose": transpose_call(),
    "broadcast_to": broadcast_to_call(),
    "getitem": getitem_call(),
    "scatter_add": scatter_add_call(),
    "concatenate": concatenate_call(),
    "stack": stack_call(),
    "matmul": matmul_call(),
    "linear": linear_call(),
    "mse_loss": mse_loss_call(),
    "cross_entropy": cross_entropy_call(),
    "var": variance_call("var"),
    "std": variance_call("std"),
    "cumsum": cumsum_call(),
    "norm": norm_call(),
    "mod": mod_call(),
    "binary_cross_entropy_with_logits": binary_cross_entropy_call(),
}
TENSOR_CALLS["pow"] = st.one_of(binary_call("pow"), pow_with_a_constant())


# ----- Value (scalar) ops ---------------------------------------------------------------------
@dataclass(frozen=True)
class ScalarCall:
    """One way to call one Value op: `fn` on Values (numbers in `constants` stay plain) and
    `reference` on floats. `tensor_fn` is the same expression on 0-d Tensors, recording the
    Tensor op `tensor_op`: `fn` itself and this op's name unless the op has no Tensor twin
    (see `SCALAR_TENSOR_TWINS`)."""

    op: str
    text: str
    arity: int
    fn: Callable[..., Any] = field(repr=False)
    reference: Callable[..., float] = field(repr=False)
    positions: tuple[int, ...] = ()
    tensor_fn: Callable[..., Any] | None = field(default=None, repr=False)
    tensor_op: str = ""

    def on_tensors(self) -> tuple[Callable[..., Any], str]:
        """The expression on 0-d Tensors and the name of the op it records last."""
        return self.tensor_fn or self.fn, self.tensor_op or self.op

    def __repr__(self) -> str:
        return f"ScalarCall({self.op}: {self.text})"


SCALAR_FORMS: dict[str, list[tuple[str, int, Callable, Callable, tuple[int, ...]]]] = {
    "add": [("a + b", 2, lambda a, b: a + b, lambda a, b: a + b, (0, 1)),
            ("a + 1.5", 1, lambda a: a + 1.5, lambda a: a + 1.5, (0,)),
            ("1.5 + a", 1, lambda a: 1.5 + a, lambda a: 1.5 + a, (1,))],
    "sub": [("a - b", 2, lambda a, b: a - b, lambda a, b: a - b, (0, 1)),
            ("2 - a", 1, lambda a: 2 - a, lambda a: 2 - a, (1,))],
    "mul": [("a * b", 2, lambda a, b: a * b, lambda a, b: a * b, (0, 1)),
            ("a * a", 1, lambda a: a * a, lambda a: a * a, (0,)),
            ("-0.5 * a", 1, lambda a: -0.5 * a, lambda a: -0.5 * a, (1,))],
    "div": [("a / b", 2, lambda a, b: a / b, lambda a, b: a / b, (0, 1)),
            ("3 / b", 1, lambda b: 3 / b, lambda b: 3 / b, (1,))],
    "pow": [("a ** b", 2, lambda a, b: a ** b, lambda a, b: a ** b, (0, 1)),
            ("a ** 3", 1, lambda a: a ** 3, lambda a: a ** 3, (0,)),
            ("a ** -1.5", 1, lambda a: a ** -1.5, lambda a: a ** -1.5, (0,)),
            ("2 ** b", 1, lambda b: 2 ** b, lambda b: 2.0 ** b, (1,))],
    "neg": [("-a", 1, lambda a: -a, lambda a: -a, (0,))],
    "relu": [("a.relu()", 1, lambda a: a.relu(), lambda a: max(a, 0.0), (0,))],
    "tanh": [("a.tanh()", 1, lambda a: a.tanh(), math.tanh, (0,))],
    "sigmoid": [("a.sigmoid()", 1, lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)),
                 (0,))],
    "exp": [("a.exp()", 1, lambda a: a.exp(), math.exp, (0,))],
    "log": [("a.log()", 1, lambda a: a.log(), math.log, (0,))],
    "linear": [("linear([a, b], [c, d], e)", 5,
                lambda a, b, c, d, e: ag.nn.scalar.linear([a, b], [c, d], e),
                lambda a, b, c, d, e: e + a * c + b * d, (0, 1, 2, 3, 4)),
               ("linear([a, b], [c, 1.5])", 3,
                lambda a, b, c: ag.nn.scalar.linear([a, b], [c, 1.5]),
                lambda a, b, c: a * c + b * 1.5, (0, 1, 2)),
               ("linear([a, a], [b, 2.0], 0.5)", 2,
                lambda a, b: ag.nn.scalar.linear([a, a], [b, 2.0], 0.5),
                lambda a, b: 0.5 + a * b + a * 2.0, (0, 2))],
}

#: Value ops with no Tensor op of their own: by form text, the same expression on 0-d Tensors
#: (argument for argument) and the Tensor op it records last.
SCALAR_TENSOR_TWINS: dict[str, tuple[Callable[..., Any], str]] = {
    "linear([a, b], [c, d], e)": (lambda a, b, c, d, e: e + a * c + b * d, "add"),
    "linear([a, b], [c, 1.5])": (lambda a, b, c: a * c + b * 1.5, "add"),
    "linear([a, a], [b, 2.0], 0.5)": (lambda a, b: 0.5 + a * b + a * 2.0, "add"),
}

SCALAR_CALLS: dict[str, st.SearchStrategy[ScalarCall]] = {
    name: st.sampled_from([ScalarCall(name, text, arity, fn, ref, positions,
                                      *SCALAR_TENSOR_TWINS.get(text, ()))
                           for text, arity, fn, ref, positions in forms])
    for name, forms in SCALAR_FORMS.items()
}


@st.composite
def scalar_inputs(draw: Any, call: ScalarCall) -> list[float]:
    domains = declared_domains("scalar", call.op, call.arity, call.positions)
    return [draw(element(d)) for d in domains]


def as_tensors(arrays: list[np.ndarray], requires_grad: bool = True) -> list[Tensor]:
    return [Tensor(a, requires_grad=requires_grad) for a in arrays]
