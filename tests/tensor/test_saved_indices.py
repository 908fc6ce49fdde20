"""An index or mask array changed after the forward pass never moves the gradient: every op
that keeps an index, a mask or labels until backward keeps its own copy. Each case runs the
forward pass, overwrites the caller's index in place, and compares backward (first and second
order, and forward mode) with PyTorch's gradient for the original index."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor
from autograd_lite.nn import functional as F

torch = pytest.importorskip("torch")

X = np.arange(12.0).reshape(3, 4) / 7 - 0.5
WEIGHTS = np.arange(1.0, 13.0)


def scramble(array: np.ndarray) -> None:
    """Overwrite an index, mask or label array in place with different valid entries."""
    if array.dtype == bool:
        array[...] = ~array
    else:
        array[...] = np.roll(array, 1) if array.ndim else 0
        if array.size > 1 and np.unique(array).size == 1:
            array.flat[0] = 0


def case_int_array():
    idx = np.array([2, 0, 0])
    return idx, (lambda x: x[idx]), (lambda t: t[torch.as_tensor(idx.copy())])


def case_int_pair():
    rows, cols = np.array([0, 2, 2]), np.array([3, 1, 3])
    return rows, (lambda x: x[rows, cols]), (lambda t: t[rows.copy(), cols.copy()])


def case_int_columns():
    cols = np.array([[3, 0], [1, 1]])
    return cols, (lambda x: x[:, cols]), (lambda t: t[:, torch.as_tensor(cols.copy())])


def case_mask():
    mask = X > 0
    return mask, (lambda x: x[mask]), (lambda t: t[torch.as_tensor(mask.copy())])


def case_row_mask():
    mask = np.array([True, False, True])
    return mask, (lambda x: x[mask, 1:]), (lambda t: t[torch.as_tensor(mask.copy()), 1:])


def case_tensor_index():
    idx = Tensor(np.array([1, 2]))
    return idx.data, (lambda x: x[idx]), (lambda t: t[torch.tensor([1, 2])])


def case_where():
    cond = X < 0.1
    return cond, (lambda x: ag.where(cond, x, -x)), \
        (lambda t: torch.where(torch.as_tensor(cond.copy()), t, -t))


def case_where_tensor_condition():
    cond = Tensor(X < 0.1)
    kept = np.array(X < 0.1)
    return cond.data, (lambda x: ag.where(cond, x * 2, 0.0)), \
        (lambda t: torch.where(torch.as_tensor(kept), t * 2, 0.0))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_changing_the_index_after_forward_does_not_move_the_gradient(name):
    index, ours, theirs = CASES[name]()
    xt = torch.tensor(X, requires_grad=True)
    ref = theirs(xt)  # PyTorch with the index as it was at the forward pass
    weights = WEIGHTS[:ref.numel()].reshape(tuple(ref.shape))
    loss_t = (ref * ref * torch.tensor(weights)).sum()
    (gt,) = torch.autograd.grad(loss_t, xt, create_graph=True)

    x = Tensor(X, requires_grad=True)
    out = ours(x)
    loss = (out * out * weights).sum()  # second order: the gradient depends on the values
    scramble(index)
    loss.backward(create_graph=True)
    first = x.grad
    np.testing.assert_allclose(first.data, gt.detach().numpy(), rtol=1e-12, atol=1e-12)
    # and the Hessian-vector product through the kept index
    x.grad = None
    direction = np.linspace(-1, 1, X.size).reshape(X.shape)
    (first * direction).sum().backward()
    (ht,) = torch.autograd.grad((gt * torch.tensor(direction)).sum(), xt)
    np.testing.assert_allclose(x.grad, ht.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("transform", ["grad", "jvp", "hessian"])
def test_a_function_that_reuses_its_index_buffer_keeps_its_derivatives(name, transform):
    """f uses the index, then overwrites it (a buffer reused for the next batch) before the
    transform runs its backward or forward sweep."""

    def make_f(mutate: bool):
        index, ours, _ = CASES[name]()

        def f(t):
            out = ours(t)
            total = (out * out).sum()
            if mutate:
                scramble(index)
            return total
        return f

    def run(f):
        if transform == "grad":
            return ag.grad(f)(X)
        if transform == "jvp":
            return ag.jvp(f, (X,), (np.linspace(0, 1, X.size).reshape(X.shape),))[1]
        return ag.hessian(f)(X)

    np.testing.assert_array_equal(run(make_f(True)), run(make_f(False)))


@pytest.mark.parametrize("source", ["ndarray", "tensor", "list"])
def test_cross_entropy_labels_changed_after_forward(source):
    labels = np.array([2, 0, 1])
    given = {"ndarray": labels, "tensor": Tensor(labels), "list": labels.tolist()}[source]
    x = Tensor(X, requires_grad=True)
    loss = F.cross_entropy(x, given)
    if source == "tensor":
        given.data[...] = [0, 0, 0]
    elif source == "ndarray":
        given[...] = [0, 0, 0]
    else:
        given[:] = [0, 0, 0]
    loss.backward()
    xt = torch.tensor(X, requires_grad=True)
    torch.nn.functional.cross_entropy(xt, torch.tensor([2, 0, 1])).backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_an_index_kept_by_a_drawing_is_the_forward_one():
    idx = np.array([0, 2])
    y = Tensor(X, requires_grad=True)[idx]
    idx[:] = [1, 1]
    assert "[<int64 array (2,)>]" in y._op.describe()
    np.testing.assert_array_equal(y._op.index, [0, 2])


def test_basic_indices_are_not_copied():
    x = Tensor(X, requires_grad=True)
    for index in (1, slice(0, 2), (Ellipsis, None, 2), (0, slice(None, None, -1))):
        assert x[index]._op.index == index


@pytest.mark.parametrize("loss", ["hinge", "bce", "mse"])
@pytest.mark.parametrize("source", ["ndarray", "tensor"])
def test_loss_targets_changed_after_forward(loss, source):
    """Targets and labels are kept by the losses until backward: a caller refilling the same
    array for the next batch must not change this batch's gradient (first or second order)."""
    scores = np.array([0.5, 0.2, -0.3, 1.5])
    first = np.array([1.0, -1.0, 1.0, -1.0]) if loss == "hinge" else np.array([1.0, 0.0, 1.0, 0.5])
    ours = {"hinge": F.hinge_loss, "bce": F.binary_cross_entropy_with_logits,
            "mse": F.mse_loss}[loss]
    functional = torch.nn.functional
    theirs = {
        "hinge": lambda s, y: torch.clamp(1 - s * y, min=0).mean(),
        "bce": functional.binary_cross_entropy_with_logits,
        "mse": functional.mse_loss,
    }[loss]
    targets = first.copy()
    given = Tensor(targets) if source == "tensor" else targets
    x = Tensor(scores, requires_grad=True)
    out = ours(x, given)
    (given.data if source == "tensor" else given)[...] = -first if loss == "hinge" else 1 - first
    if loss == "mse" and source == "tensor":
        # mse_loss differentiates a Tensor target too (it is an input of the op), so a
        # change to it is caught by the version check instead
        with pytest.raises(RuntimeError, match="was changed in place"):
            out.backward()
        return
    out.backward(create_graph=True)
    xt = torch.tensor(scores, requires_grad=True)
    (gt,) = torch.autograd.grad(theirs(xt, torch.tensor(first)), xt, create_graph=True)
    np.testing.assert_allclose(x.grad.data, gt.detach().numpy(), rtol=1e-12, atol=1e-12)
    if loss != "hinge":  # the hinge is piecewise linear: no second derivative to compare
        g = x.grad
        x.grad = None
        g.sum().backward()
        (ht,) = torch.autograd.grad(gt.sum(), xt)
        np.testing.assert_allclose(x.grad, ht.numpy(), rtol=1e-12, atol=1e-12)
