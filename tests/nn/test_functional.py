"""nn.functional losses against their NumPy formulas, including extreme logits."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import ShapeError, Tensor
from autograd_lite.nn import functional as F

rng = np.random.default_rng(7)


def reduce(x, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction](x)


def scale(reduction, n):
    return 1.0 / n if reduction == "mean" else 1.0


def run(loss_fn, inputs, *args, reduction):
    """The loss value and the gradient of its sum with respect to `inputs`."""
    x = Tensor(inputs, requires_grad=True)
    loss = loss_fn(x, *args, reduction=reduction)
    loss.sum().backward()
    return loss.data, x.grad


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss(reduction):
    pred, target = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    value, grad = run(F.mse_loss, pred, target, reduction=reduction)
    np.testing.assert_allclose(value, reduce((pred - target) ** 2, reduction), rtol=1e-12)
    np.testing.assert_allclose(grad, 2 * (pred - target) * scale(reduction, 10), rtol=1e-12)


def test_mse_loss_differentiates_a_tensor_target_and_refuses_silent_broadcasting():
    pred = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    target = Tensor(np.array([0.0, 4.0]), requires_grad=True)
    F.mse_loss(pred, target).backward()
    np.testing.assert_allclose(target.grad, [-1.0, 2.0])
    with pytest.raises(ShapeError, match=r"pred has shape \(3, 1\) but target has shape \(3,\)"):
        F.mse_loss(np.ones((3, 1)), np.ones(3))


def np_bce(z, y):
    return np.logaddexp(0.0, z) - z * y


def np_sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_with_logits(reduction):
    z = rng.normal(scale=3, size=(4, 3))
    y = rng.uniform(size=(4, 3))
    value, grad = run(F.binary_cross_entropy_with_logits, z, y, reduction=reduction)
    np.testing.assert_allclose(value, reduce(np_bce(z, y), reduction), rtol=1e-12)
    np.testing.assert_allclose(grad, (np_sigmoid(z) - y) * scale(reduction, 12), rtol=1e-10)


def test_binary_cross_entropy_extreme_logits_and_zero():
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0, 0.0, 0.0, 40.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    value, grad = run(F.binary_cross_entropy_with_logits, z, y, reduction="none")
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, [0.0, 1000.0, 1000.0, 0.0, np.log(2), np.log(2), 40.0],
                               rtol=1e-12, atol=1e-15)
    # the gradient is sigmoid(z) - y everywhere, including exactly at z = 0
    np.testing.assert_allclose(grad, [0.0, 1.0, -1.0, 0.0, -0.5, 0.5, 1.0], atol=1e-15)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_is_one_node(reduction):
    z = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, np.ones((3, 2)), reduction=reduction)
    assert loss.op == "binary_cross_entropy_with_logits" and loss.parents == (z,)
    assert loss.shape == ((3, 2) if reduction == "none" else ())


def test_binary_cross_entropy_second_derivative_is_sigmoid_slope_also_at_zero():
    """d2 loss / dz2 = s(z) (1 - s(z)): 1/4 at z = 0 (the tie of max(z, 0) must not leak in),
    about 0 at +-1000, finite everywhere."""
    z = Tensor(np.array([0.0, 0.0, 1000.0, -1000.0, 1.5]), requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.25])
    F.binary_cross_entropy_with_logits(z, y, reduction="sum").backward(create_graph=True)
    first = z.grad
    np.testing.assert_allclose(first.data, np_sigmoid(z.data) - y, atol=1e-15)
    z.grad = None
    first.sum().backward()  # the Hessian is diagonal: its diagonal
    s = np_sigmoid(z.data)
    np.testing.assert_allclose(z.grad, s * (1 - s), atol=1e-15)
    assert z.grad[0] == 0.25 and z.grad[1] == 0.25


def test_binary_cross_entropy_keeps_float32_and_copies_targets():
    z = Tensor(np.array([0.5, -2.0], dtype=np.float32), requires_grad=True)
    y = np.array([1.0, 0.0])
    loss = F.binary_cross_entropy_with_logits(z, y)
    y[:] = 0.5  # a later write into the caller's targets changes nothing
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32
    np.testing.assert_allclose(z.grad, (np_sigmoid(z.data.astype(float)) - [1.0, 0.0]) / 2,
                               rtol=1e-6)


def test_binary_cross_entropy_checks_targets():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        F.binary_cross_entropy_with_logits(np.zeros(3), np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ShapeError, match="logits has shape"):
        F.binary_cross_entropy_with_logits(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="finite"):
        F.binary_cross_entropy_with_logits(np.zeros(2), np.array([0.0, np.nan]))


def np_cross_entropy(logits, labels):
    m = logits.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
    return lse - logits[np.arange(len(labels)), labels]


def np_softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy(reduction):
    logits = rng.normal(scale=2, size=(6, 4))
    labels = np.array([0, 3, 1, 1, 2, 3])
    value, grad = run(F.cross_entropy, logits, labels, reduction=reduction)
    if reduction == "none":
        assert value.shape == (6,)
    np.testing.assert_allclose(value, reduce(np_cross_entropy(logits, labels), reduction),
                               rtol=1e-12)
    onehot = np.eye(4)[labels]
    np.testing.assert_allclose(grad, (np_softmax(logits) - onehot) * scale(reduction, 6),
                               rtol=1e-10, atol=1e-15)


def test_cross_entropy_extreme_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 0.0]])
    labels = [0, 1, 2]
    value, grad = run(F.cross_entropy, logits, labels, reduction="none")
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, [0.0, 2000.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(grad, [[0, 0, 0], [1, -1, 0], [0, 0, 0]], atol=1e-12)


def test_cross_entropy_checks_labels():
    logits = np.zeros((3, 2))
    with pytest.raises(TypeError, match="labels must be integer class indices"):
        F.cross_entropy(logits, np.array([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels must be in 0 .. 1 for 2 classes, got \[2, -1\]"):
        F.cross_entropy(logits, np.array([0, 2, -1]))
    with pytest.raises(ShapeError, match=r"labels must have shape \(3,\)"):
        F.cross_entropy(logits, np.array([0, 1]))
    with pytest.raises(ShapeError, match=r"logits must have shape \(n, C\)"):
        F.cross_entropy(np.zeros(3), np.array([0]))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_hinge_loss(reduction):
    scores = np.array([2.0, 0.5, -0.3, -2.0, 0.2, 1.5])
    labels = np.array([1, 1, 1, -1, -1, -1])
    value, grad = run(F.hinge_loss, scores, labels, reduction=reduction)
    margin = 1 - labels * scores
    np.testing.assert_allclose(value, reduce(np.maximum(0, margin), reduction), rtol=1e-12)
    np.testing.assert_allclose(grad, -labels * (margin > 0) * scale(reduction, 6), rtol=1e-12)


def test_hinge_loss_checks_labels():
    with pytest.raises(ValueError, match=r"labels must be -1 or \+1, got \[0.0\]"):
        F.hinge_loss(np.zeros(3), np.array([0, 1, 1]))
    with pytest.raises(ShapeError):
        F.hinge_loss(np.zeros(3), np.ones(2))


@pytest.mark.parametrize("loss", [F.mse_loss, F.binary_cross_entropy_with_logits, F.hinge_loss])
def test_unknown_reduction_lists_valid_ones(loss):
    with pytest.raises(ValueError, match="unknown reduction 'avg'; valid ones are 'mean', 'sum', "
                                         "'none'"):
        loss(np.zeros(2), np.ones(2), reduction="avg")


# ----- the fused loss nodes against the expressions they replace ---------------------------
def composed_cross_entropy(x, labels, reduction):
    import autograd_lite as ag

    losses = -ag.log_softmax(x, axis=1)[np.arange(x.shape[0]), labels]
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_is_one_node_with_the_composed_gradients(reduction):
    logits = rng.standard_normal((6, 4))
    labels = np.array([0, 3, 1, 1, 2, 0])
    seed = rng.standard_normal(() if reduction != "none" else (6,))
    x1, x2 = Tensor(logits, requires_grad=True), Tensor(logits, requires_grad=True)
    fused = F.cross_entropy(x1, labels, reduction=reduction)
    composed = composed_cross_entropy(x2, labels, reduction)
    assert fused.op == "cross_entropy" and fused.parents == (x1,)
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-13, atol=1e-13)
    fused.backward(seed)
    composed.backward(seed)
    np.testing.assert_allclose(x1.grad, x2.grad, rtol=1e-12, atol=1e-14)


def test_cross_entropy_keeps_its_own_copy_of_the_labels():
    labels = np.array([0, 1, 2])
    x = Tensor(rng.standard_normal((3, 3)), requires_grad=True)
    loss = F.cross_entropy(x, labels, reduction="sum")
    labels[:] = 0  # the caller reuses the array before backward
    loss.backward()
    expected = x.grad.copy()
    x.grad = None
    F.cross_entropy(x, np.array([0, 1, 2]), reduction="sum").backward()
    np.testing.assert_array_equal(expected, x.grad)


def test_cross_entropy_second_derivative_is_the_softmax_jacobian():
    import autograd_lite as ag

    logits = rng.standard_normal(3)
    H = ag.hessian(lambda x: F.cross_entropy(x.reshape((1, 3)), [1]))(logits)
    p = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(H, np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_is_one_node_with_the_composed_gradients(reduction):
    pred, target = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    p1, t1 = Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)
    p2, t2 = Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)
    fused = F.mse_loss(p1, t1, reduction=reduction)
    diff = p2 - t2
    composed = diff * diff
    composed = composed.mean() if reduction == "mean" else (
        composed.sum() if reduction == "sum" else composed)
    assert fused.op == "mse_loss"
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-13)
    seed = rng.standard_normal(fused.shape)
    fused.backward(seed)
    composed.backward(seed)
    np.testing.assert_allclose(p1.grad, p2.grad, rtol=1e-13)
    np.testing.assert_allclose(t1.grad, t2.grad, rtol=1e-13)


def test_mse_loss_takes_plain_targets_in_the_predictions_dtype():
    pred = Tensor(np.zeros(3, dtype=np.float32), requires_grad=True)
    loss = F.mse_loss(pred, [1.0, 2.0, 3.0])
    loss.backward()
    assert loss.dtype == np.float32 and pred.grad.dtype == np.float32
    np.testing.assert_allclose(loss.item(), 14.0 / 3.0, rtol=1e-6)
    np.testing.assert_allclose(pred.grad, [-2.0 / 3.0, -4.0 / 3.0, -2.0], rtol=1e-6)


def test_linear_matches_the_three_op_expression_and_checks_shapes():
    import autograd_lite as ag

    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    tx, tw, tb = (Tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.linear(tx, tw, tb)
    assert out.op == "linear" and out.parents == (tx, tw, tb)
    np.testing.assert_allclose(out.data, x @ w.T + b, rtol=1e-14)
    seed = rng.standard_normal((4, 2))
    out.backward(seed)
    np.testing.assert_allclose(tx.grad, seed @ w, rtol=1e-13)
    np.testing.assert_allclose(tw.grad, seed.T @ x, rtol=1e-13)
    np.testing.assert_allclose(tb.grad, seed.sum(axis=0), rtol=1e-13)
    assert tw.grad.flags.c_contiguous
    with pytest.raises(ShapeError, match="in_features=3"):
        ag.linear(np.ones((4, 2)), w)
    with pytest.raises(ShapeError, match="weight must be a matrix"):
        ag.linear(x, np.ones(3))
    with pytest.raises(ShapeError, match=r"bias must have shape \(2,\)"):
        ag.linear(x, w, np.ones((4, 2)))
