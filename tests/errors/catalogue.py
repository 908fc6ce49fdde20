"""A catalogue of bad inputs across the public API, each with the error it must raise.

Every entry is a function that makes one mistake a user can make. It is registered with the
exception type it must raise and two regular expressions its message must match: one that
names the problem (the offending value, shape or name) and one that names the fix. A function
may hand objects to `ctx.watch(...)` before the mistake: those must be exactly as they were
afterwards (a failed step, load or call changes nothing). `tests/errors/test_catalogue.py` runs
them all; `docs/errors.md` lists them (`python -m tests.errors.render --write` regenerates
that section from the messages the code really produces).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import autograd_lite as ag
from autograd_lite import Tensor, Value, nn, optim
from autograd_lite.engine.errors import ShapeError


class Context:
    """What a case may use: a scratch folder and `watch` for state that must not change."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.watched: list[tuple[Any, Any]] = []

    def watch(self, *things: Any) -> None:
        for thing in things:
            self.watched.append((thing, snapshot(thing)))

    def changed(self) -> list[str]:
        """Descriptions of the watched things that differ from their snapshot."""
        return [f"{type(thing).__name__} {i}" for i, (thing, before) in enumerate(self.watched)
                if not same(snapshot(thing), before)]


def snapshot(thing: Any) -> Any:
    """A deep copy of the observable state of a parameter, module, optimizer or generator."""
    if isinstance(thing, Tensor):
        grad = thing.grad
        return (np.array(thing.data), thing.requires_grad,
                None if grad is None else np.array(grad, copy=True))
    if isinstance(thing, Value):
        return (thing.data, thing.grad)
    if isinstance(thing, nn.Module):
        return [(name, snapshot(p)) for name, p in thing.named_parameters()]
    if isinstance(thing, optim.Optimizer):
        state = {i: {k: np.array(v, copy=True) for k, v in s.items()}
                 for i, s in thing.state.items()}
        return (thing.lr, state, [snapshot(p) for p in thing.params])
    if isinstance(thing, np.random.Generator):
        return thing.bit_generator.state
    if isinstance(thing, Path):
        return thing.read_bytes() if thing.exists() else None
    raise TypeError(f"cannot watch a {type(thing).__name__}")


def same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@dataclass(frozen=True)
class BadInput:
    """One mistake: where (`area`), what (`title`, `code`), and what it must raise."""

    id: str
    area: str
    title: str
    code: str
    error: type[BaseException]
    problem: str
    fix: str
    trigger: Callable[[Context], None]


CATALOGUE: list[BadInput] = []
GRAPHS = "graphs: freed, no grad, in place, hooks"
NUMPY = "NumPy functions on Tensors"
AREAS = ["shapes", "axes and indices", "dtypes and data", NUMPY, "seeds", GRAPHS, "custom ops",
         "optimizers", "modules and state dicts", "files", "function transforms",
         "drawing and stepping", "command line"]


def bad_input(area: str, title: str, code: str, error: type[BaseException], problem: str,
              fix: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register the decorated function as a catalogue entry."""
    assert area in AREAS, area

    def register(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        entry = BadInput(fn.__name__.replace("_", "-"), area, title, code, error, problem, fix,
                         fn)
        assert entry.id not in {e.id for e in CATALOGUE}, entry.id
        CATALOGUE.append(entry)
        return fn

    return register


def param(shape: tuple[int, ...] = (2, 3)) -> Tensor:
    return Tensor(np.arange(np.prod(shape), dtype=float).reshape(shape) / 7, requires_grad=True)


# ----- shapes ---------------------------------------------------------------------------------
@bad_input("shapes", "Operands that do not broadcast", "Tensor(np.ones((3, 4))) + np.ones((5, 2))",
           ShapeError, r"add: shapes \(3, 4\) and \(5, 2\) cannot be broadcast",
           r"Reshape one operand")
def add_not_broadcastable(ctx: Context) -> None:
    Tensor(np.ones((3, 4))) + np.ones((5, 2))


@bad_input("shapes", "Matrix product of misaligned shapes", "W @ x  # (3, 4) @ (5, 2)",
           ShapeError, r"\(3, 4\) and \(5, 2\) are not aligned: 4 \(dim 1\) != 5 \(dim 0\)",
           r"transpose an operand")
def matmul_not_aligned(ctx: Context) -> None:
    Tensor(np.ones((3, 4)), requires_grad=True) @ Tensor(np.ones((5, 2)))


@bad_input("shapes", "Matrix product with a 0-d operand", "Tensor(2.0) @ Tensor(np.ones(3))",
           ShapeError, r"0-d operands are not allowed", r"use \* to multiply by a scalar")
def matmul_of_a_scalar(ctx: Context) -> None:
    Tensor(2.0) @ Tensor(np.ones(3))


@bad_input("shapes", "Batched matrix product with batches that do not broadcast",
           "Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((3, 4, 5)))", ShapeError,
           r"batch dimensions \(2,\) and \(3,\) cannot be broadcast",
           r"must be equal or 1")
def matmul_batches_differ(ctx: Context) -> None:
    Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((3, 4, 5)))


@bad_input("shapes", "Affine map whose input does not fit the weight",
           "ag.linear(np.ones((2, 5)), np.ones((4, 3)))", ShapeError,
           r"the input's last dimension must be in_features=3 \(weight has shape \(4, 3\)\)",
           r"got an input of shape \(2, 5\)")
def linear_input_mismatch(ctx: Context) -> None:
    ag.linear(np.ones((2, 5)), Tensor(np.ones((4, 3)), requires_grad=True))


@bad_input("shapes", "Affine map with a bias of the wrong length",
           "ag.linear(x, np.ones((4, 3)), np.ones(3))  # x: (2, 3)", ShapeError,
           r"bias must have shape \(4,\) \(one per output feature", r"got shape \(3,\)")
def linear_bias_mismatch(ctx: Context) -> None:
    ag.linear(np.ones((2, 3)), Tensor(np.ones((4, 3)), requires_grad=True), np.ones(3))


@bad_input("shapes", "Reshape to a different number of elements", "x.reshape(4)  # x: (2, 3)",
           ShapeError, r"cannot reshape a tensor of shape \(2, 3\) \(6 elements\) into shape "
           r"\(4,\)", r"number of elements must stay the same")
def reshape_wrong_size(ctx: Context) -> None:
    param().reshape(4)


@bad_input("shapes", "broadcast_to a shape the tensor cannot stretch to",
           "x.broadcast_to((3,))  # x: (2, 3)", ShapeError,
           r"shape \(2, 3\) cannot be broadcast to shape \(3,\)", r"must be equal or 1")
def broadcast_to_smaller(ctx: Context) -> None:
    param().broadcast_to((3,))


@bad_input("shapes", "Stacking tensors of different shapes",
           "ag.stack([np.ones(2), np.ones(3)])", ShapeError,
           r"same shape, got \(2,\), \(3,\)", r"reshape or broadcast them")
def stack_different_shapes(ctx: Context) -> None:
    ag.stack([np.ones(2), np.ones(3)])


@bad_input("shapes", "Concatenating tensors that differ off the joined axis",
           "ag.concatenate([np.ones((2, 3)), np.ones((2, 4))])", ShapeError,
           r"got \(2, 3\), \(2, 4\)", r"shapes must match except along axis 0")
def concatenate_mismatch(ctx: Context) -> None:
    ag.concatenate([np.ones((2, 3)), np.ones((2, 4))])


@bad_input("shapes", "where with a condition that does not broadcast",
           "ag.where(np.ones(4, bool), x, x)  # x: (2, 3)", ShapeError,
           r"where: shapes \(4,\) and \(2, 3\)", r"Reshape one operand")
def where_condition_shape(ctx: Context) -> None:
    x = param()
    ag.where(np.ones(4, bool), x, x)


@bad_input("shapes", "A backward seed of the wrong shape", "(x * 2).backward(np.ones(3))",
           ShapeError, r"grad has shape \(3,\) but the output has shape \(2, 3\)",
           r"pass a gradient of the output's shape")
def backward_seed_shape(ctx: Context) -> None:
    x = param()
    ctx.watch(x)
    (x * 2).backward(np.ones(3))


@bad_input("shapes", "A Linear layer fed the wrong width", "nn.Linear(2, 3)(np.ones((4, 3)))",
           ShapeError, r"got an input of shape \(4, 3\)", r"must be in_features=2")
def linear_wrong_width(ctx: Context) -> None:
    nn.Linear(2, 3)(np.ones((4, 3)))


@bad_input("shapes", "A loss on a (n, 1) output against (n,) targets",
           "nn.functional.mse_loss(np.ones((4, 1)), np.ones(4))", ShapeError,
           r"pred has shape \(4, 1\) but target has shape \(4,\)",
           r"reshape one, e\.g\. pred\.reshape\(-1\)")
def mse_loss_shapes(ctx: Context) -> None:
    nn.functional.mse_loss(np.ones((4, 1)), np.ones(4))


@bad_input("shapes", "cross_entropy on a vector of logits",
           "nn.functional.cross_entropy(np.ones(3), np.array([0]))", ShapeError,
           r"got shape \(3,\)", r"logits must have shape \(n, C\)")
def cross_entropy_1d_logits(ctx: Context) -> None:
    nn.functional.cross_entropy(np.ones(3), np.array([0]))


# ----- axes and indices -----------------------------------------------------------------------
@bad_input("axes and indices", "An axis past the last one", "x.sum(axis=2)  # x: (2, 3)",
           np.exceptions.AxisError, r"sum: axis 2 is out of range for a tensor with 2 dim",
           r"valid axes: -2 \.\. 1")
def axis_out_of_range(ctx: Context) -> None:
    param().sum(axis=2)


@bad_input("axes and indices", "An axis on a 0-d tensor", "Tensor(1.0).mean(axis=0)",
           np.exceptions.AxisError, r"out of range for a 0-d tensor", r"use axis=None")
def axis_of_a_scalar(ctx: Context) -> None:
    Tensor(1.0).mean(axis=0)


@bad_input("axes and indices", "The same axis twice", "x.sum(axis=(0, -2))  # x: (2, 3)",
           ValueError, r"names the same axis twice", r"list each axis once")
def axis_repeated(ctx: Context) -> None:
    param().sum(axis=(0, -2))


@bad_input("axes and indices", "A float axis", "x.max(axis=1.0)", TypeError,
           r"got 1\.0", r"axis must be None, an int or a tuple of ints")
def axis_not_an_int(ctx: Context) -> None:
    param().max(axis=1.0)


@bad_input("axes and indices", "softmax along a missing axis", "x.softmax(axis=2)  # x: (2, 3)",
           np.exceptions.AxisError, r"softmax: axis 2 is out of range", r"valid axes: -2 \.\. 1")
def softmax_axis(ctx: Context) -> None:
    param().softmax(axis=2)


@bad_input("axes and indices", "transpose axes that are not a permutation", "x.transpose(0, 0)",
           ValueError, r"axes \(0, 0\) are not a permutation",
           r"name each axis 0 \.\. 1 exactly once")
def transpose_not_a_permutation(ctx: Context) -> None:
    param().transpose(0, 0)


@bad_input("axes and indices", "Concatenating 0-d tensors",
           "ag.concatenate([Tensor(1.0), Tensor(2.0)])", ValueError,
           r"0-d tensors cannot be concatenated", r"use stack")
def concatenate_scalars(ctx: Context) -> None:
    ag.concatenate([Tensor(1.0), Tensor(2.0)])


@bad_input("axes and indices", "An index past the end", "x[0, 7]  # x: (2, 3)", IndexError,
           r"index 7 is out of bounds for axis 1 with size 3", r"must lie in -n \.\. n-1")
def index_out_of_bounds(ctx: Context) -> None:
    param()[0, 7]


@bad_input("axes and indices", "Indexing with a float tensor",
           "x[Tensor([0, 1])]  # Python ints become float64", IndexError,
           r"must be of integer \(or boolean\) type", r"integer arrays or a boolean mask")
def index_with_floats(ctx: Context) -> None:
    param()[Tensor([0, 1])]


# ----- dtypes and data ------------------------------------------------------------------------
# ----- NumPy functions on Tensors ------------------------------------------------------------
@bad_input(NUMPY, "A NumPy function without a derivative rule",
           "np.einsum('ij,j->i', W, x)  # W a Tensor", TypeError,
           r"numpy\.einsum has no derivative rule in autograd_lite",
           r"write it with @ .*np\.asarray\(t\) for plain values")
def numpy_function_without_a_rule(ctx: Context) -> None:
    w = param()
    ctx.watch(w)
    np.einsum("ij,j->i", w, np.ones(3))


@bad_input(NUMPY, "out= on a NumPy function of a Tensor",
           "np.sum(x, axis=0, out=buffer)", TypeError,
           r"numpy\.sum: out= would write the result into an array outside the graph",
           r"use the Tensor it returns")
def numpy_function_with_out(ctx: Context) -> None:
    x = param()
    buffer = np.zeros(3)
    ctx.watch(x)
    np.sum(x, axis=0, out=buffer)


@bad_input(NUMPY, "dtype= on a NumPy function of a Tensor",
           "np.concatenate([x, x], dtype=np.float32)  # x float64", TypeError,
           r"numpy\.concatenate: dtype=float32 differs from the tensor's float64",
           r"convert the tensor first .* or drop dtype=")
def numpy_function_with_another_dtype(ctx: Context) -> None:
    x = param()
    ctx.watch(x)
    np.concatenate([x, x], dtype=np.float32)


@bad_input(NUMPY, "A NumPy ufunc method without a derivative rule",
           "np.maximum.accumulate(x)", TypeError,
           r"numpy\.maximum\.accumulate cannot run on a Tensor and keep its gradient",
           r"np\.asarray\(t\) for plain values")
def ufunc_method_without_a_rule(ctx: Context) -> None:
    x = param()
    ctx.watch(x)
    np.maximum.accumulate(x)


@bad_input("dtypes and data", "A list holding tensors that require grad",
           "Tensor([a, b])  # a, b require grad", TypeError,
           r"the data holds a tensor of shape \(\) that requires grad",
           r"autograd_lite\.stack\(\[\.\.\.\]\)")
def tensor_from_a_list_of_graph_tensors(ctx: Context) -> None:
    a, b = Tensor(1.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    ctx.watch(a, b)
    Tensor([a, b])


@bad_input("dtypes and data", "requires_grad on integer data",
           "Tensor(np.array([1, 2]), requires_grad=True)", TypeError,
           r"floating-point dtype, got int64", r"Pass float data or dtype=np\.float64")
def requires_grad_on_ints(ctx: Context) -> None:
    Tensor(np.array([1, 2]), requires_grad=True)


@bad_input("dtypes and data", "requires_grad on complex data",
           "Tensor(np.ones(2, complex), requires_grad=True)", TypeError,
           r"requires_grad=True on complex data \(complex128\)",
           r"Split the computation into real and imaginary parts")
def requires_grad_on_complex(ctx: Context) -> None:
    Tensor(np.ones(2, complex), requires_grad=True)


@bad_input("dtypes and data", "Strings as data", 'Tensor(["a", "b"])', TypeError,
           r"data must be numeric, got an array of dtype <U1", r"pass numbers")
def strings_as_data(ctx: Context) -> None:
    Tensor(["a", "b"])


@bad_input("dtypes and data", "A ragged nested list", "Tensor([[1, 2], [3]])", ValueError,
           r"cannot be read as a numeric array.*inhomogeneous",
           r"every row of a nested list the same length")
def ragged_list(ctx: Context) -> None:
    Tensor([[1, 2], [3]])


@bad_input("dtypes and data", "Integer values assigned to a parameter's .data",
           "w.data = np.array([1, 2])", TypeError, r"got int64", r"Pass float data")
def integer_data_assigned(ctx: Context) -> None:
    w = param((2,))
    ctx.watch(w)
    w.data = np.array([1, 2])


@bad_input("dtypes and data", "A Value of something that is not a number", 'Value("abc")',
           TypeError, r"got 'abc'", r"must be a real number")
def value_of_a_string(ctx: Context) -> None:
    Value("abc")


@bad_input("dtypes and data", "A Value combined with a Tensor", "Value(1.0) + Tensor(1.0)",
           TypeError, r"cannot mix a Value with a Tensor", r"use Tensor ops")
def value_plus_tensor(ctx: Context) -> None:
    Value(1.0) + Tensor(1.0)


@bad_input("dtypes and data", "A Value combined with a string", 'Value(1.0) * "2"', TypeError,
           r"unsupported operand for a Value: '2'", r"combines with Values and real numbers")
def value_times_string(ctx: Context) -> None:
    Value(1.0) * "2"


@bad_input("dtypes and data", "A Value divided by zero", "Value(1.0) / 0", ZeroDivisionError,
           r"division of a Value by zero", r"keep the divisor away from 0")
def value_divided_by_zero(ctx: Context) -> None:
    Value(1.0) / 0


@bad_input("dtypes and data", ".item() of a tensor with many elements", "x.item()  # x: (2, 3)",
           ValueError, r"shape \(2, 3\) \(6 elements\)", r"Reduce it first")
def item_of_many(ctx: Context) -> None:
    param().item()


@bad_input("dtypes and data", "Float class labels for cross_entropy",
           "cross_entropy(logits, np.array([0.0, 1.0]))", TypeError,
           r"labels must be integer class indices, got an array of dtype float64",
           r"labels\.astype\(int\)")
def cross_entropy_float_labels(ctx: Context) -> None:
    nn.functional.cross_entropy(np.ones((2, 3)), np.array([0.0, 1.0]))


@bad_input("dtypes and data", "A class label outside 0 .. C-1",
           "cross_entropy(np.ones((2, 3)), np.array([0, 3]))", ValueError, r"got \[3\]",
           r"labels must be in 0 \.\. 2 for 3 classes")
def cross_entropy_label_range(ctx: Context) -> None:
    nn.functional.cross_entropy(np.ones((2, 3)), np.array([0, 3]))


@bad_input("dtypes and data", "0/1 labels for the hinge loss",
           "hinge_loss(scores, np.array([0, 1]))", ValueError, r"labels must be -1 or \+1, got "
           r"\[0\.0\]", r"map 0/1 labels with 2 \* y - 1")
def hinge_zero_one_labels(ctx: Context) -> None:
    nn.functional.hinge_loss(np.ones(2), np.array([0, 1]))


@bad_input("dtypes and data", "Binary targets outside [0, 1]",
           "binary_cross_entropy_with_logits(z, np.array([0, 2]))", ValueError,
           r"got values from 0\.0 to 2\.0", r"targets must lie in \[0, 1\]")
def bce_targets_out_of_range(ctx: Context) -> None:
    nn.functional.binary_cross_entropy_with_logits(np.ones(2), np.array([0, 2]))


@bad_input("dtypes and data", "NaN among the targets", "mse_loss(pred, np.array([1, np.nan]))",
           ValueError, r"found NaN or inf", r"target must be finite numbers")
def nan_targets(ctx: Context) -> None:
    nn.functional.mse_loss(np.ones(2), np.array([1, np.nan]))


@bad_input("dtypes and data", "An unknown reduction", 'mse_loss(a, b, reduction="avg")',
           ValueError, r"unknown reduction 'avg'", r"valid ones are 'mean', 'sum', 'none'")
def unknown_reduction(ctx: Context) -> None:
    nn.functional.mse_loss(np.ones(2), np.ones(2), reduction="avg")


# ----- seeds ----------------------------------------------------------------------------------
@bad_input("seeds", "A negative seed", "ag.manual_seed(-1)", ValueError, r"got -1",
           r"seed must be a non-negative integer")
def negative_seed(ctx: Context) -> None:
    ctx.watch(ag.random.get_generator())
    ag.manual_seed(-1)


@bad_input("seeds", "A float seed", "ag.manual_seed(1.5)", TypeError, r"got 1\.5",
           r"seed must be a non-negative integer")
def float_seed(ctx: Context) -> None:
    ctx.watch(ag.random.get_generator())
    ag.manual_seed(1.5)


@bad_input("seeds", "A data set with a negative seed", "datasets.make_moons(10, seed=-1)",
           ValueError, r"got -1", r"seed must be a non-negative integer, None or a numpy "
           r"Generator")
def dataset_negative_seed(ctx: Context) -> None:
    ag.datasets.make_moons(10, seed=-1)


@bad_input("seeds", "A data set of no samples", "datasets.make_circles(0)", ValueError,
           r"got 0", r"n must be at least 1")
def dataset_without_samples(ctx: Context) -> None:
    ag.datasets.make_circles(0)


@bad_input("seeds", "Negative noise", "datasets.make_line(10, 2.0, 1.0, noise=-0.1)", ValueError,
           r"got -0\.1", r"noise must be a finite number >= 0")
def dataset_negative_noise(ctx: Context) -> None:
    ag.datasets.make_line(10, 2.0, 1.0, noise=-0.1)


# ----- graphs -----------------------------------------------------------------------------------
@bad_input(GRAPHS, "backward() twice through one graph", "loss.backward(); loss.backward()",
           RuntimeError, r"already freed by an earlier backward\(\)",
           r"Pass retain_graph=True to the first backward\(\)")
def backward_twice(ctx: Context) -> None:
    x = param()
    loss = (x * x).sum()
    loss.backward()
    ctx.watch(x)
    loss.backward()


@bad_input(GRAPHS, "A second loss through a part already freed by the first",
           "h = x.exp(); h.sum().backward(); (h * 2).sum().backward()", RuntimeError,
           r"op 'exp' saved for backward .* already freed", r"Pass retain_graph=True")
def backward_through_a_freed_shared_part(ctx: Context) -> None:
    x = param()
    h = x.exp()
    h.sum().backward()
    ctx.watch(x)
    (h * 2).sum().backward()


@bad_input(GRAPHS, "backward() of a non-scalar without grad", "(x * 2).backward()",
           RuntimeError, r"the output has shape \(2, 3\), not a single number",
           r"Pass grad= an array of that shape .* or reduce the output first")
def backward_of_a_vector(ctx: Context) -> None:
    (param() * 2).backward()


@bad_input(GRAPHS, "backward() of something that needs no gradient",
           "Tensor([1.0, 2.0]).sum().backward()", RuntimeError, r"does not require grad",
           r"Create an input with requires_grad=True")
def backward_without_inputs_requiring_grad(ctx: Context) -> None:
    Tensor([1.0, 2.0]).sum().backward()


@bad_input(GRAPHS, "backward() of a loss built under no_grad()",
           "with ag.no_grad(): loss = (x * 2).sum()\nloss.backward()", RuntimeError,
           r"does not require grad", r"do not build the graph under no_grad\(\)")
def backward_of_a_no_grad_result(ctx: Context) -> None:
    with ag.no_grad():
        loss = (param() * 2).sum()
    loss.backward()


@bad_input(GRAPHS, "Writing into an input that backward still needs",
           "loss = (x * x).sum(); x.data[0, 0] = 5; loss.backward()", RuntimeError,
           r"tensor 'x' of shape \(2, 3\) was changed in place .* op 'mul' saved it",
           r"Change values only after backward\(\)")
def in_place_write_to_a_saved_input(ctx: Context) -> None:
    x = param()
    x.label = "x"
    loss = (x * x).sum()
    x.data[0, 0] = 5
    ctx.watch(x)
    loss.backward()


@bad_input(GRAPHS, "An in-place operator on a parameter while recording",
           "w = Tensor(np.ones(3), requires_grad=True); w -= 0.1", RuntimeError,
           r"-=: tensor 'w' is a leaf that requires grad",
           r"inside `with no_grad\(\):`.*t = t - other")
def in_place_operator_on_a_leaf_while_recording(ctx: Context) -> None:
    w = param()
    w.label = "w"
    ctx.watch(w)
    w -= 0.1


@bad_input(GRAPHS, "An in-place operator that would change the shape",
           "with no_grad(): b += np.ones((4, 3))  # b has shape (3,)", ShapeError,
           r"\+=: the result would have shape \(4, 3\).*shape \(3,\)",
           r"write t = t \+ other for a new tensor")
def in_place_operator_changing_the_shape(ctx: Context) -> None:
    b = param((3,))
    ctx.watch(b)
    with ag.no_grad():
        b += np.ones((4, 3))


@bad_input(GRAPHS, "An in-place operator on a view of a tensor on the graph, while recording",
           "y = x + 1; v = y[:1]; v += w  # x of shape (2, 3)", RuntimeError,
           r"\+=: tensor of shape \(1, 3\) shares its memory with tensor of shape \(2, 3\)",
           r"Write t = t \+ other for a new tensor, or make the change inside `with no_grad")
def in_place_operator_on_a_view_while_recording(ctx: Context) -> None:
    x = param()
    y = x + 1
    v = y[:1]
    ctx.watch(x, y, v)
    v += param((1, 3))


@bad_input(GRAPHS, "An in-place operator whose result the tensor's dtype cannot hold",
           "t = Tensor(np.array([1, 2])); t += 0.5", TypeError,
           r"\+=: the result has dtype float64, which the tensor's dtype int64 cannot hold",
           r"convert the tensor first, e\.g\. t = Tensor\(t\.data\.astype\(np\.float64\)\)")
def in_place_operator_with_a_result_of_another_kind(ctx: Context) -> None:
    t = Tensor(np.array([1, 2]))
    ctx.watch(t)
    t += 0.5


@bad_input(GRAPHS, "no_grad() on an async function",
           "@ag.no_grad()\nasync def evaluate(model, batch): ...", TypeError,
           r"cannot decorate the async function .*evaluate",
           r"Use `with no_grad\(\):` inside it, around code without an await")
def no_grad_on_an_async_function(ctx: Context) -> None:
    async def evaluate(model: Any, batch: Any) -> None:
        return None

    ag.no_grad()(evaluate)


@bad_input(GRAPHS, "Writing into np.asarray(t)",
           "a = np.asarray(x); a[0] = 5.0", ValueError,
           r"read-only", r"")
def write_into_asarray_of_a_tensor(ctx: Context) -> None:
    x = param((3,))
    ctx.watch(x)
    np.asarray(x)[0] = 5.0


@bad_input(GRAPHS, "Writing into a broadcast view",
           "v = x.broadcast_to((2, 3)); v.data[0, 0] = 5.0", ValueError,
           r"broadcast view \(several elements share one memory location\)",
           r"copy it first, e\.g\. Tensor\(np\.array\(t\.data\)\)")
def write_into_a_broadcast_view(ctx: Context) -> None:
    x = param((3,))
    ctx.watch(x)
    x.broadcast_to((2, 3)).data[0, 0] = 5.0


@bad_input(GRAPHS, "Changing an output that backward still needs",
           "h = x.exp(); loss = h.sum(); h.data += 1; loss.backward()", RuntimeError,
           r"changed in place .* after op 'exp' saved it",
           r"run the forward pass again after the change")
def in_place_change_of_a_saved_output(ctx: Context) -> None:
    x = param()
    h = x.exp()
    loss = h.sum()
    h.data += 1
    ctx.watch(x)
    loss.backward()


@bad_input(GRAPHS, "retain_grad() on a tensor that gets no gradient",
           "Tensor(np.ones(2)).retain_grad()", RuntimeError, r"does not require grad",
           r"requires_grad=True")
def retain_grad_without_grad(ctx: Context) -> None:
    Tensor(np.ones(2)).retain_grad()


@bad_input(GRAPHS, "A hook that is not a function", "x.register_hook(3)", TypeError,
           r"expected a callable, got int", r"pass a function fn\(grad\)")
def hook_not_callable(ctx: Context) -> None:
    param().register_hook(3)


@bad_input(GRAPHS, "A hook that returns a gradient of another shape",
           "y.register_hook(lambda g: np.ones(5))", ShapeError,
           r"returned a gradient of shape \(5,\) for a node of shape \(2, 3\)",
           r"must return None or a gradient of the node's shape")
def hook_returns_wrong_shape(ctx: Context) -> None:
    x = param()
    y = x * 2
    y.register_hook(lambda g: np.ones(5))
    ctx.watch(x)
    y.sum().backward()


# ----- custom ops -------------------------------------------------------------------------------
@bad_input("custom ops", "A Function whose forward returns a tuple",
           "class F(ag.Function): forward returns (x, x)", TypeError,
           r"Twice\.forward returned a tuple", r"a Function has one output")
def function_with_two_outputs(ctx: Context) -> None:
    class Twice(ag.Function):
        def forward(self, x):
            return x, x

        def vjp(self, grad_out):
            return grad_out

    Twice.apply(param())


@bad_input("custom ops", "A Function whose forward writes into its input",
           "def forward(self, x): x *= 2; return x", ValueError,
           r"Doubler\.forward wrote into one of its inputs",
           r"Compute a new array instead \(x = x \* 2, not x \*= 2\)")
def function_forward_writes_its_input(ctx: Context) -> None:
    class Doubler(ag.Function):
        def forward(self, x):
            x *= 2
            return x

        def vjp(self, grad_out):
            return 2 * grad_out

    x = param()
    ctx.watch(x)
    Doubler.apply(x)


@bad_input("custom ops", "A Function whose vjp returns too few gradients",
           "vjp returns one gradient for two inputs", RuntimeError,
           r"Product\.vjp returned 1 gradient\(s\) for 2 input\(s\)",
           r"return a tuple with one gradient \(or None\) per input")
def function_vjp_too_few(ctx: Context) -> None:
    class Product(ag.Function):
        def forward(self, x, y):
            return x * y

        def vjp(self, grad_out):
            return grad_out

    x = param()
    ctx.watch(x)
    Product.apply(x, x).sum().backward()


@bad_input("custom ops", "A Function whose vjp returns a gradient of the wrong shape",
           "vjp returns grad_out[:1] for a (2, 3) input", ShapeError,
           r"a gradient of shape \(1, 3\) cannot be summed back to the input's shape \(2, 3\)",
           r"vjp must return, for each input, a gradient of that input's shape")
def function_vjp_wrong_shape(ctx: Context) -> None:
    class Half(ag.Function):
        def forward(self, x):
            return x * 0.5

        def vjp(self, grad_out):
            return grad_out[:1] * 0.5

    x = param()
    ctx.watch(x)
    Half.apply(x).sum().backward()


@bad_input("custom ops", "A Function without a vjp", "class Double(ag.Function): no vjp",
           NotImplementedError, r"Double", r"must define vjp\(self, grad_out\)")
def function_without_vjp(ctx: Context) -> None:
    class Double(ag.Function):
        def forward(self, x):
            return x * 2

    Double.apply(param()).sum().backward()


@bad_input("custom ops", "Differentiating twice through a value computed in forward",
           "self.cos_x = np.cos(x) in forward; ag.hessian(f)(x)", RuntimeError,
           r"SinKeepingCos: cannot differentiate the derivative .* self\.cos_x: it is neither an "
           r"input of the op nor its output",
           r"compute cos_x inside vjp from them with operations that work on arrays and Tensors")
def function_derived_value_differentiated_twice(ctx: Context) -> None:
    class SinKeepingCos(ag.Function):
        def forward(self, x):
            self.cos_x = np.cos(x)
            return np.sin(x)

        def vjp(self, grad_out):
            return grad_out * self.cos_x

    ag.hessian(lambda x: SinKeepingCos.apply(x).sum())(np.array([0.7]))


@bad_input("custom ops", "A Function written as PyTorch's (a static forward(ctx, x), backward)",
           "class P3(ag.Function): @staticmethod def forward(ctx, x): ...", TypeError,
           r"P3 is written like PyTorch's torch\.autograd\.Function",
           r"def vjp\(self, grad_out\)")
def function_written_as_pytorchs(ctx: Context) -> None:
    class P3(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)


@bad_input("custom ops", "micrograd's Value(data, children, op)", "Value(t, (self,), 'tanh')",
           TypeError, r"micrograd's way to record an operation by hand",
           r"define the operation once as a Function subclass")
def micrograd_children_argument(ctx: Context) -> None:
    a = Value(0.5)
    Value(0.46, (a,), "tanh")


# ----- optimizers -------------------------------------------------------------------------------
@bad_input("optimizers", "A model instead of its parameters", "optim.SGD(model, lr=0.1)",
           TypeError, r"got Linear", r"did you mean model\.parameters\(\)")
def optimizer_given_a_model(ctx: Context) -> None:
    optim.SGD(nn.Linear(2, 1), lr=0.1)


@bad_input("optimizers", "The parameters method, not called", "optim.Adam(model.parameters)",
           TypeError, r"got method", r"call it, e\.g\. model\.parameters\(\)")
def optimizer_given_the_method(ctx: Context) -> None:
    optim.Adam(nn.Linear(2, 1).parameters)


@bad_input("optimizers", "A single tensor instead of a list", "optim.SGD(w, lr=0.1)", TypeError,
           r"got a single Tensor", r"wrap it in a list")
def optimizer_given_one_tensor(ctx: Context) -> None:
    optim.SGD(param(), lr=0.1)


@bad_input("optimizers", "An empty parameter list", "optim.SGD(nn.ReLU().parameters(), lr=0.1)",
           ValueError, r"empty parameter list", r"pass model\.parameters\(\) of a model that "
           r"has parameters")
def optimizer_without_parameters(ctx: Context) -> None:
    optim.SGD(nn.ReLU().parameters(), lr=0.1)


@bad_input("optimizers", "A parameter that does not require grad",
           "optim.SGD([Tensor(np.ones(2))], lr=0.1)", ValueError,
           r"parameter 0 \(Tensor of shape \(2,\)\) does not require grad",
           r"create it with requires_grad=True")
def optimizer_parameter_without_grad(ctx: Context) -> None:
    optim.SGD([Tensor(np.ones(2))], lr=0.1)


@bad_input("optimizers", "A negative learning rate", "optim.SGD(params, lr=-0.1)", ValueError,
           r"got -0\.1", r"lr must be a positive number")
def negative_learning_rate(ctx: Context) -> None:
    optim.SGD([param()], lr=-0.1)


@bad_input("optimizers", "A learning rate given as a string", 'optim.Adam(params, lr="1e-3")',
           TypeError, r"got '1e-3'", r"lr must be a positive number")
def string_learning_rate(ctx: Context) -> None:
    optim.Adam([param()], lr="1e-3")


@bad_input("optimizers", "Momentum of 1 or more", "optim.SGD(params, lr=0.1, momentum=1.0)",
           ValueError, r"got 1\.0", r"momentum must be in \[0, 1\)")
def momentum_one(ctx: Context) -> None:
    optim.SGD([param()], lr=0.1, momentum=1.0)


@bad_input("optimizers", "Adam betas that are not a pair", "optim.Adam(params, betas=(0.9,))",
           TypeError, r"got \(0\.9,\)", r"betas must be a pair of numbers in \[0, 1\)")
def adam_betas_not_a_pair(ctx: Context) -> None:
    optim.Adam([param()], betas=(0.9,))


@bad_input("optimizers", "Setting the learning rate to zero between steps", "opt.lr = 0",
           ValueError, r"got 0\.0", r"lr must be a positive number")
def learning_rate_set_to_zero(ctx: Context) -> None:
    opt = optim.SGD([param()], lr=0.1)
    ctx.watch(opt)
    opt.lr = 0


@bad_input("optimizers", "step() with a gradient of the wrong shape (nothing is updated)",
           "model.bias.grad = np.ones(5); opt.step()", ValueError,
           r"parameter 1 \('bias' Tensor of shape \(3,\)\) has a gradient of shape \(5,\)",
           r"reset them with zero_grad\(\)")
def step_with_a_wrongly_shaped_gradient(ctx: Context) -> None:
    model = nn.Linear(2, 3)
    opt = optim.Adam(model.parameters(), lr=0.1)
    (model(np.ones((4, 2))) ** 2).sum().backward()
    opt.step()
    model.bias.grad = np.ones(5)
    ctx.watch(model, opt)
    opt.step()


@bad_input("optimizers", "step() with a gradient that is not numbers (nothing is updated)",
           'model.bias.grad = np.array(["x", "y", "z"]); opt.step()', TypeError,
           r"parameter 1 \('bias' Tensor of shape \(3,\)\) has a gradient that is not real "
           r"numbers", r"reset them with zero_grad\(\)")
def step_with_a_non_numeric_gradient(ctx: Context) -> None:
    model = nn.Linear(2, 3)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    (model(np.ones((4, 2))) ** 2).sum().backward()
    model.bias.grad = np.array(["x", "y", "z"])
    ctx.watch(model, opt)
    opt.step()


@bad_input("optimizers", "step() with a complex gradient (nothing is updated)",
           "w.grad = w.grad * 1j; opt.step()", TypeError,
           r"has a gradient that is not real numbers", r"reset them with zero_grad\(\)")
def step_with_a_complex_gradient(ctx: Context) -> None:
    a, b = param(), param()
    opt = optim.SGD([a, b], lr=0.1)
    a.grad = np.ones(a.shape)
    b.grad = np.ones(b.shape) * 1j
    ctx.watch(a, b, opt)
    opt.step()


@bad_input("optimizers", "step() on a Value whose gradient was set to None",
           "v.grad = None; opt.step()", TypeError, r"\(Value\) has a gradient that is not real "
           r"numbers: None", r"reset them with zero_grad\(\)")
def step_with_a_value_gradient_of_none(ctx: Context) -> None:
    u, v = Value(1.0), Value(2.0)
    u.grad = 0.5
    v.grad = None
    opt = optim.SGD([u, v], lr=0.1)
    ctx.watch(u, v, opt)
    opt.step()


# ----- modules and state dicts ---------------------------------------------------------------
@bad_input("modules and state dicts", "A state dict from another architecture",
           "nn.Linear(2, 3).load_state_dict({'weight': np.ones((3, 3)), 'extra': 1})",
           ValueError, r"missing keys: bias\n  unexpected keys: extra\n  weight: shape "
           r"\(3, 3\) in the state dict, \(3, 2\) in the model",
           r"No parameter was changed\. Load a state dict saved from a model of the same "
           r"architecture")
def state_dict_of_another_model(ctx: Context) -> None:
    model = nn.Linear(2, 3)
    ctx.watch(model)
    model.load_state_dict({"weight": np.ones((3, 3)), "extra": 1})


@bad_input("modules and state dicts", "A state dict with one wrong shape among right ones",
           "mlp.load_state_dict(state)  # one shape wrong", ValueError,
           r"layers\.1\.weight: shape \(1, 5\) in the state dict, \(1, 4\) in the model",
           r"No parameter was changed")
def state_dict_with_one_wrong_shape(ctx: Context) -> None:
    model = nn.MLP(2, [4, 1])
    state = {k: v + 1.0 for k, v in model.state_dict().items()}
    state["layers.1.weight"] = np.ones((1, 5))
    ctx.watch(model)
    model.load_state_dict(state)


@bad_input("modules and state dicts", "A state dict that is not a mapping",
           "model.load_state_dict([w, b])", TypeError, r"got list",
           r"expected a mapping of names to arrays")
def state_dict_not_a_mapping(ctx: Context) -> None:
    model = nn.Linear(2, 3)
    ctx.watch(model)
    model.load_state_dict([np.ones((3, 2)), np.ones(3)])


@bad_input("modules and state dicts", "A state dict holding text", "{'weight': [['a', 'b']] * 3}",
           ValueError, r"weight: expected numbers, got an array of dtype <U1",
           r"No parameter was changed")
def state_dict_of_strings(ctx: Context) -> None:
    model = nn.Linear(2, 3)
    ctx.watch(model)
    model.load_state_dict({"weight": np.array([["a", "b"]] * 3), "bias": np.ones(3)})


@bad_input("modules and state dicts", "A layer of size 0", "nn.Linear(0, 3)", ValueError,
           r"got 0", r"in_features must be a positive integer")
def linear_of_size_zero(ctx: Context) -> None:
    nn.Linear(0, 3)


@bad_input("modules and state dicts", "An unknown activation", 'nn.MLP(2, [3, 1], "gelu")',
           ValueError, r"unknown activation 'gelu'", r"valid ones are 'relu', 'tanh', 'sigmoid'")
def unknown_activation(ctx: Context) -> None:
    nn.MLP(2, [3, 1], activation="gelu")


@bad_input("modules and state dicts", "Layer sizes given as one int", "nn.MLP(2, 3)", TypeError,
           r"got 3", r"layer_sizes must be a list of positive integers such as \[16, 16, 1\]")
def layer_sizes_not_a_list(ctx: Context) -> None:
    nn.MLP(2, 3)


@bad_input("modules and state dicts", "A plain function inside Sequential",
           "nn.Sequential(nn.Linear(2, 2), np.tanh)", TypeError,
           r"item 1 is a ufunc, not a Module", r"wrap functions in a Module subclass")
def sequential_of_a_function(ctx: Context) -> None:
    nn.Sequential(nn.Linear(2, 2), np.tanh)


@bad_input("modules and state dicts", "A Module subclass without forward",
           "class Net(nn.Module): ...  # no forward; Net()(x)", NotImplementedError, r"Net",
           r"must define forward\(\)")
def module_without_forward(ctx: Context) -> None:
    class Net(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(2, 1)

    Net()(np.ones(2))


@bad_input("modules and state dicts", "A scalar MLP fed the wrong number of inputs",
           "nn.scalar.MLP(2, [3, 1])([1.0])", ValueError, r"got 1", r"expected 2 inputs")
def scalar_mlp_wrong_inputs(ctx: Context) -> None:
    nn.scalar.MLP(2, [3, 1])([1.0])


@bad_input("modules and state dicts", "A PyTorch loss option that is not supported",
           "nn.CrossEntropyLoss(weight=w)", TypeError, r"option weight= is not supported",
           r"\(losses \* w\[labels\]\)\.sum\(\) / w\[labels\]\.sum\(\)")
def loss_module_option(ctx: Context) -> None:
    nn.CrossEntropyLoss(weight=np.ones(3))


@bad_input("modules and state dicts", "A frozen nn.Parameter",
           "nn.Parameter(w, requires_grad=False)", ValueError,
           r"requires_grad=False \(a frozen weight\) is not supported",
           r"Keep a constant as a plain Tensor attribute")
def frozen_parameter(ctx: Context) -> None:
    nn.Parameter(np.ones(3), requires_grad=False)


@bad_input("modules and state dicts", "Flatten of one sample without a batch axis",
           "nn.Flatten()(np.zeros(5))", IndexError, r"axis 1 is out of range",
           r"a single sample needs Flatten\(0\) or a batch axis")
def flatten_without_batch_axis(ctx: Context) -> None:
    nn.Flatten()(np.zeros(5))


# ----- files ----------------------------------------------------------------------------------
@bad_input("files", "Loading a file that does not exist", 'model.load("missing.npz")',
           FileNotFoundError, r"there is no file '.*missing\.npz'", r"check the path")
def load_missing_file(ctx: Context) -> None:
    model = nn.Linear(2, 1)
    ctx.watch(model)
    model.load(ctx.tmp / "missing.npz")


@bad_input("files", "Loading a text file", 'model.load("notes.txt")', ValueError,
           r"'.*notes\.txt' is not a model saved with Module\.save",
           r"Load a file written by module\.save\(path\)")
def load_text_file(ctx: Context) -> None:
    path = ctx.tmp / "notes.txt"
    path.write_text("weights: 1, 2, 3")
    model = nn.Linear(2, 1)
    ctx.watch(model)
    model.load(path)


@bad_input("files", "Loading a truncated file", 'model.load("cut.npz")  # half a saved model',
           ValueError, r"'.*cut\.npz' is not a model saved with Module\.save \(.*zip",
           r"Load a file written by module\.save\(path\)")
def load_truncated_file(ctx: Context) -> None:
    model = nn.Linear(2, 1)
    path = ctx.tmp / "cut.npz"
    model.save(path)
    path.write_bytes(path.read_bytes()[:300])
    ctx.watch(model)
    model.load(path)


@bad_input("files", "Loading a pickle", 'model.load("model.pkl")', ValueError,
           r"not a model saved with Module\.save", r"files that need pickle are never loaded")
def load_a_pickle(ctx: Context) -> None:
    path = ctx.tmp / "model.pkl"
    path.write_bytes(pickle.dumps({"weight": np.ones((1, 2)), "bias": np.ones(1)}))
    model = nn.Linear(2, 1)
    ctx.watch(model)
    model.load(path)


@bad_input("files", "Loading a model saved from another architecture",
           'nn.MLP(2, [4, 4, 1]).load("mlp.npz")  # saved from nn.MLP(2, [4, 1])', ValueError,
           r"missing keys: layers\.2\.weight, layers\.2\.bias",
           r"No parameter was changed\. Load a file saved from a model of the same")
def load_other_architecture(ctx: Context) -> None:
    path = ctx.tmp / "mlp.npz"
    nn.MLP(2, [4, 1]).save(path)
    model = nn.MLP(2, [4, 4, 1])
    ctx.watch(model)
    model.load(path)


# ----- function transforms --------------------------------------------------------------------
@bad_input("function transforms", "grad of a function with a vector output",
           "ag.grad(lambda x: x * 2)(np.ones(3))", ValueError,
           r"f returned a Tensor of shape \(3,\), but grad needs a single number",
           r"Use jacobian\(f\)")
def grad_of_a_vector_function(ctx: Context) -> None:
    ag.grad(lambda x: x * 2)(np.ones(3))


@bad_input("function transforms", "argnums past the arguments",
           "ag.grad(f, argnums=2)(np.ones(3))", ValueError,
           r"argnums=2 is out of range for a call with 1 positional argument",
           r"valid: 0 \.\. 0")
def grad_argnums_out_of_range(ctx: Context) -> None:
    ag.grad(lambda x: x.sum(), argnums=2)(np.ones(3))


@bad_input("function transforms", "argnums given as a string", 'ag.grad(f, argnums="0")',
           TypeError, r"got '0'", r"argnums must be an int or a non-empty tuple of ints")
def grad_argnums_string(ctx: Context) -> None:
    ag.grad(lambda x: x.sum(), argnums="0")


@bad_input("function transforms", "An integer array as the point",
           "ag.grad(f)(np.arange(3))", TypeError, r"integer dtype int64",
           r"Pass it as floats, e\.g\. x\.astype\(float\)")
def grad_at_integers(ctx: Context) -> None:
    ag.grad(lambda x: (x * x).sum())(np.arange(3))


@bad_input("function transforms", "A function that leaves the graph",
           "ag.grad(lambda x: float(x.sum()))(np.ones(3))", TypeError,
           r"f returned a float, not an autograd_lite Tensor",
           r"Build the result with autograd_lite operations")
def grad_of_a_float_result(ctx: Context) -> None:
    ag.grad(lambda x: float(x.sum()))(np.ones(3))


@bad_input("function transforms", "A function that returns a pair",
           "ag.grad(lambda x: (x.sum(), x.mean()))(np.ones(3))", TypeError,
           r"f returned a tuple of 2 items", r"pass has_aux=True")
def grad_of_a_pair(ctx: Context) -> None:
    ag.grad(lambda x: (x.sum(), x.mean()))(np.ones(3))


@bad_input("function transforms", "An unknown Jacobian mode",
           'ag.jacobian(f, mode="sideways")', ValueError, r"got 'sideways'",
           r"mode must be one of \('auto', 'rev', 'fwd'\)")
def jacobian_unknown_mode(ctx: Context) -> None:
    ag.jacobian(lambda x: x, mode="sideways")


@bad_input("function transforms", "hessian of a vector function",
           "ag.hessian(lambda x: x * 2)(np.ones(3))", ValueError,
           r"f returned a Tensor of shape \(3,\), but hessian needs a single number",
           r"Use jacobian\(jacobian\(f\)\)")
def hessian_of_a_vector_function(ctx: Context) -> None:
    ag.hessian(lambda x: x * 2)(np.ones(3))


@bad_input("function transforms", "A cotangent of the wrong shape",
           "ag.vjp(lambda x: x * 2, np.ones(3))[1](np.ones(2))", ShapeError,
           r"the cotangent has shape \(2,\) but f's output has shape \(3,\)",
           r"pass one of the output's shape")
def vjp_cotangent_shape(ctx: Context) -> None:
    ag.vjp(lambda x: x * 2, np.ones(3))[1](np.ones(2))


@bad_input("function transforms", "A tangent of the wrong shape",
           "ag.jvp(f, (np.ones(3),), (np.ones(2),))", ShapeError,
           r"tangent 0 has shape \(2,\) but primal 0 has shape \(3,\)",
           r"each tangent must have its primal's shape")
def jvp_tangent_shape(ctx: Context) -> None:
    ag.jvp(lambda x: x * 2, (np.ones(3),), (np.ones(2),))


@bad_input("function transforms", "More tangents than primals",
           "ag.jvp(f, (x,), (v, v))", ValueError, r"got 1 primal\(s\) but 2 tangent\(s\)",
           r"give one tangent per primal")
def jvp_tangent_count(ctx: Context) -> None:
    ag.jvp(lambda x: x * 2, (np.ones(3),), (np.ones(3), np.ones(3)))


@bad_input("function transforms", "A transform of something that is not a function",
           "ag.grad(3)", TypeError, r"got int", r"expected a function")
def transform_of_a_number(ctx: Context) -> None:
    ag.grad(3)


@bad_input("function transforms", "numerical_grad of a function returning a tuple",
           "ag.numerical_grad(lambda x: (x, x), np.ones(3))", TypeError,
           r"f returned a tuple", r"it must return a Tensor, a float or an ndarray")
def numerical_grad_of_a_tuple(ctx: Context) -> None:
    ag.numerical_grad(lambda x: (x, x), np.ones(3))


@bad_input("function transforms", "None inside a pytree of parameters",
           'ag.grad(loss)({"W": W, "b": None})', TypeError, r"grad: argument 0\['b'\] is None",
           r"Leave it out of the structure, or pass the value it stands for")
def grad_of_a_pytree_with_none(ctx: Context) -> None:
    ag.grad(lambda p: (p["W"] ** 2).sum())({"W": np.ones(2), "b": None})


@bad_input("function transforms", "A string inside a pytree argument",
           'ag.grad(f)([1.0, "2.0"])', TypeError,
           r"grad: argument 0\[1\] is a str, not a float or an ndarray",
           r"differentiated arguments are floats and float arrays, or lists, tuples and dicts")
def grad_of_a_pytree_with_a_string(ctx: Context) -> None:
    ag.grad(lambda p: p[0] * 2)([1.0, "2.0"])


@bad_input("function transforms", "A list that contains itself", "p = [1.0]; p.append(p); "
           "ag.grad(f)(p)", ValueError, r"argument 0: the list at \[1\] contains itself",
           r"pass a tree, not a cycle")
def grad_of_a_cyclic_list(ctx: Context) -> None:
    loop: list = [1.0]
    loop.append(loop)
    ag.grad(lambda p: p[0] * 2)(loop)


@bad_input("function transforms", "A value read out of the graph for control flow",
           "ag.grad(lambda x: Tensor(1.0) if float(x) > 0 else Tensor(-1.0))(0.5)", TypeError,
           r"f read the values of argument 0 out of the graph .* its output does not depend on "
           r"argument 0 through the graph", r"compare the Tensor itself \(if x > 0: \.\.\.\)")
def grad_after_reading_the_argument(ctx: Context) -> None:
    ag.grad(lambda x: Tensor(1.0) if float(x) > 0 else Tensor(-1.0))(0.5)


@bad_input("function transforms", "A cotangent without the output's structure",
           'ag.vjp(lambda x: {"y": x, "z": x.sum()}, x)[1]({"y": x})', ValueError,
           r"the cotangent has the structure a dict with keys \['y'\] but must have a dict with "
           r"keys \['y', 'z'\]", r"give it that structure")
def vjp_cotangent_structure(ctx: Context) -> None:
    _, vjp_fn = ag.vjp(lambda x: {"y": x * 2, "z": x.sum()}, np.ones(2))
    vjp_fn({"y": np.ones(2)})


@bad_input("function transforms", "A tangent without its primal's structure",
           'ag.jvp(f, ({"a": x, "b": 1.0},), ({"a": v},))', ValueError,
           r"tangent 0 has the structure a dict with keys \['a'\] but must have a dict with "
           r"keys \['a', 'b'\]", r"same containers, same keys, one array per leaf")
def jvp_tangent_structure(ctx: Context) -> None:
    ag.jvp(lambda p: p["a"] * p["b"], ({"a": np.ones(2), "b": 1.0},), ({"a": np.ones(2)},))


# ----- drawing and stepping -------------------------------------------------------------------
@bad_input("drawing and stepping", "Drawing something that is not a node", "ag.draw_graph(3)",
           TypeError, r"got int", r"expected a Value or a Tensor")
def draw_a_number(ctx: Context) -> None:
    ag.draw_graph(3)


@bad_input("drawing and stepping", "An unknown drawing direction",
           'ag.draw_graph(v, rankdir="XY")', ValueError, r"got 'XY'",
           r"rankdir must be 'LR', 'TB', 'RL' or 'BT'")
def draw_with_unknown_rankdir(ctx: Context) -> None:
    ag.draw_graph(Value(1.0), rankdir="XY")


@bad_input("drawing and stepping", "Stepping through a non-scalar output",
           "list(ag.backward_steps(x * 2))", RuntimeError,
           r"backward_steps: the output has shape \(2, 3\), not a single number",
           r"Pass grad= an array of that shape .*, or reduce the output first")
def step_through_a_vector(ctx: Context) -> None:
    list(ag.backward_steps(param() * 2))


# ----- command line -------------------------------------------------------------------------
@bad_input("command line", "Zero epochs", "autograd-lite demo --epochs 0", SystemExit,
           r"argument --epochs: expected a positive integer, got '0'", r"usage: autograd-lite")
def cli_zero_epochs(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main(["demo", "--epochs", "0", "--out", str(ctx.tmp)])


@bad_input("command line", "An unknown engine", "autograd-lite demo --engine gpu", SystemExit,
           r"invalid choice: 'gpu'", r"choose from 'tensor', 'scalar'|choose from tensor, scalar")
def cli_unknown_engine(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main(["demo", "--engine", "gpu"])


@bad_input("command line", "Hidden widths that are not numbers",
           "autograd-lite demo --hidden 16,x", SystemExit, r"got '16,x'",
           r"comma-separated positive integers such as 16,16")
def cli_bad_hidden_widths(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main(["demo", "--hidden", "16,x"])


@bad_input("command line", "No subcommand", "autograd-lite", SystemExit,
           r"the following arguments are required: COMMAND", r"usage: autograd-lite")
def cli_without_a_command(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main([])


# ----- numbers that cannot be represented, complex numbers, graphs without gradients ---------
@bad_input("dtypes and data", "An integer beyond float64", "Tensor(2**1024)", OverflowError,
           r"the integer 179769313486\.\.\.7216 \(309 digits\) is too large for float64",
           r"scale it down")
def int_beyond_float64(ctx: Context) -> None:
    Tensor(2**1024)


@bad_input("dtypes and data", "An integer beyond a requested dtype",
           "Tensor(2**70, dtype=np.int64)", OverflowError,
           r"the integer 1180591620717411303424 is too large for int64", r"scale it down")
def int_beyond_int64(ctx: Context) -> None:
    Tensor(2**70, dtype=np.int64)


@bad_input("dtypes and data", "A Value of an integer beyond a float", "Value(1.0) * 2**1024",
           OverflowError, r"the integer 179769313486\.\.\.7216 \(309 digits\) is too large",
           r"scale it down")
def value_int_beyond_float(ctx: Context) -> None:
    Value(1.0) * 2**1024


@bad_input("dtypes and data", "None among the numbers", "Tensor([1.0, None])", TypeError,
           r"got an array of dtype object holding NoneType None", r"pass numbers")
def none_among_numbers(ctx: Context) -> None:
    Tensor([1.0, None])


@bad_input("dtypes and data", "A complex operand meeting a tensor that requires grad",
           "x * np.full((2, 3), 1j)", TypeError,
           r"mul: the result is complex \(inputs of dtype float64, complex128\)",
           r"Split the computation into real and imaginary parts")
def complex_operand(ctx: Context) -> None:
    x = param()
    ctx.watch(x)
    x * np.full((2, 3), 1j)


@bad_input("dtypes and data", "A complex gradient to start backward from",
           "(x * 2).backward(np.full((2, 3), 1 + 1j))", TypeError,
           r"backward: grad is complex \(complex128\)",
           r"Split the computation into real and imaginary parts")
def complex_seed(ctx: Context) -> None:
    x = param()
    y = x * 2
    ctx.watch(x)
    y.backward(np.full((2, 3), 1 + 1j))


@bad_input("function transforms", "A complex tangent",
           "ag.jvp(f, (np.ones(3),), (np.ones(3) * 1j,))", TypeError,
           r"jvp: tangent 0 is complex \(complex128\)",
           r"Split the computation into real and imaginary parts")
def complex_tangent(ctx: Context) -> None:
    ag.jvp(lambda x: x * 2, (np.ones(3),), (np.ones(3) * 1j,))


@bad_input("function transforms", "A complex cotangent", "vjp_fn(np.full(3, 1j))", TypeError,
           r"vjp: the cotangent is complex \(complex128\)",
           r"Split the computation into real and imaginary parts")
def complex_cotangent(ctx: Context) -> None:
    _, vjp_fn = ag.vjp(lambda x: x * 2, np.ones(3))
    vjp_fn(np.full(3, 1j))


@bad_input(GRAPHS, "A hook that returns a complex gradient",
           "y.register_hook(lambda g: g * 1j)", TypeError,
           r"hook <lambda> returned a complex gradient \(complex128\)",
           r"Split the computation into real and imaginary parts")
def hook_returns_complex(ctx: Context) -> None:
    x = param()
    y = x * 2
    y.register_hook(lambda g: g * 1j)
    ctx.watch(x)
    y.sum().backward()


@bad_input("custom ops", "A Function whose vjp returns a complex gradient",
           "class Rotate(ag.Function): vjp returns grad_out * 1j", TypeError,
           r"the gradient for node id N is complex \(complex128\), from a custom Function's vjp",
           r"Split the computation into real and imaginary parts")
def function_complex_gradient(ctx: Context) -> None:
    class Rotate(ag.Function):
        def forward(self, x):
            return x

        def vjp(self, grad_out):
            return grad_out * 1j

    x = param()
    ctx.watch(x)
    Rotate.apply(x).sum().backward()


@bad_input(GRAPHS, "backward() of a Value computed under no_grad()",
           "with ag.no_grad(): c = a * b\nc.backward()", RuntimeError,
           r"this Value does not require grad: it was computed under no_grad\(\)",
           r"Build it from Value inputs outside no_grad\(\)")
def value_backward_under_no_grad(ctx: Context) -> None:
    a, b = Value(2.0), Value(-3.0)
    with ag.no_grad():
        c = a * b
    ctx.watch(a, b)
    c.backward()


@bad_input("shapes", "clip with Tensor bounds that do not broadcast",
           "x.clip(Tensor(np.zeros(4)), 1.0)  # x: (2, 3)", ShapeError,
           r"clip: shapes \(2, 3\) and \(4,\) cannot be broadcast", r"Reshape one operand")
def clip_bounds_do_not_broadcast(ctx: Context) -> None:
    param().clip(Tensor(np.zeros(4)), 1.0)


# ----- parameter names, saving and loading ----------------------------------------------------
@bad_input("modules and state dicts", "Two parameters with one dotted name",
           "self.blocks = {1: w, '1': v}; model.state_dict()", ValueError,
           r"two different parameters are both named 'blocks\.1'",
           r"Give them distinct names \(use distinct string keys without dots\)")
def colliding_parameter_names(ctx: Context) -> None:
    class Clash(nn.Module):
        def __init__(self) -> None:
            self.blocks = {1: param(), "1": param((3,))}

    Clash().state_dict()


@bad_input("files", "Saving a parameter whose name a zip archive cannot hold",
           "setattr(model, 'a\\0b', w); model.save('m.npz')", ValueError,
           r"the parameter name 'a\\x00b' contains a NUL character",
           r"rename the attribute or dict key that holds it")
def save_unstorable_name(ctx: Context) -> None:
    path = ctx.tmp / "m.npz"
    nn.Linear(2, 1).save(path)
    model = nn.Linear(2, 1)
    setattr(model, "a\0b", param())
    ctx.watch(path)
    model.save(path)


@bad_input("files", "Saving onto a folder", 'model.save("checkpoints")', IsADirectoryError,
           r"'.*checkpoints' is a folder", r"give a file name")
def save_onto_a_folder(ctx: Context) -> None:
    folder = ctx.tmp / "checkpoints"
    folder.mkdir()
    nn.Linear(2, 1).save(folder)


@bad_input("files", "Loading a single .npy array", 'model.load("weights.npy")', ValueError,
           r"it holds a single \.npy array, not an \.npz archive",
           r"Load a file written by module\.save\(path\)")
def load_single_array(ctx: Context) -> None:
    path = ctx.tmp / "weights.npy"
    np.save(path, np.zeros((1, 2)))
    model = nn.Linear(2, 1)
    ctx.watch(model)
    model.load(path)


@bad_input("files", "Loading a file with an unexpected array (refused before reading it)",
           'model.load("big.npz")  # holds an extra 80 MB array', ValueError,
           r"does not fit Linear:\n  unexpected keys: extra",
           r"No parameter was changed\. Load a file saved from a model of the same")
def load_unexpected_array(ctx: Context) -> None:
    path = ctx.tmp / "big.npz"
    model = nn.Linear(2, 1)
    from autograd_lite.nn.checkpoint import FORMAT_KEY, FORMAT_VERSION

    np.savez_compressed(path, extra=np.zeros(10_000_000), **model.state_dict(),
                        **{FORMAT_KEY: np.array(FORMAT_VERSION)})
    ctx.watch(model)
    model.load(path)


# ----- command line: sizes and the output folder ----------------------------------------------
@bad_input("command line", "An absurd number of samples", "autograd-lite demo --samples 1000000000",
           SystemExit, r"argument --samples: at most 20,000 points with the tensor engine, "
           r"got 1,000,000,000", r"see autograd-lite demo --help")
def cli_absurd_samples(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main(["demo", "--samples", str(10**9), "--out", str(ctx.tmp)])


@bad_input("command line", "An absurd hidden width", "autograd-lite demo --hidden 16,1000000000",
           SystemExit, r"argument --hidden: widths of at most 512 with the tensor engine",
           r"see autograd-lite demo --help")
def cli_absurd_width(ctx: Context) -> None:
    from autograd_lite import cli

    cli.main(["demo", "--hidden", f"16,{10**9}", "--out", str(ctx.tmp)])


@bad_input("command line", "An output folder that cannot be written (checked before training)",
           "autograd-lite demo --out notes.txt/demo  # notes.txt is a file", SystemExit,
           r"cannot write to the output folder .*notes\.txt/demo \(Not a directory\)",
           r"choose another with --out DIR")
def cli_unwritable_folder(ctx: Context) -> None:
    from autograd_lite import cli

    blocker = ctx.tmp / "notes.txt"
    blocker.write_text("")
    raise SystemExit(cli.main(["demo", "--epochs", "1", "--out", str(blocker / "demo")]))
