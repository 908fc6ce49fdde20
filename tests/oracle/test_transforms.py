"""The function transforms on random composite functions, against independent engines:
PyTorch's `torch.func` and, where it is installed, HIPS autograd. Each is skipped cleanly
where it is missing (`.ci/run` installs torch==2.13.0).

The functions are the random graphs of `graphs.py` with some leaves turned into the
function's arguments and the rest into constants: a scalar output (a weighted sum of every
node) for `grad`, `value_and_grad` and `hessian`, the last node for `jacobian`, `vjp`, `jvp`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd_lite as ag

from .graphs import AgEngine, Graph, TorchEngine, apply_step, generate

TOL = {"rtol": 1e-10, "atol": 1e-10}
SEEDS = range(30_000, 30_024)


def make_functions(E: Any, graph: Graph, argnums: tuple[int, ...]) -> tuple[Callable, Callable]:
    """(scalar f, array-valued g) of the leaves at `argnums`; other leaves are constants."""

    def nodes_of(*xs: Any) -> list[Any]:
        # an argument a transform does not differentiate arrives as a plain array
        given = {i: E.const(x) if isinstance(x, np.ndarray) else x for i, x in zip(argnums, xs)}
        nodes = [given[i] if i in given else E.const(a) for i, a in enumerate(graph.leaves)]
        weight = E.const(graph.weight)
        for step in graph.steps:
            nodes.append(apply_step(E, step, nodes, weight))
        return nodes

    def f(*xs: Any) -> Any:
        nodes = nodes_of(*xs)
        total = None
        for node, w in zip(nodes[len(graph.leaves):], graph.loss_weights):
            term = E.reduce("sum", node * E.const(w), None, False)
            total = term if total is None else total + term
        return total

    def g(*xs: Any) -> Any:
        return nodes_of(*xs)[-1]

    return f, g


def small_graph(seed: int) -> tuple[Graph, tuple[int, ...]]:
    graph = generate(seed, n_steps=8)
    argnums = (0,) if len(graph.leaves) < 3 or seed % 2 else (0, len(graph.leaves) - 1)
    return graph, argnums


class TorchOracle:
    """The reference derivatives from `torch.func` (reverse over reverse for the Hessian)."""

    def __init__(self) -> None:
        self.torch = pytest.importorskip("torch")
        self.func = self.torch.func

    def functions(self, graph: Graph, argnums: tuple[int, ...]) -> tuple[Callable, Callable]:
        return make_functions(TorchEngine(self.torch), graph, argnums)

    def args(self, graph: Graph, argnums: tuple[int, ...]) -> list[Any]:
        return [self.torch.tensor(graph.leaves[i]) for i in argnums]

    def grad(self, f: Callable, args: list[Any]) -> list[np.ndarray]:
        grads = self.func.grad(f, argnums=tuple(range(len(args))))(*args)
        return [g.numpy() for g in grads]

    def jacobian(self, g: Callable, args: list[Any]) -> list[np.ndarray]:
        jac = self.func.jacrev(g, argnums=tuple(range(len(args))))(*args)
        return [j.numpy() for j in jac]

    def hessian(self, f: Callable, args: list[Any]) -> np.ndarray:
        return self.func.jacrev(self.func.jacrev(f))(*args).numpy()

    def vjp(self, g: Callable, args: list[Any], cotangent: np.ndarray) -> list[np.ndarray]:
        _, vjp_fn = self.func.vjp(g, *args)
        return [v.numpy() for v in vjp_fn(self.torch.tensor(cotangent))]

    def jvp(self, g: Callable, args: list[Any], tangents: list[np.ndarray]) -> np.ndarray:
        _, out = self.func.jvp(g, tuple(args), tuple(self.torch.tensor(t) for t in tangents))
        return out.numpy()


class HipsEngine(AgEngine):
    """The recipes' vocabulary in HIPS autograd's `autograd.numpy`."""

    def __init__(self) -> None:
        self.np = pytest.importorskip("autograd.numpy")
        from autograd.scipy.special import logsumexp

        self.logsumexp = logsumexp

    def const(self, a: Any) -> Any:
        return np.asarray(a, dtype=np.float64)

    def shape(self, x: Any) -> tuple[int, ...]:
        return tuple(self.np.shape(x))

    def unary(self, name: str, x: Any) -> Any:
        anp = self.np
        if name == "relu":
            return anp.where(x > 0, x, 0.0)
        if name == "sigmoid":
            return 0.5 * (anp.tanh(x / 2) + 1)
        return getattr(anp, name)(x)

    def clip(self, x, lo, hi):
        return self.np.clip(x, lo, hi)

    def maximum(self, x, y):
        return self.np.maximum(x, y)

    def minimum(self, x, y):
        return self.np.minimum(x, y)

    def where(self, cond, x, y):
        return self.np.where(cond, x, y)

    def matmul(self, x, y):
        return self.np.matmul(x, y)

    def softmax(self, x, axis):
        return self.np.exp(self.log_softmax(x, axis))

    def log_softmax(self, x, axis):
        return x - self.logsumexp(x, axis=axis, keepdims=True)

    def reshape(self, x, shape):
        return self.np.reshape(x, shape)

    def transpose(self, x):
        return self.np.transpose(x)

    def broadcast_to(self, x, shape):
        return self.np.broadcast_to(x, shape)

    def concatenate(self, xs, axis):
        return self.np.concatenate(xs, axis=axis)

    def stack(self, xs, axis):
        return self.np.stack(xs, axis=axis)

    def reduce(self, kind, x, axis, keepdims):
        if kind == "logsumexp":
            return self.logsumexp(x, axis=axis, keepdims=keepdims)
        return getattr(self.np, kind)(x, axis=axis, keepdims=keepdims)


class HipsOracle:
    """The reference derivatives from HIPS autograd (one argument at a time)."""

    def __init__(self) -> None:
        self.engine = HipsEngine()
        import autograd

        self.autograd = autograd

    def functions(self, graph: Graph, argnums: tuple[int, ...]) -> tuple[Callable, Callable]:
        return make_functions(self.engine, graph, argnums)

    def args(self, graph: Graph, argnums: tuple[int, ...]) -> list[Any]:
        return [graph.leaves[i] for i in argnums]

    def grad(self, f: Callable, args: list[Any]) -> list[np.ndarray]:
        return [np.asarray(self.autograd.grad(f, i)(*args)) for i in range(len(args))]

    def jacobian(self, g: Callable, args: list[Any]) -> list[np.ndarray]:
        return [np.asarray(self.autograd.jacobian(g, i)(*args)) for i in range(len(args))]

    def hessian(self, f: Callable, args: list[Any]) -> np.ndarray:
        return np.asarray(self.autograd.hessian(lambda x: f(x, *args[1:]))(args[0]))

    def vjp(self, g: Callable, args: list[Any], cotangent: np.ndarray) -> list[np.ndarray]:
        results = []
        for i in range(len(args)):
            vjp_fn, _ = self.autograd.make_vjp(g, i)(*args)
            results.append(np.asarray(vjp_fn(cotangent)))
        return results

    def jvp(self, g: Callable, args: list[Any], tangents: list[np.ndarray]) -> np.ndarray:
        total = 0.0
        for i, tangent in enumerate(tangents):
            _, out = self.autograd.make_jvp(g, i)(*args)(tangent)
            total = total + np.asarray(out)
        return total


ORACLES = {"torch": TorchOracle, "hips": HipsOracle}


@pytest.fixture(params=sorted(ORACLES))
def oracle(request):
    return ORACLES[request.param]()


@pytest.mark.filterwarnings("ignore:Output seems independent of input")  # HIPS, constant parts
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")  # inside torch.func
@pytest.mark.parametrize("seed", SEEDS)
def test_transforms_match_the_oracle(oracle, seed):
    graph, argnums = small_graph(seed)
    f, g = make_functions(AgEngine(), graph, argnums)
    f_ref, g_ref = oracle.functions(graph, argnums)
    args = [graph.leaves[i] for i in argnums]
    ref_args = oracle.args(graph, argnums)
    positions = tuple(range(len(args)))
    rng = np.random.default_rng(seed)

    expected_grads = oracle.grad(f_ref, ref_args)
    value, grads = ag.value_and_grad(f, argnums=positions)(*args)
    assert np.isfinite(value)
    for got, expected in zip(grads, expected_grads):
        np.testing.assert_allclose(got, expected, **TOL)
    for got, expected in zip(ag.grad(f, argnums=positions)(*args), expected_grads):
        np.testing.assert_allclose(got, expected, **TOL)

    expected_jac = oracle.jacobian(g_ref, ref_args)
    for mode in ("rev", "fwd", "auto"):
        jac = ag.jacobian(g, argnums=positions, mode=mode)(*args)
        for got, expected in zip(jac, expected_jac):
            np.testing.assert_allclose(got, expected, err_msg=mode, **TOL)

    out = g(*[ag.Tensor(a) for a in args])
    cotangent = rng.standard_normal(out.shape)
    _, vjp_fn = ag.vjp(g, *args)
    for got, expected in zip(vjp_fn(cotangent), oracle.vjp(g_ref, ref_args, cotangent)):
        np.testing.assert_allclose(got, expected, **TOL)
    tangents = [rng.standard_normal(a.shape) for a in args]
    _, tangent_out = ag.jvp(g, tuple(args), tuple(tangents))
    np.testing.assert_allclose(tangent_out, oracle.jvp(g_ref, ref_args, tangents), **TOL)

    expected_h = oracle.hessian(f_ref, ref_args)
    for mode in ("rev", "fwd"):
        np.testing.assert_allclose(ag.hessian(f, mode=mode)(*args), expected_h, err_msg=mode,
                                   **TOL)
    np.testing.assert_allclose(ag.jacobian(ag.grad(f))(*args), expected_h, **TOL)
