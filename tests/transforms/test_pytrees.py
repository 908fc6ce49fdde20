"""Pytrees (nested lists, tuples and dicts of floats and arrays) as arguments and results of
every transform, zeros for what a function ignores, and the errors for leaves that are not
numbers. Compared with hand-derived answers, HIPS autograd and PyTorch where installed."""

from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite.pytree import flatten, flatten_with_paths, leaf_paths, tree_map

Pair = namedtuple("Pair", ["weight", "bias"])

RNG = np.random.default_rng(11)
W = RNG.standard_normal((3, 2))
B = RNG.standard_normal(2)
XS = RNG.standard_normal((4, 3))


# ----- the pytree module -----------------------------------------------------------------------
def test_flatten_order_and_round_trip():
    tree = {"b": [1.0, (np.ones(2), 3)], "a": {"z": 4.0, "y": [5.0]}}
    leaves, treedef = flatten(tree)
    assert [np.asarray(leaf).tolist() for leaf in leaves] == [1.0, [1.0, 1.0], 3, 4.0, 5.0]
    rebuilt = treedef.unflatten(leaves)
    assert list(rebuilt) == ["b", "a"] and list(rebuilt["a"]) == ["z", "y"]
    assert type(rebuilt["b"][1]) is tuple and type(rebuilt["a"]["y"]) is list
    assert leaf_paths(treedef) == ["['b'][0]", "['b'][1][0]", "['b'][1][1]", "['a']['z']",
                                   "['a']['y'][0]"]
    assert [path for path, _ in flatten_with_paths(tree)[0]] == leaf_paths(treedef)
    assert treedef.num_leaves == 5 and "dict with keys ['b', 'a']" in treedef.describe()


def test_namedtuple_ordered_dict_and_empty_containers_keep_their_type():
    tree = [Pair(np.ones(2), 0.5), OrderedDict([("k", 1.0)]), (), {}]
    rebuilt = tree_map(lambda leaf: leaf * 2, tree)
    assert type(rebuilt[0]) is Pair and rebuilt[0].bias == 1.0
    assert type(rebuilt[1]) is OrderedDict and rebuilt[1]["k"] == 2.0
    assert rebuilt[2] == () and rebuilt[3] == {}


def test_structures_compare_by_shape_of_the_tree():
    assert flatten({"a": 1.0, "b": [2.0]})[1] == flatten({"a": np.ones(3), "b": [0.0]})[1]
    assert flatten({"a": 1.0, "b": [2.0]})[1] != flatten({"b": [2.0], "a": 1.0})[1]
    assert flatten([1.0, 2.0])[1] != flatten((1.0, 2.0))[1]


def test_a_container_that_contains_itself_is_refused():
    loop: list = [1.0]
    loop.append(loop)
    with pytest.raises(ValueError, match=r"the list at \[1\] contains itself"):
        flatten(loop)
    with pytest.raises(ValueError, match="argument 0.*contains itself"):
        ag.grad(lambda x: x[0])(loop)


# ----- grad and value_and_grad ------------------------------------------------------------------
def loss(params):
    return ((XS @ params["W"] + params["b"]).tanh() ** 2).sum()


def loss_gradient_by_hand(W, b):
    t = np.tanh(XS @ W + b)
    delta = 2 * t * (1 - t ** 2)
    return XS.T @ delta, delta.sum(axis=0)


def test_grad_of_a_dict_keeps_keys_in_order():
    params = {"W": W, "b": B}
    g = ag.grad(loss)(params)
    assert type(g) is dict and list(g) == ["W", "b"]
    gw, gb = loss_gradient_by_hand(W, B)
    np.testing.assert_allclose(g["W"], gw, rtol=1e-13)
    np.testing.assert_allclose(g["b"], gb, rtol=1e-13)
    reordered = ag.grad(loss)({"b": B, "W": W})
    assert list(reordered) == ["b", "W"]
    np.testing.assert_array_equal(reordered["W"], g["W"])


def test_floats_stay_floats_tuples_stay_tuples_lists_stay_lists():
    def f(p):
        (a, b), c = p[0], p[1]
        return a * b + (c ** 2).sum() * a

    g = ag.grad(f)([(2.0, 3.0), np.array([1.0, -1.0])])
    assert type(g) is list and type(g[0]) is tuple
    assert type(g[0][0]) is float and type(g[0][1]) is float
    assert g[0] == (3.0 + 2.0, 2.0)
    np.testing.assert_array_equal(g[1], [4.0, -4.0])


def test_value_and_grad_and_argnums_with_pytrees():
    def f(p, scale, q):
        return loss(p) * scale + q["c"] ** 2

    value, (gp, gq) = ag.value_and_grad(f, argnums=(0, 2))({"W": W, "b": B}, 0.5, {"c": 3.0})
    assert value == pytest.approx(0.5 * float(loss({"W": ag.Tensor(W), "b": ag.Tensor(B)})
                                              .item()) + 9.0)
    gw, gb = loss_gradient_by_hand(W, B)
    np.testing.assert_allclose(gp["W"], 0.5 * gw, rtol=1e-13)
    assert gq == {"c": 6.0}


def test_ignored_arguments_and_leaves_get_zeros():
    def f(p, unused):
        return (p["used"] ** 2).sum()

    g = ag.grad(f, argnums=(0, 1))({"used": np.array([1.0, 2.0]), "ignored": np.ones((2, 2)),
                                    "scalar": 5.0}, [np.ones(3), 7.0])
    np.testing.assert_array_equal(g[0]["used"], [2.0, 4.0])
    np.testing.assert_array_equal(g[0]["ignored"], np.zeros((2, 2)))
    assert g[0]["scalar"] == 0.0 and type(g[0]["scalar"]) is float
    np.testing.assert_array_equal(g[1][0], np.zeros(3))
    assert g[1][1] == 0.0


def test_function_that_ignores_its_argument_entirely():
    # as in HIPS autograd and JAX: the output is a constant, the derivative zero
    assert ag.grad(lambda x: 3.0)(2.0) == 0.0
    np.testing.assert_array_equal(ag.grad(lambda x, y: (np.asarray(x) ** 2).sum(), argnums=1)(
        np.ones(2), np.ones(3)), np.zeros(3))
    np.testing.assert_array_equal(ag.grad(lambda x: ag.Tensor(1.0))(np.ones(2)), np.zeros(2))
    np.testing.assert_array_equal(ag.jacobian(lambda x: np.ones(3))(np.ones(2)),
                                  np.zeros((3, 2)))


def test_empty_pytree_argument():
    assert ag.grad(lambda p, x: x * 2.0, argnums=(0, 1))([], 1.0) == ([], 2.0)


# ----- jacobian and hessian: output structure by input structure --------------------------------
def predict(params):
    return (XS @ params["W"] + params["b"]).sigmoid()


def test_jacobian_of_a_dict_argument():
    jac = ag.jacobian(predict)({"W": W, "b": B})
    assert list(jac) == ["W", "b"]
    assert jac["W"].shape == (4, 2, 3, 2) and jac["b"].shape == (4, 2, 2)
    s = 1 / (1 + np.exp(-(XS @ W + B)))
    ds = s * (1 - s)
    # d out[n, k] / d W[i, j] = ds[n, k] XS[n, i] [k == j];  d out[n, k] / d b[j] = ds [k == j]
    expected_w = np.einsum("nk,ni,kj->nkij", ds, XS, np.eye(2))
    np.testing.assert_allclose(jac["W"], expected_w, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(jac["b"], np.einsum("nk,kj->nkj", ds, np.eye(2)), rtol=1e-13)
    for mode in ("fwd", "rev"):
        again = ag.jacobian(predict, mode=mode)({"W": W, "b": B})
        np.testing.assert_allclose(again["W"], jac["W"], rtol=1e-13, atol=1e-16)


def test_jacobian_of_a_pytree_output():
    def f(x):
        return {"square": x * x, "parts": [x.sum(), x[0] * x[1]]}

    x = np.array([2.0, 3.0])
    jac = ag.jacobian(f)(x)
    np.testing.assert_array_equal(jac["square"], np.diag(2 * x))
    np.testing.assert_array_equal(jac["parts"][0], [1.0, 1.0])
    np.testing.assert_array_equal(jac["parts"][1], [3.0, 2.0])
    # pytree in and out: out structure outside, in structure inside
    both = ag.jacobian(lambda p: [p["a"] * p["b"], p["a"] ** 2])({"a": 2.0, "b": 5.0})
    assert both == [{"a": 5.0, "b": 2.0}, {"a": 4.0, "b": 0.0}]


def test_hessian_of_a_dict_argument_is_nested_in_itself():
    params = {"W": W, "b": B}
    hess = ag.hessian(loss)(params)
    assert list(hess) == ["W", "b"] and list(hess["W"]) == ["W", "b"]
    assert hess["W"]["b"].shape == (3, 2, 2) and hess["b"]["W"].shape == (2, 3, 2)
    np.testing.assert_allclose(hess["W"]["b"], np.moveaxis(hess["b"]["W"], 0, -1), rtol=1e-12)
    # the same blocks as the Hessian over one flat vector of all parameters
    flat = np.concatenate([W.ravel(), B])

    def flat_loss(v):
        return loss({"W": v[:6].reshape(3, 2), "b": v[6:]})

    big = ag.hessian(flat_loss)(flat)
    np.testing.assert_allclose(hess["W"]["W"].reshape(6, 6), big[:6, :6], rtol=1e-12)
    np.testing.assert_allclose(hess["W"]["b"].reshape(6, 2), big[:6, 6:], rtol=1e-12)
    np.testing.assert_allclose(hess["b"]["b"], big[6:, 6:], rtol=1e-12)


def test_hessian_of_scalars_in_a_tuple():
    def f(p):
        x, y = p
        return x * x * y + y ** 3

    assert ag.hessian(f)((2.0, 3.0)) == ((6.0, 4.0), (4.0, 18.0))


# ----- vjp, jvp, elementwise_grad ---------------------------------------------------------------
def test_vjp_with_pytree_primals_and_outputs():
    def f(p, x):
        return {"y": p["a"] * x, "z": (p["b"] * x).sum()}

    p, x = {"a": np.array([1.0, 2.0]), "b": 3.0}, np.array([0.5, -1.0])
    out, vjp_fn = ag.vjp(f, p, x)
    np.testing.assert_array_equal(out["y"], [0.5, -2.0])
    assert out["z"] == -1.5
    gp, gx = vjp_fn({"y": np.array([1.0, 1.0]), "z": 2.0})
    np.testing.assert_array_equal(gp["a"], x)
    assert gp["b"] == pytest.approx(2 * x.sum())
    np.testing.assert_array_equal(gx, p["a"] + 2 * 3.0)
    with pytest.raises(ValueError, match=r"the cotangent has the structure a dict with keys "
                                         r"\['y'\].*must have a dict with keys \['y', 'z'\]"):
        vjp_fn({"y": np.ones(2)})
    with pytest.raises(ag.ShapeError, match=r"the cotangent\['y'\] has shape \(3,\) but f's "
                                            r"output\['y'\] has shape \(2,\)"):
        vjp_fn({"y": np.ones(3), "z": 1.0})


def test_jvp_with_pytree_primals_and_outputs():
    def f(p):
        return [p["a"].sin(), p["a"] * p["b"]]

    p = {"a": np.array([0.1, 0.2]), "b": 2.0}
    t = {"a": np.array([1.0, -1.0]), "b": 0.5}
    out, tangent = ag.jvp(f, (p,), (t,))
    np.testing.assert_allclose(out[0], np.sin(p["a"]))
    np.testing.assert_allclose(tangent[0], np.cos(p["a"]) * t["a"])
    np.testing.assert_allclose(tangent[1], t["a"] * 2.0 + p["a"] * 0.5)
    with pytest.raises(ValueError, match="tangent 0 has the structure a dict with keys"):
        ag.jvp(f, (p,), ({"a": t["a"]},))


def test_elementwise_grad():
    x = np.linspace(-2.0, 2.0, 5)
    np.testing.assert_allclose(ag.elementwise_grad(lambda x: x.tanh())(x), 1 - np.tanh(x) ** 2)
    np.testing.assert_allclose(ag.elementwise_grad(lambda x: 3 * x ** 2)(np.ones((2, 2))),
                               6 * np.ones((2, 2)))
    # not elementwise: the column sums of the Jacobian (the gradient of the sum)
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(ag.elementwise_grad(lambda v: ag.Tensor(m) @ v)(np.ones(2)),
                               m.sum(axis=0))
    # a pytree in, a pytree out: every output summed
    g = ag.elementwise_grad(lambda p: [p["a"] * 2, p["a"] * p["b"]])({"a": 1.0, "b": 4.0})
    assert g == {"a": 6.0, "b": 1.0}
    assert "elementwise_grad" in ag.__all__


# ----- numerical_grad and gradcheck --------------------------------------------------------------
def test_numerical_grad_of_a_pytree():
    g = ag.numerical_grad(loss, {"W": W, "b": B})
    gw, gb = loss_gradient_by_hand(W, B)
    assert list(g) == ["W", "b"]
    np.testing.assert_allclose(g["W"], gw, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(g["b"], gb, rtol=1e-7, atol=1e-9)
    assert ag.numerical_grad(lambda p: p[0] * p[1], (2.0, 3.0)) == pytest.approx((3.0, 2.0))


def test_gradcheck_of_pytrees_in_and_out():
    assert ag.gradcheck(loss, {"W": W, "b": B})
    assert ag.gradcheck(lambda p: {"y": predict(p), "s": predict(p).sum()}, {"W": W, "b": B})


class WrongBias(ag.Function):
    """x + b with the gradient of b doubled."""

    def forward(self, x, b):
        return x + b

    def vjp(self, grad_out):
        return grad_out, 2 * grad_out

    def jvp(self, tx, tb):
        return (0 if tx is None else tx) + (0 if tb is None else tb)


def test_gradcheck_names_the_leaf_of_a_pytree():
    def model(params, x):
        return {"out": WrongBias.apply(x @ params["layers"][0]["W"], params["layers"][0]["b"])}

    params = {"layers": [{"W": W, "b": B}]}
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(model, params, XS, check_forward=False)
    error = info.value
    assert error.argnum == 0 and error.path == "['layers'][0]['b']"
    assert error.output_path == "['out']"
    assert "argument 0['layers'][0]['b'] ('params', shape (2,))" in str(error)
    assert "output ['out'] element" in str(error)


# ----- errors name the leaf ---------------------------------------------------------------------
@pytest.mark.parametrize("tree, words", [
    ({"W": W, "b": None}, r"grad: argument 0\['b'\] is None"),
    ([1.0, "2.0"], r"grad: argument 0\[1\] is a str, not a float or an ndarray"),
    ({"n": np.arange(3)}, r"grad: argument 0\['n'\] has the integer dtype int64"),
    ([[1.0], [True]], r"grad: argument 0\[1\]\[0\] is a bool"),
    ({"v": ag.Value(1.0)}, r"grad: argument 0\['v'\] is a Value"),
])
def test_unsupported_leaves_are_named_by_their_path(tree, words):
    with pytest.raises(TypeError, match=words):
        ag.grad(lambda p: ag.Tensor(0.0))(tree)


# ----- against HIPS autograd and PyTorch --------------------------------------------------------
def init_params(layer_sizes, rng):
    """A list of (W, b) pairs, as HIPS autograd's neural_net.py keeps a network's parameters."""
    return [(rng.standard_normal((m, n)) * 0.3, rng.standard_normal(n) * 0.3)
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]


def test_list_of_weight_bias_pairs_matches_hips_autograd():
    """The parameters and the log-posterior of HIPS autograd's examples/neural_net.py (a list
    of (W, b) pairs, tanh layers, log-softmax outputs, an L2 prior), differentiated by both
    libraries; HIPS's version runs its own np.dot, ours the @ operator."""
    anp = pytest.importorskip("autograd.numpy")
    from autograd import grad as hips_grad
    from autograd.scipy.special import logsumexp as hips_logsumexp

    rng = np.random.default_rng(0)
    params = init_params([3, 5, 4], rng)
    inputs = rng.standard_normal((6, 3))
    targets = np.eye(4)[rng.integers(0, 4, 6)]

    def log_posterior(params, inputs, targets, l2=0.1):
        x = inputs
        for W, b in params:
            outputs = x @ W + b
            x = outputs.tanh()
        log_probs = outputs - outputs.logsumexp(axis=1, keepdims=True)
        prior = sum((W ** 2).sum() + (b ** 2).sum() for W, b in params)
        return -l2 * prior + (log_probs * targets).sum()

    def hips_log_posterior(params, inputs, targets, l2=0.1):
        x = inputs
        for W, b in params:
            outputs = anp.dot(x, W) + b
            x = anp.tanh(outputs)
        log_probs = outputs - hips_logsumexp(outputs, axis=1, keepdims=True)
        prior = sum(anp.sum(W ** 2) + anp.sum(b ** 2) for W, b in params)
        return -l2 * prior + anp.sum(log_probs * targets)

    ours = ag.grad(log_posterior)(params, inputs, targets)
    theirs = hips_grad(hips_log_posterior)(params, inputs, targets)
    assert type(ours) is list and all(type(pair) is tuple for pair in ours)
    for (gw, gb), (hw, hb) in zip(ours, theirs):
        np.testing.assert_allclose(gw, hw, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(gb, hb, rtol=1e-12, atol=1e-14)
    # a few steps of gradient ascent, as the example trains, give the same parameters
    ours_p, theirs_p = params, params
    for _ in range(3):
        g = ag.grad(log_posterior)(ours_p, inputs, targets)
        ours_p = [(W + 0.1 * dW, b + 0.1 * db) for (W, b), (dW, db) in zip(ours_p, g)]
        h = hips_grad(hips_log_posterior)(theirs_p, inputs, targets)
        theirs_p = [(W + 0.1 * dW, b + 0.1 * db) for (W, b), (dW, db) in zip(theirs_p, h)]
    for (w1, b1), (w2, b2) in zip(ours_p, theirs_p):
        np.testing.assert_allclose(w1, w2, rtol=1e-12)
        np.testing.assert_allclose(b1, b2, rtol=1e-12)


def test_dict_hessian_matches_torch():
    torch = pytest.importorskip("torch")
    params = {"W": W, "b": B}

    def torch_loss(w, b):
        return (torch.tanh(torch.tensor(XS) @ w + b) ** 2).sum()

    blocks = torch.autograd.functional.hessian(torch_loss, (torch.tensor(W), torch.tensor(B)))
    ours = ag.hessian(loss)(params)
    names = ["W", "b"]
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            np.testing.assert_allclose(ours[a][b], blocks[i][j].numpy(), rtol=1e-12,
                                       atol=1e-14)
