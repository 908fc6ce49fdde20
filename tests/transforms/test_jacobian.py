"""jacobian: shapes (rows are outputs, columns inputs), both modes against each other and
central differences, the choice of mode by sweep counts, and the torch oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import transforms

from .samples import SAMPLES, central_jacobian


@pytest.mark.parametrize("mode", ["rev", "fwd", "auto"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_both_modes_match_central_differences(sample, mode):
    args = sample.args()
    argnums = tuple(range(len(args)))
    blocks = ag.jacobian(sample.fn, argnums=argnums, mode=mode)(*args)
    for i, block in enumerate(blocks):
        expected = central_jacobian(sample.fn, args, i)
        assert np.shape(block) == expected.shape
        np.testing.assert_allclose(block, expected, rtol=1e-6, atol=1e-8, err_msg=f"arg {i}")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_forward_and_reverse_mode_agree_to_rounding(sample):
    args = sample.args(seed=3)
    rev = ag.jacobian(sample.fn, mode="rev")(*args)
    fwd = ag.jacobian(sample.fn, mode="fwd")(*args)
    np.testing.assert_allclose(rev, fwd, rtol=1e-12, atol=1e-13)


def test_shapes():
    x3, m = np.ones(3), np.ones((2, 3))
    assert ag.jacobian(lambda x: x * 2)(x3).shape == (3, 3)               # vector -> vector
    assert ag.jacobian(lambda x: (x ** 2).sum())(m).shape == (2, 3)       # matrix -> scalar
    assert ag.jacobian(lambda s: s * ag.Tensor(m))(2.0).shape == (2, 3)  # scalar -> matrix
    assert ag.jacobian(lambda x: x.T)(m).shape == (3, 2, 2, 3)             # matrix -> matrix
    assert type(ag.jacobian(lambda s: s ** 2)(3.0)) is float               # scalar -> scalar


def test_rows_are_outputs_columns_are_inputs():
    jac = ag.jacobian(lambda v: ag.stack([v[0], 5 * v[1], v[0] * v[2]]))(np.array([1., 2., 3.]))
    np.testing.assert_array_equal(jac, [[1, 0, 0], [0, 5, 0], [3, 0, 1]])


def test_identity_and_constant_parts():
    np.testing.assert_array_equal(ag.jacobian(lambda x: x)(np.ones(2)), np.eye(2))
    jac_x, jac_y = ag.jacobian(lambda x, y: x * 3, argnums=(0, 1))(np.ones(2), np.ones(4))
    np.testing.assert_array_equal(jac_x, 3 * np.eye(2))
    np.testing.assert_array_equal(jac_y, np.zeros((2, 4)))


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        ag.jacobian(lambda x: x, mode="sideways")


def count_sweeps(monkeypatch) -> dict[str, int]:
    counts = {"rev": 0, "fwd": 0}
    reverse, forward = transforms.reverse_sweep, transforms.forward_sweep

    def counted_reverse(*args, **kwargs):
        counts["rev"] += 1
        return reverse(*args, **kwargs)

    def counted_forward(*args, **kwargs):
        counts["fwd"] += 1
        return forward(*args, **kwargs)

    monkeypatch.setattr(transforms, "reverse_sweep", counted_reverse)
    monkeypatch.setattr(transforms, "forward_sweep", counted_forward)
    return counts


def test_auto_mode_uses_the_cheaper_sweeps(monkeypatch):
    counts = count_sweeps(monkeypatch)
    wide = np.linspace(0.1, 1.0, 100)
    ag.jacobian(lambda x: ag.stack([x.sum(), (x ** 2).sum(), x.sin().sum()]))(wide)
    assert counts == {"rev": 3, "fwd": 0}  # 100 -> 3: one backward pass per output
    counts.update(rev=0, fwd=0)
    ag.jacobian(lambda x: (x[:, None] * ag.Tensor(np.ones((3, 100)))).tanh())(np.ones(3))
    assert counts == {"rev": 0, "fwd": 3}  # 3 -> 100: one forward pass per input


def test_forward_sweep_leaves_the_graph_intact_for_reverse():
    x = ag.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    y = (x.exp() * x).sum()
    (tangent,) = [transforms.forward_sweep(y, {id(x): np.array([1.0, 0.0])})]
    y.backward()
    np.testing.assert_allclose(tangent, x.grad[0])


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_agrees_with_torch(sample):
    torch = pytest.importorskip("torch")
    args = sample.args(seed=5)
    expected = torch.autograd.functional.jacobian(
        sample.torch_fn, tuple(torch.tensor(a) for a in args))
    ours = ag.jacobian(sample.fn, argnums=tuple(range(len(args))))(*args)
    for block, reference in zip(ours, expected):
        np.testing.assert_allclose(block, reference.numpy(), rtol=1e-11, atol=1e-12)
