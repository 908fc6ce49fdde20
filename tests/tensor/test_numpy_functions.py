"""NumPy's own functions and ufuncs called on Tensors, with NumPy itself as the oracle.

For every differentiable function in docs/api.md ("NumPy functions on Tensors"), on shapes with
0-d, 1-d, broadcasting and negative axes:

- the result is a Tensor on the graph whose values, shape and dtype are NumPy's own result on
  the raw arrays;
- its gradient is the central difference of the NumPy function on arrays: d/dx sum(f(x) * w)
  for random weights w, so a rule that differs from what NumPy computes cannot pass.

Then: functions whose result has no derivative return exactly what NumPy returns; refused
functions and arguments raise TypeError naming the alternative; the first reported examples; and
a HIPS autograd example that keeps `np.dot(inputs, W)` gives HIPS's gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor

from ..helpers import central_difference

RNG = np.random.default_rng(20240612)


def rand(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def pos(*shape: int) -> np.ndarray:
    return RNG.uniform(0.5, 2.0, shape)


@dataclass
class Case:
    """`fn(*inputs)` called once on arrays (the oracle) and once on Tensors."""

    id: str
    fn: Callable[..., Any]
    arrays: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        self.arrays = tuple(np.asarray(a, dtype=np.float64) for a in self.arrays)


C = Case
CASES = [
    # ----- reductions: 0-d, negative axes, tuples of axes, keepdims ------------------------
    C("sum-0d", np.sum, (rand(),)),
    C("sum", np.sum, (rand(2, 3),)),
    C("sum-axis-neg", lambda a: np.sum(a, axis=-1), (rand(2, 3, 4),)),
    C("sum-axes-keepdims", lambda a: np.sum(a, axis=(0, -1), keepdims=True), (rand(2, 3, 4),)),
    C("mean-0d", np.mean, (rand(),)),
    C("mean-axis", lambda a: np.mean(a, axis=-2), (rand(2, 3, 4),)),
    C("mean-keepdims", lambda a: np.mean(a, 1, keepdims=True), (rand(3, 2),)),
    C("max", np.max, (rand(3, 4),)),
    C("max-0d", np.max, (rand(),)),
    C("amax-axis", lambda a: np.amax(a, axis=-1), (rand(3, 4),)),
    C("max-keepdims", lambda a: np.max(a, axis=(0, 2), keepdims=True), (rand(2, 3, 4),)),
    C("min", np.min, (rand(5),)),
    C("amin-axis", lambda a: np.amin(a, axis=0, keepdims=True), (rand(3, 4),)),
    C("prod", np.prod, (rand(2, 3),)),
    C("prod-axis", lambda a: np.prod(a, axis=-1), (rand(3, 4),)),
    C("prod-0d", np.prod, (rand(),)),
    C("var", np.var, (rand(3, 4),)),
    C("var-ddof", lambda a: np.var(a, axis=-1, ddof=1), (rand(3, 4),)),
    C("var-correction", lambda a: np.var(a, axis=0, correction=1), (rand(3, 4),)),
    C("std", lambda a: np.std(a, axis=(0, 1), keepdims=True), (rand(3, 4, 2),)),
    C("std-ddof", lambda a: np.std(a, ddof=1), (rand(5),)),
    C("cumsum-flat", np.cumsum, (rand(2, 3),)),
    C("cumsum-axis", lambda a: np.cumsum(a, axis=-1), (rand(2, 3),)),
    C("cumsum-0d", np.cumsum, (rand(),)),
    C("average", np.average, (rand(3, 4),)),
    C("average-axis", lambda a: np.average(a, axis=-1), (rand(3, 4),)),
    C("average-weights", lambda a, w: np.average(a, axis=1, weights=w), (rand(3, 4), pos(4))),
    C("average-weights-same-shape", lambda a, w: np.average(a, weights=w),
      (rand(3, 4), pos(3, 4))),
    C("norm", np.linalg.norm, (rand(3, 4),)),
    C("norm-0d", np.linalg.norm, (rand(),)),
    C("norm-vector-axis", lambda a: np.linalg.norm(a, axis=-1), (rand(3, 4),)),
    C("norm-ord1", lambda a: np.linalg.norm(a, ord=1), (rand(5),)),
    C("norm-ord-inf", lambda a: np.linalg.norm(a, ord=np.inf), (rand(5),)),
    C("norm-ord-neg-inf", lambda a: np.linalg.norm(a, ord=-np.inf), (rand(5),)),
    C("norm-ord3", lambda a: np.linalg.norm(a, ord=3, axis=0), (rand(4, 2),)),
    C("norm-ord-half", lambda a: np.linalg.norm(a, ord=0.5), (rand(4),)),
    C("norm-fro", lambda a: np.linalg.norm(a, ord="fro", axis=(-2, -1)), (rand(2, 3, 4),)),
    C("norm-matrix-1", lambda a: np.linalg.norm(a, ord=1), (rand(3, 4),)),
    C("norm-matrix-inf", lambda a: np.linalg.norm(a, ord=np.inf, keepdims=True), (rand(3, 4),)),
    C("norm-matrix-neg1", lambda a: np.linalg.norm(a, ord=-1, axis=(1, 0)), (rand(3, 4),)),
    C("trace", np.trace, (rand(3, 3),)),
    C("trace-offset", lambda a: np.trace(a, offset=-1), (rand(3, 4),)),
    C("trace-3d", lambda a: np.trace(a, axis1=0, axis2=-1), (rand(3, 2, 3),)),
    C("diagonal", np.diagonal, (rand(3, 4),)),
    C("diagonal-offset-3d", lambda a: np.diagonal(a, 1, -1, 0), (rand(3, 2, 4),)),
    C("diag-1d", np.diag, (rand(3),)),
    C("diag-1d-k", lambda v: np.diag(v, k=-2), (rand(3),)),
    C("diag-2d-k", lambda a: np.diag(a, 1), (rand(3, 4),)),
    # ----- products --------------------------------------------------------------------------
    C("dot-1d-1d", np.dot, (rand(3), rand(3))),
    C("dot-2d-1d", np.dot, (rand(2, 3), rand(3))),
    C("dot-1d-2d", np.dot, (rand(3), rand(3, 2))),
    C("dot-2d-2d", np.dot, (rand(2, 3), rand(3, 4))),
    C("dot-3d-2d", np.dot, (rand(2, 3, 4), rand(4, 2))),
    C("dot-2d-3d", np.dot, (rand(2, 3), rand(2, 3, 4))),
    C("dot-0d", np.dot, (rand(), rand(2, 3))),
    C("inner-1d", np.inner, (rand(4), rand(4))),
    C("inner-2d", np.inner, (rand(2, 4), rand(3, 4))),
    C("inner-3d-1d", np.inner, (rand(2, 3, 4), rand(4))),
    C("vdot", np.vdot, (rand(2, 3), rand(3, 2))),
    C("outer", np.outer, (rand(3), rand(4))),
    C("outer-2d", np.outer, (rand(2, 2), rand(3))),
    C("tensordot-2", np.tensordot, (rand(2, 3, 4), rand(3, 4, 2))),
    C("tensordot-1", lambda a, b: np.tensordot(a, b, 1), (rand(2, 3), rand(3, 2))),
    C("tensordot-0", lambda a, b: np.tensordot(a, b, 0), (rand(2), rand(3))),
    C("tensordot-pairs", lambda a, b: np.tensordot(a, b, ([1, 0], [0, 2])),
      (rand(3, 4, 2), rand(4, 5, 3))),
    C("tensordot-neg", lambda a, b: np.tensordot(a, b, axes=([-1], [-2])),
      (rand(2, 3), rand(3, 2))),
    C("matmul-1d-2d", np.matmul, (rand(3), rand(3, 2))),
    C("matmul-batched", np.matmul, (rand(2, 1, 3, 4), rand(5, 4, 2))),
    # ----- shape -----------------------------------------------------------------------------
    C("reshape", lambda a: np.reshape(a, (3, -1)), (rand(2, 3, 2),)),
    C("reshape-int", lambda a: np.reshape(a, -1), (rand(2, 3),)),
    C("reshape-kw", lambda a: np.reshape(a, shape=(6,)), (rand(3, 2),)),
    C("reshape-0d", lambda a: np.reshape(a, (1, 1)), (rand(),)),
    C("ravel", np.ravel, (rand(2, 3),)),
    C("transpose", np.transpose, (rand(2, 3, 4),)),
    C("transpose-axes", lambda a: np.transpose(a, (1, -1, 0)), (rand(2, 3, 4),)),
    C("swapaxes", lambda a: np.swapaxes(a, 0, -1), (rand(2, 3, 4),)),
    C("moveaxis", lambda a: np.moveaxis(a, 0, -1), (rand(2, 3, 4),)),
    C("moveaxis-many", lambda a: np.moveaxis(a, [0, 1], [-1, -3]), (rand(2, 3, 4),)),
    C("squeeze", np.squeeze, (rand(1, 3, 1),)),
    C("squeeze-axis", lambda a: np.squeeze(a, axis=-1), (rand(1, 3, 1),)),
    C("expand_dims", lambda a: np.expand_dims(a, -1), (rand(2, 3),)),
    C("expand_dims-tuple", lambda a: np.expand_dims(a, (0, 2)), (rand(2, 3),)),
    C("expand_dims-0d", lambda a: np.expand_dims(a, 0), (rand(),)),
    C("broadcast_to", lambda a: np.broadcast_to(a, (4, 2, 3)), (rand(2, 1),)),
    C("broadcast_to-0d", lambda a: np.broadcast_to(a, 3), (rand(),)),
    C("concatenate", lambda a, b: np.concatenate([a, b], axis=-1), (rand(2, 3), rand(2, 2))),
    C("concatenate-none", lambda a, b: np.concatenate((a, b), axis=None), (rand(2, 3), rand(4))),
    C("stack", lambda a, b: np.stack([a, b], axis=-1), (rand(2, 3), rand(2, 3))),
    C("stack-0d", lambda a, b: np.stack([a, b]), (rand(), rand())),
    C("hstack-1d", lambda a, b: np.hstack([a, b]), (rand(2), rand(3))),
    C("hstack-2d", lambda a, b: np.hstack((a, b)), (rand(2, 3), rand(2, 1))),
    C("hstack-0d", lambda a, b: np.hstack([a, b]), (rand(), rand())),
    C("vstack-1d", lambda a, b: np.vstack([a, b]), (rand(3), rand(3))),
    C("vstack-2d", lambda a, b: np.vstack([a, b]), (rand(2, 3), rand(1, 3))),
    C("column_stack", lambda a, b: np.column_stack([a, b]), (rand(3), rand(3, 2))),
    C("flip", np.flip, (rand(2, 3),)),
    C("flip-axis", lambda a: np.flip(a, -1), (rand(2, 3),)),
    C("flip-0d", np.flip, (rand(),)),
    C("fliplr", np.fliplr, (rand(2, 3),)),
    C("flipud", np.flipud, (rand(3, 2),)),
    C("roll", lambda a: np.roll(a, 2), (rand(2, 3),)),
    C("roll-axis", lambda a: np.roll(a, -1, axis=-1), (rand(2, 3),)),
    C("roll-many", lambda a: np.roll(a, (1, 2), (0, 1)), (rand(2, 3),)),
    C("tile", lambda a: np.tile(a, 2), (rand(2, 3),)),
    C("tile-more-axes", lambda a: np.tile(a, (2, 1, 3)), (rand(2, 3),)),
    C("tile-0d", lambda a: np.tile(a, 3), (rand(),)),
    C("repeat", lambda a: np.repeat(a, 2), (rand(2, 3),)),
    C("repeat-axis", lambda a: np.repeat(a, [1, 0, 3], axis=-1), (rand(2, 3),)),
    C("take", lambda a: np.take(a, [0, -1, 2]), (rand(2, 3),)),
    C("take-axis", lambda a: np.take(a, [[1, 0], [2, 2]], axis=-1), (rand(2, 3),)),
    C("take_along_axis", lambda a: np.take_along_axis(a, np.array([[2, 0], [1, 1]]), axis=-1),
      (rand(2, 3),)),
    C("take_along_axis-none", lambda a: np.take_along_axis(a, np.array([4, 0, 4]), axis=None),
      (rand(2, 3),)),
    C("sort", np.sort, (rand(3, 4),)),
    C("sort-axis", lambda a: np.sort(a, axis=0), (rand(3, 4),)),
    C("sort-none", lambda a: np.sort(a, axis=None), (rand(3, 4),)),
    C("split", lambda a: np.split(a, 2, axis=-1), (rand(3, 4),)),
    C("split-indices", lambda a: np.split(a, [1, 3]), (rand(5, 2),)),
    C("array_split", lambda a: np.array_split(a, 3), (rand(5),)),
    # ----- elementwise -----------------------------------------------------------------------
    C("where", lambda a, b: np.where(np.array([True, False, True]), a, b), (rand(2, 3), rand(3))),
    C("where-scalar", lambda a: np.where(np.arange(6).reshape(2, 3) > 2, a, 0.0), (rand(2, 3),)),
    C("clip", lambda a: np.clip(a, -0.5, 0.5), (rand(3, 4),)),
    C("clip-kw", lambda a: np.clip(a, min=-0.3, max=None), (rand(3, 4),)),
    C("clip-none-low", lambda a: np.clip(a, None, 0.2), (rand(3, 4),)),
    C("copy", np.copy, (rand(2, 3),)),
    C("real", np.real, (rand(3),)),
    # ----- ufuncs: every one in the list, broadcasting, an ndarray first ---------------------
    C("add", np.add, (rand(2, 3), rand(3))),
    C("add-array-first", np.add, (rand(2, 1), rand(3))),
    C("subtract", np.subtract, (rand(3), rand(2, 1))),
    C("multiply", np.multiply, (rand(2, 3), rand())),
    C("divide", np.divide, (rand(2, 3), pos(3))),
    C("true_divide", np.true_divide, (rand(3), pos(2, 3))),
    C("power", np.power, (pos(2, 3), rand(3))),
    C("float_power", np.float_power, (pos(3), rand(2, 3))),
    C("remainder", np.remainder, (pos(2, 3) * 3, pos(3))),
    C("mod", np.mod, (rand(4) * 3, pos(4))),
    C("maximum", np.maximum, (rand(2, 3), rand(3))),
    C("minimum", np.minimum, (rand(2, 3), rand(2, 1))),
    C("fmax", np.fmax, (rand(3), rand(3))),
    C("fmin", np.fmin, (rand(3), rand())),
    C("matmul-ufunc", np.matmul, (rand(3, 4), rand(4))),
    C("negative", np.negative, (rand(2, 3),)),
    C("positive", np.positive, (rand(3),)),
    C("exp", np.exp, (rand(2, 3),)),
    C("exp-0d", np.exp, (rand(),)),
    C("log", np.log, (pos(3),)),
    C("sqrt", np.sqrt, (pos(2, 3),)),
    C("abs", np.abs, (rand(2, 3),)),
    C("absolute", np.absolute, (rand(3),)),
    C("fabs", np.fabs, (rand(3),)),
    C("sin", np.sin, (rand(3),)),
    C("cos", np.cos, (rand(3),)),
    C("tan", np.tan, (rand(3),)),
    C("tanh", np.tanh, (rand(3),)),
    C("sinh", np.sinh, (rand(3),)),
    C("cosh", np.cosh, (rand(3),)),
    C("square", np.square, (rand(2, 3),)),
    C("reciprocal", np.reciprocal, (pos(3),)),
    C("log1p", np.log1p, (pos(3),)),
    C("expm1", np.expm1, (rand(3),)),
    C("exp2", np.exp2, (rand(3),)),
    C("log2", np.log2, (pos(3),)),
    C("log10", np.log10, (pos(3),)),
    C("conjugate", np.conjugate, (rand(3),)),
    C("add.reduce", np.add.reduce, (rand(3, 4),)),
    C("add.reduce-axis", lambda a: np.add.reduce(a, axis=-1, keepdims=True), (rand(3, 4),)),
    C("add.reduce-none", lambda a: np.add.reduce(a, axis=None), (rand(3, 4),)),
    C("multiply.reduce", lambda a: np.multiply.reduce(a, axis=1), (rand(3, 4),)),
    C("maximum.reduce", np.maximum.reduce, (rand(3, 4),)),
    C("minimum.reduce", lambda a: np.minimum.reduce(a, axis=(0, 1)), (rand(3, 4),)),
    C("add.accumulate", np.add.accumulate, (rand(3, 4),)),
    C("add.accumulate-axis", lambda a: np.add.accumulate(a, axis=-1), (rand(3, 4),)),
    C("multiply.outer", np.multiply.outer, (rand(3), rand(2, 2))),
    C("subtract.outer", np.subtract.outer, (rand(2), rand(3))),
]
IDS = [case.id for case in CASES]
assert len(set(IDS)) == len(IDS)


def as_list(result: Any) -> list[Any]:
    return list(result) if isinstance(result, (list, tuple)) else [result]


def weighted_loss(results: list[Any], weights: list[np.ndarray]) -> Any:
    total = None
    for result, w in zip(results, weights):
        term = (result * w).sum()
        total = term if total is None else total + term
    return total


def weights_for(case: Case) -> list[np.ndarray]:
    rng = np.random.default_rng(len(case.id))
    return [rng.standard_normal(np.shape(r)) for r in as_list(case.fn(*case.arrays))]


def strided(array: np.ndarray) -> np.ndarray:
    """The same values in memory that is not contiguous (every other element of a bigger
    array, reversed axes order)."""
    if array.ndim == 0:
        return array
    wide = np.empty(array.shape[:-1] + (2 * array.shape[-1],))[..., ::2]
    wide[...] = array
    return np.asfortranarray(wide) if array.ndim > 1 else wide


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_values_are_numpys_and_stay_on_the_graph(case, layout):
    arrays = case.arrays if layout == "contiguous" else [strided(a) for a in case.arrays]
    expected = as_list(case.fn(*arrays))
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    results = as_list(case.fn(*tensors))
    assert len(results) == len(expected)
    for result, want in zip(results, expected):
        assert isinstance(result, Tensor), f"{case.id} returned {type(result).__name__}"
        assert result.requires_grad, f"{case.id} cut the graph"
        assert result.shape == np.shape(want)
        assert result.dtype == np.asarray(want).dtype
        np.testing.assert_allclose(result.data, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradients_are_central_differences_of_numpy(case):
    weights = weights_for(case)

    def numpy_loss(*arrays: np.ndarray) -> float:
        return float(sum(np.sum(r * w) for r, w in zip(as_list(case.fn(*arrays)), weights)))

    expected = central_difference(numpy_loss, case.arrays)
    tensors = [Tensor(a, requires_grad=True) for a in case.arrays]
    weighted_loss(as_list(case.fn(*tensors)), weights).backward()
    for i, (tensor, want) in enumerate(zip(tensors, expected)):
        got = np.zeros_like(want) if tensor.grad is None else tensor.grad
        assert got.shape == case.arrays[i].shape
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7,
                                   err_msg=f"{case.id}: gradient of input {i}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_low_precision_keeps_numpys_dtype(case, dtype):
    arrays = [a.astype(dtype) for a in case.arrays]
    expected = as_list(case.fn(*arrays))
    results = as_list(case.fn(*[Tensor(a, requires_grad=True) for a in arrays]))
    for result, want in zip(results, expected):
        assert result.dtype == np.asarray(want).dtype, case.id
        tolerance = 1e-5 if dtype == np.float32 else 2e-2
        np.testing.assert_allclose(result.data.astype(np.float64), np.asarray(want, np.float64),
                                   rtol=tolerance, atol=tolerance)


# ----- results without a derivative: exactly what NumPy returns ----------------------------
X = np.array([[0.3, -1.2, 2.5], [0.7, 0.7, -0.1]])
Y = np.array([[0.3, -1.0, 2.5], [0.0, 0.7, -0.1]])
VALUE_CALLS = {
    "shape": lambda a, b: np.shape(a),
    "ndim": lambda a, b: np.ndim(a),
    "size": lambda a, b: np.size(a, -1),
    "argmax": lambda a, b: np.argmax(a, axis=-1),
    "argmin": lambda a, b: np.argmin(a),
    "argsort": lambda a, b: np.argsort(a, axis=0),
    "nonzero": lambda a, b: np.nonzero(b),
    "where-one-argument": lambda a, b: np.where(b),
    "argwhere": lambda a, b: np.argwhere(b),
    "flatnonzero": lambda a, b: np.flatnonzero(b),
    "count_nonzero": lambda a, b: np.count_nonzero(b, axis=1),
    "isclose": lambda a, b: np.isclose(a, b),
    "allclose": lambda a, b: np.allclose(a, b),
    "array_equal": lambda a, b: np.array_equal(a, a),
    "array_equiv": lambda a, b: np.array_equiv(a, b),
    "any": lambda a, b: np.any(b == 0, axis=0),
    "all": lambda a, b: np.all(a),
    "iscomplexobj": lambda a, b: np.iscomplexobj(a),
    "isrealobj": lambda a, b: np.isrealobj(a),
    "result_type": lambda a, b: np.result_type(a, np.float32),
    "searchsorted": lambda a, b: np.searchsorted(np.sort(np.asarray(a).ravel()), [0.0, 1.0]),
    "zeros_like": lambda a, b: np.zeros_like(a),
    "ones_like": lambda a, b: np.ones_like(b, dtype=np.float32),
    "full_like": lambda a, b: np.full_like(a, 7.0),
    "can_cast": lambda a, b: np.can_cast(a, np.float32),
    "array_repr": lambda a, b: np.array_repr(a),
    "array_str": lambda a, b: np.array_str(a),
    "array2string": lambda a, b: np.array2string(a, precision=2),
    "histogram": lambda a, b: np.histogram(a, bins=[-1.0, 0.0, 0.5, 2.0]),
    "digitize": lambda a, b: np.digitize(a, [0.0, 1.0]),
    "isin": lambda a, b: np.isin(a, [0.7]),
    "less": lambda a, b: np.less(a, b),
    "equal": lambda a, b: a == b,
    "isnan": lambda a, b: np.isnan(a),
    "isfinite": lambda a, b: np.isfinite(a),
    "signbit": lambda a, b: np.signbit(a),
    "logical_and": lambda a, b: np.logical_and(a, b),
}


def assert_same(got: Any, want: Any) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    assert not isinstance(got, Tensor)
    assert type(got) is type(want), (type(got), type(want))
    if isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(VALUE_CALLS))
def test_value_functions_return_what_numpy_returns(name):
    call = VALUE_CALLS[name]
    want = call(X, Y)
    got = call(Tensor(X, requires_grad=True), Tensor(Y))
    assert_same(got, want)


def test_empty_like_gives_numpys_shape_and_dtype():
    got = np.empty_like(Tensor(X.astype(np.float32)))
    assert type(got) is np.ndarray and got.shape == X.shape and got.dtype == np.float32


@pytest.mark.parametrize("ufunc", [np.floor, np.ceil, np.rint, np.trunc, np.sign, np.round])
def test_step_functions_give_constant_tensors_with_gradient_zero(ufunc):
    x = Tensor(X * 3, requires_grad=True)
    step = ufunc(x)
    assert isinstance(step, Tensor) and not step.requires_grad
    np.testing.assert_array_equal(step.data, ufunc(X * 3))
    (step * x).sum().backward()  # d/dx (step(x) * x) = step(x) where step is flat
    np.testing.assert_array_equal(x.grad, ufunc(X * 3))


def test_floor_divide_is_a_constant_with_numpys_values():
    x = Tensor(X * 5, requires_grad=True)
    out = np.floor_divide(x, 2.0)
    assert isinstance(out, Tensor) and not out.requires_grad
    np.testing.assert_array_equal(out.data, np.floor_divide(X * 5, 2.0))


def test_the_explicit_ways_out_give_the_values():
    x = Tensor(X, requires_grad=True)
    for array in (np.asarray(x), np.array(x), np.asanyarray(x), np.ascontiguousarray(x)):
        assert type(array) is np.ndarray
        np.testing.assert_array_equal(array, X)
    assert np.asarray(x, dtype=np.float32).dtype == np.float32


# ----- refused functions and arguments: TypeError naming what to use ------------------------
T = Tensor(X, requires_grad=True)
V = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
REFUSED = {
    "einsum": (lambda: np.einsum("ij->i", T), "np.dot"),
    "cumprod": (lambda: np.cumprod(T), "prod"),
    "unique": (lambda: np.unique(T), "np.sort(t)"),
    "median": (lambda: np.median(T), "np.sort(t)"),
    "percentile": (lambda: np.percentile(T, 50), "np.sort(t)"),
    "quantile": (lambda: np.quantile(T, 0.5), "np.sort(t)"),
    "linalg.inv": (lambda: np.linalg.inv(T[:, :2]), "PyTorch"),
    "linalg.det": (lambda: np.linalg.det(T[:, :2]), "write the determinant"),
    "linalg.solve": (lambda: np.linalg.solve(T[:, :2], V[:2]), "PyTorch"),
    "linalg.svd": (lambda: np.linalg.svd(T), "PyTorch"),
    "pad": (lambda: np.pad(T, 1), "concatenate"),
    "diff": (lambda: np.diff(V), "t[1:] - t[:-1]"),
    "convolve": (lambda: np.convolve(V, V), "shifted slices"),
    "nansum": (lambda: np.nansum(T), "where"),
    "nanmean": (lambda: np.nanmean(T), "where"),
    "ptp": (lambda: np.ptp(T), "t.max(axis) - t.min(axis)"),
    "cross": (lambda: np.cross(V, V), "indexing"),
    "interp": (lambda: np.interp(0.5, V, V), "where"),
    "atleast_2d": (lambda: np.atleast_2d(V), "reshape"),
    "kron (no rule)": (lambda: np.kron(V, V), "autograd_lite operations"),
    "tril (no rule)": (lambda: np.tril(T), "np.asarray(t)"),
    "arctan2 (ufunc, no rule)": (lambda: np.arctan2(T, T), "np.asarray(t)"),
    "arcsin (ufunc, no rule)": (lambda: np.arcsin(T), "autograd_lite operations"),
    "add.at": (lambda: np.add.at(V, [0], 1.0), "np.asarray(t)"),
    "add.reduceat": (lambda: np.add.reduceat(V, [0, 1]), "np.asarray(t)"),
    "multiply.accumulate": (lambda: np.multiply.accumulate(V), "np.asarray(t)"),
    "subtract.reduce": (lambda: np.subtract.reduce(V), "np.asarray(t)"),
    "sum out=": (lambda: np.sum(T, out=np.zeros(())), "use the Tensor it returns"),
    "mean out=": (lambda: np.mean(T, axis=0, out=np.zeros(3)), "out="),
    "max out=": (lambda: np.max(T, out=np.zeros(())), "out="),
    "cumsum out=": (lambda: np.cumsum(V, out=np.zeros(3)), "out="),
    "dot out=": (lambda: np.dot(T, V, out=np.zeros(2)), "out="),
    "concatenate out=": (lambda: np.concatenate([V, V], out=np.zeros(6)), "out="),
    "clip out=": (lambda: np.clip(V, 0, 1, out=np.zeros(3)), "out="),
    "round out=": (lambda: np.round(V, out=np.zeros(3)), "out="),
    "exp out=": (lambda: np.exp(V, out=np.zeros(3)), "with out="),
    "add out= Tensor": (lambda: np.add(V, V, out=Tensor(np.zeros(3))), "with out="),
    "add.reduce out=": (lambda: np.add.reduce(T, out=np.zeros(3)), "with out="),
    "sum dtype=": (lambda: np.sum(T, dtype=np.float32), "convert the tensor first"),
    "mean dtype=": (lambda: np.mean(T, dtype=np.float16), "dtype="),
    "concatenate dtype=": (lambda: np.concatenate([V, V], dtype=np.float32), "dtype="),
    "add dtype=": (lambda: np.add(V, 1.0, dtype=np.float32), "np.asarray(t)"),
    "add.reduce dtype=": (lambda: np.add.reduce(V, dtype=np.float32), "np.asarray(t)"),
    "sum where=": (lambda: np.sum(V, where=np.array([True, False, True])), "leave it out"),
    "mean where=": (lambda: np.mean(V, where=np.array([True, False, True])), "where="),
    "add where=": (lambda: np.add(V, 1.0, where=np.array([True, False, True])), "np.asarray"),
    "sum initial=": (lambda: np.sum(V, initial=1.0), "initial="),
    "max initial=": (lambda: np.max(V, initial=10.0), "initial="),
    "add.reduce initial=": (lambda: np.add.reduce(V, initial=1.0), "np.asarray(t)"),
    "var mean=": (lambda: np.var(V, mean=np.mean(np.asarray(V), keepdims=True)), "mean="),
    "matrix norm ord=2": (lambda: np.linalg.norm(T, 2), "ord='fro'"),
    "matrix norm nuc": (lambda: np.linalg.norm(T, "nuc"), "ord='fro'"),
    "take mode=": (lambda: np.take(V, [5], mode="wrap"), "mode='raise'"),
    "reshape order=": (lambda: np.reshape(T, (3, 2), order="F"), "order='C'"),
    "ravel order=": (lambda: np.ravel(T, order="F"), "order='C'"),
    "where two arguments": (lambda: np.where(X > 0, T), "condition, x and y"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_functions_and_arguments_name_what_to_use(name):
    call, hint = REFUSED[name]
    with pytest.raises(TypeError) as caught:
        call()
    assert hint in str(caught.value), str(caught.value)


def test_a_refused_call_leaves_the_gradient_untouched():
    x = Tensor(X, requires_grad=True)
    with pytest.raises(TypeError):
        np.sum(x, out=np.zeros(()))
    np.sum(x).backward()
    np.testing.assert_array_equal(x.grad, np.ones_like(X))


# ----- the first reported examples -----------------------------------------------------------
@pytest.mark.parametrize("as_tensor", [False, True], ids=["A-ndarray", "A-Tensor"])
def test_dot_keeps_the_graph(as_tensor):
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = Tensor([1.0, 2.0], requires_grad=True)
    ((np.dot(Tensor(A) if as_tensor else A, x)) * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [12.0, 21.0])  # (A + A.T) x


@pytest.mark.parametrize("fn, grad", [
    (np.sum, np.ones(3)), (np.mean, np.full(3, 1 / 3)), (np.max, np.array([0.0, 0.0, 1.0])),
    (np.min, np.array([1.0, 0.0, 0.0])), (np.prod, np.array([6.0, 3.0, 2.0])),
])
def test_the_reported_reductions_run_and_differentiate(fn, grad):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = fn(x)
    assert isinstance(out, Tensor) and out.op
    out.backward()
    np.testing.assert_allclose(x.grad, grad, rtol=1e-15)


def test_numpy_scalars_and_arrays_on_the_left_keep_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    out = np.float64(3.0) * x + np.array([1.0, 1.0]) / x - np.array(2.0) ** x
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_allclose(x.grad, 3.0 - 1.0 / np.array([1.0, 4.0])
                               - np.log(2.0) * 2.0 ** np.array([1.0, 2.0]), rtol=1e-14)


# ----- HIPS autograd's own examples, unchanged but for the Tensor ---------------------------
def logistic_training_loss(xp, weights, inputs, targets):
    """HIPS autograd's README example (logistic regression), written against module `xp`."""
    preds = 0.5 * (xp.tanh(xp.dot(inputs, weights) / 2.0) + 1)
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    return -xp.sum(xp.log(label_probabilities))


def neural_net_loss(xp, params, inputs, targets):
    """HIPS autograd's neural net example's log-likelihood: np.dot layers, tanh, log-softmax."""
    for W, b in params:
        outputs = xp.dot(inputs, W) + b
        inputs = xp.tanh(outputs)
    top = xp.max(outputs, axis=1, keepdims=True)
    lse = top + xp.log(xp.sum(xp.exp(outputs - top), axis=1, keepdims=True))
    log_probs = outputs - lse
    return -xp.sum(log_probs * targets) / inputs.shape[0] + 0.1 * sum(
        xp.sum(W ** 2) for W, _ in params)


def test_hips_logistic_regression_gives_hips_gradients():
    hips = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30],
                       [0.74, -2.49, 1.39]])
    targets = np.array([True, True, False, True])
    weights = np.array([0.3, -0.2, 0.5])
    expected = hips.grad(lambda w: logistic_training_loss(anp, w, inputs, targets))(weights)
    w = Tensor(weights, requires_grad=True)
    loss = logistic_training_loss(np, w, inputs, targets)
    assert isinstance(loss, Tensor)
    loss.backward()
    np.testing.assert_allclose(w.grad, expected, rtol=1e-12, atol=1e-12)
    # a few steps of gradient descent, as the example trains
    for _ in range(5):
        weights = weights - 0.1 * hips.grad(
            lambda w: logistic_training_loss(anp, w, inputs, targets))(weights)
        with ag.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
        logistic_training_loss(np, w, inputs, targets).backward()
    np.testing.assert_allclose(w.data, weights, rtol=1e-12, atol=1e-12)


def test_hips_neural_net_gives_hips_gradients_for_every_parameter():
    hips = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    rng = np.random.default_rng(3)
    sizes = [4, 8, 8, 3]
    params = [(rng.standard_normal((m, n)) * 0.5, rng.standard_normal(n) * 0.1)
              for m, n in zip(sizes[:-1], sizes[1:])]
    inputs = rng.standard_normal((10, 4))
    targets = np.eye(3)[rng.integers(0, 3, 10)]
    expected = hips.grad(lambda p: neural_net_loss(anp, p, inputs, targets))(params)
    ours = [(Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)) for W, b in params]
    neural_net_loss(np, ours, inputs, targets).backward()
    count = 0
    for (W, b), (dW, db) in zip(ours, expected):
        np.testing.assert_allclose(W.grad, dW, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(b.grad, db, rtol=1e-12, atol=1e-13)
        count += int(np.count_nonzero(W.grad) + np.count_nonzero(b.grad))
    assert count == sum(W.size + b.size for W, b in params)  # no gradient silently zero


# ----- hostile input ------------------------------------------------------------------------
Z = np.array([[1 + 2j, 3 - 1j, -0.5j], [2.0, 1j, -1 - 1j]])
W = np.array([[2 - 1j, 1j, 0.5], [1.0, -2j, 3 + 1j]])
COMPLEX_CALLS = {
    "norm": lambda z, w: np.linalg.norm(z),
    "norm-axis": lambda z, w: np.linalg.norm(z, axis=-1),
    "norm-ord1": lambda z, w: np.linalg.norm(z[0], ord=1),
    "norm-fro": lambda z, w: np.linalg.norm(z, "fro"),
    "vdot": lambda z, w: np.vdot(z, w),
    "conjugate": lambda z, w: np.conjugate(z),
    "conj": lambda z, w: np.conj(z),
    "real": lambda z, w: np.real(z),
    "imag": lambda z, w: np.imag(z),
    "abs": lambda z, w: np.abs(z),
    "dot": lambda z, w: np.dot(z, w.T),
    "sum": lambda z, w: np.sum(z * w, axis=-1),
    "exp": lambda z, w: np.exp(z),
    "square": lambda z, w: np.square(z),
    "reciprocal": lambda z, w: np.reciprocal(w),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_CALLS))
def test_complex_tensors_that_need_no_gradient_compute_as_numpy(name):
    call = COMPLEX_CALLS[name]
    want = np.asarray(call(Z, W))
    got = call(Tensor(Z), Tensor(W))
    assert isinstance(got, Tensor)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-14)


def test_a_complex_result_that_needs_a_gradient_is_refused():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="complex"):
        np.vdot(Tensor([1j, 1.0]), x)
    with pytest.raises(TypeError, match="complex"):
        np.dot(x, np.array([1j, 1.0]))


def test_integer_tensors_compute_as_numpy():
    a = np.array([[-2, 0, 3], [5, -1, 1]])
    t = Tensor(a)
    for call in (lambda x: np.clip(x, -0.5, 0.5), lambda x: np.clip(x, -1, 2),
                 lambda x: np.sum(x, axis=0), np.mean, lambda x: np.dot(x, x.T),
                 lambda x: np.concatenate([x, x]), np.cumsum, np.sort, np.linalg.norm):
        want = np.asarray(call(a))
        got = call(t)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("call, shape", [
    (lambda a: np.sum(a, axis=0), (0, 3)),
    (lambda a: np.max(a, axis=-1), (0, 3)),
    (lambda a: np.min(a, axis=1, keepdims=True), (0, 3)),
    (lambda a: np.inner(a, a), (0,)),
    (lambda a: np.dot(a.T, a), (0, 3)),
    (lambda a: np.concatenate([a, a]), (0, 3)),
    (lambda a: np.prod(a, axis=0), (0, 3)),
    (lambda a: np.mean(a, axis=1), (0, 3)),
], ids=["sum", "max", "min", "inner", "dot", "concatenate", "prod", "mean"])
def test_empty_arrays_give_numpys_values_and_gradients_of_their_shape(call, shape):
    a = np.zeros(shape)
    x = Tensor(a, requires_grad=True)
    out = call(x)
    want = call(a)
    assert out.shape == want.shape
    np.testing.assert_array_equal(out.data, want)
    out.sum().backward()
    assert x.grad is None or x.grad.shape == shape


def test_max_of_an_empty_axis_is_refused_as_numpy_refuses_it():
    with pytest.raises(ValueError):
        np.max(np.zeros((0, 3)), axis=0)
    with pytest.raises(ValueError, match="empty"):
        np.max(Tensor(np.zeros((0, 3)), requires_grad=True), axis=0)


def test_sort_of_a_0d_tensor_raises_numpys_axis_error():
    with pytest.raises(np.exceptions.AxisError):
        np.sort(np.array(1.0))
    with pytest.raises(np.exceptions.AxisError):
        np.sort(Tensor(1.0, requires_grad=True))


@pytest.mark.parametrize("call", [np.positive, np.conjugate, np.copy, np.real],
                         ids=["positive", "conjugate", "copy", "real"])
def test_results_numpy_gives_as_new_arrays_do_not_alias_the_input(call):
    base = np.array([1.0, 2.0])
    x = Tensor(base, requires_grad=True)
    out = call(x)
    view_in_numpy = np.shares_memory(call(base), base)
    with ag.no_grad():
        out += 1.0
    if view_in_numpy:  # np.real of a real array is the array itself: so is ours
        np.testing.assert_array_equal(x.data, [2.0, 3.0])
    else:
        np.testing.assert_array_equal(x.data, [1.0, 2.0])


def test_ndarray_subclasses_on_either_side_keep_the_graph():
    class Marked(np.ndarray):
        pass

    m = np.array([1.0, 2.0, 3.0]).view(Marked)
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    for out in (m * x, x * m, np.multiply(m, x), np.dot(m, x), np.concatenate([m, x])):
        assert isinstance(out, Tensor) and out.requires_grad
    (m * x + np.dot(m, x)).sum().backward()
    np.testing.assert_allclose(x.grad, 4 * np.asarray(m))  # m, and m once per element


@pytest.mark.xfail(strict=True, reason=(
    "NumPy converts a list of Tensors (and a masked array's operand) through __array__, "
    "which is also np.asarray(t), the promised way out, so the graph is cut silently: "
    "np.mean([t1, t2]) + t1 gives t1.grad 1.0 (true 1.5) and t2.grad None"))
def test_a_list_of_tensors_given_to_numpy_keeps_the_graph_or_raises():
    t1 = Tensor(1.0, requires_grad=True)
    t2 = Tensor(2.0, requires_grad=True)
    try:
        out = np.mean([t1, t2]) + t1
    except TypeError:
        return
    out.backward()
    assert t1.grad == 1.5 and t2.grad == 0.5


@pytest.mark.xfail(strict=True, reason=(
    "a masked array on the left converts the Tensor with __array__ (np.ma's operators call "
    "np.getdata), so masked + t is a plain MaskedArray and the graph is cut silently"))
def test_a_masked_array_on_the_left_keeps_the_graph_or_raises():
    m = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    x = Tensor([1.0, 1.0], requires_grad=True)
    try:
        out = m + x
    except TypeError:
        return
    assert isinstance(out, Tensor)


@pytest.mark.parametrize("make", [
    lambda a, b, x: x * [a, b],
    lambda a, b, x: x + (a, 1.0),
    lambda a, b, x: Tensor([a, b]),
    lambda a, b, x: Tensor([[a], [b]], dtype=np.float32),
    lambda a, b, x: np.add(x, [a, b]),
], ids=["mul-list", "add-tuple", "Tensor(list)", "Tensor(nested, dtype)", "np.add-list"])
def test_a_list_holding_graph_tensors_is_refused_not_cut(make):
    """Reading the list copies the values: the gradients of a and b would be silently lost
    (PyTorch only warns)."""
    a, b = Tensor(1.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    x = Tensor([1.0, 1.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"holds a tensor .* requires grad.*stack"):
        make(a, b, x)
    out = x * ag.stack([a, b])  # the way that keeps them
    out.sum().backward()
    assert a.grad == 1.0 and b.grad == 1.0


def test_a_list_of_constants_or_detached_tensors_is_values():
    a = Tensor(1.0, requires_grad=True)
    assert Tensor([a.detach(), Tensor(3.0)]).tolist() == [1.0, 3.0]
    with ag.no_grad():
        assert Tensor([a, 2.0]).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call", [
    lambda t: t.data + t, lambda t: t * t.data, lambda t: np.concatenate([t.data, t]),
    lambda t: np.dot(t.data, t), lambda t: np.maximum(t.data, t), lambda t: np.stack([t, t.data]),
], ids=["data+t", "t*data", "concatenate", "dot", "maximum", "stack"])
def test_a_tensors_data_view_beside_the_tensor_keeps_the_graph(call):
    t = Tensor([1.0, -2.0], requires_grad=True)
    out = call(t)
    assert isinstance(out, Tensor) and out.requires_grad
    want = call(np.array([1.0, -2.0]))
    np.testing.assert_array_equal(out.data, want)


# ----- functions whose result can depend on a tensor's values smoothly ----------------------
def test_bincount_with_tensor_weights_keeps_their_gradient():
    w = Tensor([0.5, 2.0, -1.0, 3.0], requires_grad=True)
    idx = np.array([0, 2, 2, 5])
    out = np.bincount(idx, weights=w, minlength=7)
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, np.bincount(idx, weights=w.data, minlength=7))
    (out * np.arange(7.0)).sum().backward()
    np.testing.assert_array_equal(w.grad, [0.0, 2.0, 2.0, 5.0])  # d/dw_i = position of idx_i


def test_bincount_of_counts_alone_runs_on_the_values():
    assert np.array_equal(np.bincount(np.array([1, 1, 3]), weights=None), [0, 2, 0, 1])


def test_histogram_with_edges_from_the_data_or_tensor_weights_is_refused():
    t = Tensor([0.1, 0.7, 1.3], requires_grad=True)
    with pytest.raises(TypeError, match="bin edges .* move with the values"):
        np.histogram(t, bins=3)
    with pytest.raises(TypeError, match="Pass the bin edges as an array"):
        np.histogram(np.array([0.1, 0.2]), bins=[0.0, 1.0], weights=t[:2])
    counts, edges = np.histogram(t, bins=[0.0, 1.0, 2.0])
    assert counts.tolist() == [2, 1] and edges.tolist() == [0.0, 1.0, 2.0]
