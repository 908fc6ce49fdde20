"""Properties of the conventions at kinks (API.md section 2), on inputs full of ties and zeros:
relu'(0) = abs'(0) = 0, and ties in max / min / maximum / minimum share the gradient equally.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_lite as ag
from autograd_lite import Tensor

from .calls import SHAPES, axes_of, normalized

#: Few distinct values, so ties and exact zeros are common.
TIED = st.sampled_from([-1.0, 0.0, 0.0, 1.0])


@st.composite
def tied_arrays(draw, shape=None):
    shape = draw(SHAPES) if shape is None else shape
    return draw(hnp.arrays(np.float64, shape, elements=TIED))


@given(x=tied_arrays())
def test_relu_and_abs_have_zero_gradient_at_zero(x):
    for fn, slope in ((lambda t: t.relu(), lambda a: (a > 0) * 1.0), (abs, np.sign)):
        t = Tensor(x, requires_grad=True)
        fn(t).sum().backward()
        np.testing.assert_array_equal(t.grad, slope(x))


@given(data=st.data(), name=st.sampled_from(["max", "min"]), keepdims=st.booleans())
def test_tied_extremes_share_the_gradient_equally(data, name, keepdims):
    x = data.draw(tied_arrays(), label="x")
    axis = data.draw(axes_of(x.ndim), label="axis")
    t = Tensor(x, requires_grad=True)
    getattr(t, name)(axis=axis, keepdims=keepdims).sum().backward()
    axes = normalized(axis, x.ndim)
    extreme = getattr(np, name)(x, axis=axes, keepdims=True)
    hits = x == extreme
    expected = hits / hits.sum(axis=axes, keepdims=True)
    np.testing.assert_allclose(t.grad, expected, rtol=1e-15)
    # each output's unit of gradient is split, never lost or duplicated
    np.testing.assert_allclose(t.grad.sum(axis=axes), np.ones(np.sum(x, axis=axes).shape))


@given(data=st.data(), name=st.sampled_from(["maximum", "minimum"]))
def test_tied_maximum_and_minimum_split_the_gradient_in_halves(data, name):
    shape = data.draw(SHAPES, label="shape")
    x = data.draw(tied_arrays(shape), label="x")
    y = data.draw(tied_arrays(shape), label="y")
    tx, ty = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    getattr(ag, name)(tx, ty).sum().backward()
    wins = (x > y) if name == "maximum" else (x < y)
    np.testing.assert_array_equal(tx.grad, np.where(x == y, 0.5, wins * 1.0))
    np.testing.assert_array_equal(tx.grad + ty.grad, np.ones(shape))
