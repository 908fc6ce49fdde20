"""Numbers at the edges, against PyTorch float64: powers at a zero base (first and second
derivatives, Tensor and Value, reverse and forward mode), polynomial features at 0, float16
reductions past float16's range, and clip with Tensor bounds (torch.clamp's gradients).

Where PyTorch's own answer is NaN for a second derivative (its rules meet 0 * inf there) any
value is accepted; everywhere else ours must equal PyTorch's, infinities and NaNs included.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value
from autograd_lite.nn import functional as F

torch = pytest.importorskip("torch")

BASES = [0.0, -0.0, 0.5, 2.0, -2.0]
EXPONENTS = [0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 2.5, -0.5, -1.0, -2.0]
GRID = list(itertools.product(BASES, EXPONENTS))


def same(ours: float, theirs: float) -> bool:
    """Equal to 1e-12 relative, with inf == inf of the same sign and nan == nan."""
    if np.isnan(theirs) or np.isnan(ours):
        return bool(np.isnan(theirs) and np.isnan(ours))
    if np.isinf(theirs) or np.isinf(ours):
        return ours == theirs
    return abs(ours - theirs) <= 1e-12 * max(1.0, abs(theirs))


def value(a) -> float:
    return float(np.asarray(a if not isinstance(a, Tensor) else a.data))


def torch_derivatives(x: float, y: float) -> dict[str, float]:
    """First and second derivatives of x ** y in PyTorch (0.0 where a gradient is unused)."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    gx, gy = torch.autograd.grad(xt ** yt, (xt, yt), create_graph=True)
    gxx, gxy = torch.autograd.grad(gx, (xt, yt), retain_graph=True, allow_unused=True)
    gyx, gyy = torch.autograd.grad(gy, (xt, yt), allow_unused=True)
    zero = torch.tensor(0.0, dtype=torch.float64)
    result = dict(gx=gx, gy=gy, gxx=gxx, gxy=gxy, gyx=gyx, gyy=gyy)
    return {k: (zero if v is None else v).item() for k, v in result.items()}


def our_derivatives(x: float, y: float) -> dict[str, float]:
    xs = Tensor(x, requires_grad=True)
    ys = Tensor(y, requires_grad=True)
    (xs ** ys).backward(create_graph=True)
    gx, gy = xs.grad, ys.grad
    result = {"gx": value(gx), "gy": value(gy)}
    for name, first in (("x", gx), ("y", gy)):
        xs.grad = ys.grad = None
        if first.requires_grad:
            first.backward(retain_graph=True)
        result[f"g{name}x"] = 0.0 if xs.grad is None else value(xs.grad)
        result[f"g{name}y"] = 0.0 if ys.grad is None else value(ys.grad)
    return result


@pytest.mark.parametrize("x, y", GRID)
def test_pow_first_derivatives_match_torch_at_every_base_and_exponent(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(-2), 0 ** -1: NumPy's warnings
        ours, theirs = our_derivatives(x, y), torch_derivatives(x, y)
    for name in ("gx", "gy"):
        assert same(ours[name], theirs[name]), f"{name} at x={x}, y={y}: {ours} vs {theirs}"


@pytest.mark.parametrize("x, y", GRID)
def test_pow_second_derivatives_match_torch_where_torch_defines_them(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours, theirs = our_derivatives(x, y), torch_derivatives(x, y)
    checked = 0
    for name in ("gxx", "gxy", "gyx", "gyy"):
        first = "g" + name[1]
        if np.isnan(theirs[name]) or np.isnan(theirs[first]):
            continue  # undefined in PyTorch (or the derivative of a NaN)
        if name == "gxy" and y == 0.0 and x != 0.0:
            # PyTorch's rule `where(y == 0, 0, y * x ** (y - 1))` has derivative 0 in y at
            # y == 0; ours keeps the true value x ** -1 (the property suite checks it against
            # finite differences).
            assert same(ours[name], 1.0 / x)
            continue
        assert same(ours[name], theirs[name]), f"{name} at x={x}, y={y}: {ours} vs {theirs}"
        checked += 1
    if x == 0.0 and y > 0:
        assert checked >= 1


@pytest.mark.parametrize("x, y", [(x, y) for x, y in GRID if x == 0.0])
def test_at_a_zero_base_nothing_is_nan_where_torch_gives_a_number(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours, theirs = our_derivatives(x, y), torch_derivatives(x, y)
    for name, expected in theirs.items():
        if not np.isnan(expected):
            assert not np.isnan(ours[name]), f"{name} at x={x}, y={y} is nan, torch {expected}"


@pytest.mark.parametrize("x, y", GRID)
def test_value_pow_matches_torch(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = torch_derivatives(x, y)
        # NumPy's (IEEE) forward value: torch's x.pow(-0.5) is rsqrt, -inf at -0.0
        expected_out = float(np.power(np.float64(x), y))
    a, b = Value(x), Value(y)
    out = a ** b
    out.backward()
    assert same(out.data, expected_out)
    assert same(a.grad, theirs["gx"]), (a.grad, theirs["gx"])
    assert same(b.grad, theirs["gy"]), (b.grad, theirs["gy"])
    # a constant exponent or base takes the same rules
    a = Value(x)
    (a ** y).backward()
    assert same(a.grad, theirs["gx"])
    b = Value(y)
    (x ** b).backward()
    assert same(b.grad, theirs["gy"])


@pytest.mark.parametrize("x, y", GRID)
def test_forward_mode_agrees_with_reverse_mode_at_the_edges(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = torch_derivatives(x, y)
        # One primal at a time: a zero tangent times an infinite slope would be nan.
        _, dx = ag.jvp(lambda a: a ** Tensor(y), (x,), (1.0,))
        _, dy = ag.jvp(lambda b: Tensor(x) ** b, (y,), (1.0,))
        _, (dxy) = ag.jvp(lambda a, b: a ** b, (x, y), (1.0, 1.0))
    assert same(dx, theirs["gx"]) and same(dy, theirs["gy"])
    assert same(dxy, theirs["gx"] + theirs["gy"])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("at", [0.0, -0.0, 0.5, -1.5])
def test_polynomial_features_and_their_hessian(at, dtype):
    powers = np.arange(5.0)
    coef = np.array([0.5, -1.0, 2.0, 3.0, -0.25])

    def f(x):
        return ((x ** powers.astype(x.dtype)) * coef.astype(x.dtype)).sum()

    x = Tensor(np.array(at, dtype=dtype), requires_grad=True)
    f(x).backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.backward()
    xt = torch.tensor(at, dtype=torch.float64, requires_grad=True)
    ft = ((xt ** torch.tensor(powers)) * torch.tensor(coef)).sum()
    (gt,) = torch.autograd.grad(ft, xt, create_graph=True)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(first.data, gt.item(), rtol=tol, atol=tol)
    # The exact second derivative (PyTorch gives nan at 0 from its x ** 0 term).
    exact = sum(c * p * (p - 1) * at ** (p - 2) for c, p in zip(coef, powers) if p >= 2)
    np.testing.assert_allclose(x.grad, exact, rtol=tol, atol=tol)
    assert x.grad.dtype == dtype
    np.testing.assert_allclose(ag.hessian(lambda v: f(v))(np.array(at, dtype=dtype)), exact,
                               rtol=tol, atol=tol)


def test_polynomial_features_of_a_batch_with_zeros():
    xs = np.array([0.0, 1.0, -0.0, 2.0, 0.0])
    powers = np.arange(4.0)
    x = Tensor(xs.reshape(-1, 1), requires_grad=True)
    w = Tensor(np.array([[1.0, -2.0, 0.5, 0.25]]), requires_grad=True)
    loss = ((x ** powers) * w).sum()
    loss.backward()
    xt = torch.tensor(xs.reshape(-1, 1), requires_grad=True)
    wt = torch.tensor([[1.0, -2.0, 0.5, 0.25]], dtype=torch.float64, requires_grad=True)
    ((xt ** torch.tensor(powers)) * wt).sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    np.testing.assert_array_equal(w.grad, wt.grad.numpy())
    assert np.isfinite(x.grad).all()


def test_zero_base_with_an_exponent_array_that_has_zeros():
    x = Tensor(np.array([0.0, 0.0, 2.0, 0.0]), requires_grad=True)
    y = Tensor(np.array([0.0, 2.0, 0.0, -1.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0 ** -1 is inf: NumPy warns
        (x ** y).sum().backward()
    xt = torch.tensor([0.0, 0.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
    yt = torch.tensor([0.0, 2.0, 0.0, -1.0], dtype=torch.float64, requires_grad=True)
    (xt ** yt).sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    np.testing.assert_array_equal(y.grad, yt.grad.numpy())


def test_no_warning_where_the_answer_is_finite():
    x = Tensor(np.zeros(3), requires_grad=True)
    y = Tensor(np.array([0.0, 1.0, 2.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x ** y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(y.grad, [0.0, 0.0, 0.0])


# ----- float16 past 65,504 ------------------------------------------------------------------

N16 = 70_000


def f16(values):
    return Tensor(np.asarray(values, dtype=np.float16), requires_grad=True)


@pytest.mark.parametrize("name, ours, theirs", [
    ("mean", lambda t: t.mean(), lambda t: t.mean()),
    ("mean-axis", lambda t: t.reshape(2, -1).mean(axis=1).sum(),
     lambda t: t.reshape(2, -1).mean(dim=1).sum()),
    ("logsumexp", lambda t: t.logsumexp(), lambda t: t.logsumexp(0)),
    ("softmax", lambda t: (t.softmax() * np.linspace(0, 1, N16, dtype=np.float16)).sum(),
     lambda t: (t.softmax(0) * torch.tensor(np.linspace(0, 1, N16, dtype=np.float16),
                                            dtype=torch.float64)).sum()),
    ("log_softmax", lambda t: t.log_softmax()[:3].sum(), lambda t: t.log_softmax(0)[:3].sum()),
    ("mse_loss", lambda t: F.mse_loss(t, np.full(N16, 0.5)),
     lambda t: torch.nn.functional.mse_loss(t, torch.full((N16,), 0.5, dtype=t.dtype))),
    ("cross_entropy", lambda t: F.cross_entropy(t.reshape(2, -1), np.array([0, 3])),
     lambda t: torch.nn.functional.cross_entropy(t.reshape(2, -1), torch.tensor([0, 3]))),
])
@pytest.mark.parametrize("fill", [0.0, 1.0, -0.75])
def test_float16_reductions_over_more_than_65504_elements(name, ours, theirs, fill):
    """The float16 result and gradient are float64's rounded to float16 (PyTorch's own float16
    logsumexp and cross_entropy overflow to inf here)."""
    data = np.full(N16, fill)
    data[:5] = [0.25, -0.5, 1.0, 0.0, 2.0]
    x = f16(data)
    out = ours(x)
    out.backward()
    xt = torch.tensor(data.astype(np.float16).astype(np.float64), requires_grad=True)
    ref = theirs(xt)
    ref.backward()
    assert out.dtype == np.float16 and x.grad.dtype == np.float16
    assert np.isfinite(out.data) and np.isfinite(x.grad).all()
    np.testing.assert_allclose(out.data, ref.item(), rtol=2e-3, atol=1e-3)
    # each gradient element within float16's precision (subnormals included) of float64's
    np.testing.assert_allclose(x.grad.astype(np.float64), xt.grad.numpy(), rtol=2e-3, atol=6e-8)


def test_float16_mean_gradient_is_one_over_n_not_zero():
    x = f16(np.ones(N16))
    x.mean().backward()
    assert x.grad[0] == np.float16(1 / N16) != 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.float16(N16) == np.inf  # why n itself cannot be the divisor


def test_float16_mean_in_forward_mode_and_numpy_agree():
    data = np.full(N16, 3.0, dtype=np.float16)
    assert Tensor(data).mean().item() == np.mean(data) == 3.0
    _, tangent = ag.jvp(lambda t: t.mean(), (data,), (np.ones(N16, dtype=np.float16),))
    assert tangent == 1.0


def test_float16_sum_still_overflows_as_in_numpy_and_torch():
    data = np.ones(N16, dtype=np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert Tensor(data).sum().item() == np.inf == torch.tensor(data).sum().item()


# ----- clip with Tensor bounds: torch.clamp -------------------------------------------------

CLAMP_X = [-2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 1.0]
CLAMP_LO = [0.0, -1.0, 0.0, 0.0, 1.0, 2.5, 4.0, 1.0]
CLAMP_HI = [1.0, 1.0, 0.0, 0.5, 1.0, 1.5, 3.5, 0.5]


@pytest.mark.parametrize("bounds", ["both", "min", "max", "min-number", "max-array"])
def test_clip_with_tensor_bounds_matches_torch_clamp(bounds):
    x = Tensor(CLAMP_X, requires_grad=True)
    lo = Tensor(CLAMP_LO, requires_grad=True)
    hi = Tensor(CLAMP_HI, requires_grad=True)
    xt, lot, hit = (torch.tensor(v, dtype=torch.float64, requires_grad=True)
                    for v in (CLAMP_X, CLAMP_LO, CLAMP_HI))
    weights = np.arange(1.0, 9.0)
    calls = {
        "both": (lambda: x.clip(lo, hi), lambda: torch.clamp(xt, lot, hit)),
        "min": (lambda: x.clip(lo), lambda: torch.clamp(xt, min=lot)),
        "max": (lambda: ag.clip(x, None, hi), lambda: torch.clamp(xt, max=hit)),
        "min-number": (lambda: x.clip(0.5, hi),
                       lambda: torch.clamp(xt, torch.tensor(0.5, dtype=torch.float64), hit)),
        "max-array": (lambda: x.clip(lo, np.array(CLAMP_HI)),
                      lambda: torch.clamp(xt, lot, torch.tensor(CLAMP_HI, dtype=torch.float64))),
    }
    ours, theirs = calls[bounds]
    out = ours()
    (out * weights).sum().backward()
    ref = theirs()
    (ref * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    for mine, torch_leaf in ((x, xt), (lo, lot), (hi, hit)):
        expected = torch_leaf.grad
        if expected is None:
            assert mine.grad is None
        else:
            np.testing.assert_array_equal(mine.grad, expected.numpy())


def test_clip_with_broadcast_tensor_bounds_and_forward_mode():
    rng = np.random.default_rng(0)
    xs, los, his = rng.normal(size=(3, 4)), rng.normal(size=(4,)) - 0.5, rng.normal(size=(3, 1))
    x, lo, hi = (Tensor(a, requires_grad=True) for a in (xs, los, his))
    out = ag.clip(x, lo, hi)
    weights = rng.normal(size=out.shape)
    (out * weights).sum().backward()
    xt, lot, hit = (torch.tensor(a, requires_grad=True) for a in (xs, los, his))
    (torch.clamp(xt, lot, hit) * torch.tensor(weights)).sum().backward()
    for mine, theirs in ((x, xt), (lo, lot), (hi, hit)):
        np.testing.assert_array_equal(mine.grad, theirs.grad.numpy())
    tangents = tuple(rng.normal(size=a.shape) for a in (xs, los, his))
    _, tangent = ag.jvp(lambda a, b, c: ag.clip(a, b, c), (xs, los, his), tangents)
    _, expected = torch.func.jvp(torch.clamp, tuple(torch.tensor(a) for a in (xs, los, his)),
                                 tuple(torch.tensor(t) for t in tangents))
    np.testing.assert_allclose(tangent, expected.numpy(), rtol=1e-12, atol=1e-12)


def test_clip_bounds_that_need_no_grad_stay_constants():
    x = Tensor([-1.0, 0.5, 2.0], requires_grad=True)
    out = x.clip(Tensor(0.0), Tensor(1.0))
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    bound = Tensor([0.0, 0.0, 0.0], requires_grad=True)
    Tensor([-1.0, 0.5, 2.0]).clip(bound).sum().backward()  # only the bound needs a gradient
    np.testing.assert_array_equal(bound.grad, [1.0, 0.0, 0.0])
