"""Soak and memory: long training runs keep memory flat, graphs and the buffers saved for
backward are freed by reference counting the moment they are no longer needed (checked with
the cyclic garbage collector disabled, so nothing waits for a collection), and extreme graph
shapes (a chain of a million Values, a node with 100,000 children) work.
"""

from __future__ import annotations

import gc
import math
import sys
import tracemalloc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

import autograd_lite as ag
from autograd_lite import Tensor, Value, nn, optim
from autograd_lite.engine.backward import topological_order


@contextmanager
def collector_off() -> Iterator[None]:
    """Disable the cyclic garbage collector (freeing must happen by reference counting)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def training_step(model: nn.Module, opt: optim.Optimizer, X: Tensor, y: np.ndarray) -> float:
    opt.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(model(X).reshape(-1), y)
    loss.backward()
    opt.step()
    return loss.item()


def test_ten_thousand_training_steps_keep_memory_flat():
    """10,000 Adam steps of an MLP. After a warm-up of 1,000, the number of allocated memory
    blocks stays flat over the next 8,000 (cheap to watch, so the run takes seconds) and
    tracemalloc sees no growth over the last 1,000 (it counts NumPy's buffers too); no step
    leaves a reference cycle behind, and the model learns."""
    ag.manual_seed(0)
    X, y = ag.datasets.make_moons(32, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 1], activation="tanh")
    opt = optim.Adam(model.parameters(), lr=0.01)
    X, y = Tensor(X), y.astype(float)
    first = training_step(model, opt, X, y)
    for _ in range(999):  # warm-up: optimizer state, caches and free lists settle
        training_step(model, opt, X, y)

    with collector_off():
        blocks = sys.getallocatedblocks()
        for _ in range(8000):
            training_step(model, opt, X, y)
        grown_blocks = sys.getallocatedblocks() - blocks
        tracemalloc.start()
        try:
            for _ in range(100):
                training_step(model, opt, X, y)
            settled, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            for _ in range(900):
                last = training_step(model, opt, X, y)
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        cyclic_garbage = gc.collect()

    # A leak of one object per step would add 8,000 blocks, or 900 * 50 bytes.
    assert grown_blocks < 100, f"{grown_blocks} more memory blocks after 8,000 steps"
    assert current - settled < 8192, f"memory grew by {current - settled} bytes in 900 steps"
    assert peak - settled < 1_000_000, f"one step held {peak - settled} bytes at its peak"
    assert cyclic_garbage == 0, f"training left {cyclic_garbage} objects in reference cycles"
    assert last < 0.05 * first


def saved_arrays(root: Tensor) -> list[weakref.ref]:
    """Weak references to the arrays ops saved for backward that no node (constants included)
    holds as its data (masks, shares, signs): backward without retain_graph must free them."""
    nodes = topological_order(root)
    datas = {id(n._data) for n in nodes} | {id(p._data) for n in nodes for p in n.parents}
    refs = []
    for node in nodes:
        op = node._op
        if op is None:
            continue
        for name in op.saved:
            value = getattr(op, name)
            if isinstance(value, np.ndarray) and id(value) not in datas:
                refs.append(weakref.ref(value))
    return refs


def build_loss(x: Tensor, w: Tensor) -> tuple[Tensor, list[Tensor]]:
    """A graph whose ops save every kind of buffer; returns the loss and some intermediates."""
    h = (x @ w).relu()
    m = ag.maximum(h, x[:, :1] * 0.5)
    k = abs(ag.minimum(m, 2.5) - 0.3).clip(0.1, 2.0)
    s = (k.max(axis=1, keepdims=True) - k.log_softmax(axis=1)).exp()
    loss = (s * m).sum() + (w * w).sum() + (k.sqrt() / (1.0 + k)).mean()
    return loss, [h, m, k, s]


def test_graph_and_saved_buffers_are_freed_right_after_backward():
    rng = np.random.default_rng(0)
    with collector_off():
        x = Tensor(rng.standard_normal((5, 3)), requires_grad=True)
        w = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
        loss, intermediates = build_loss(x, w)
        buffers = saved_arrays(loss)
        assert len(buffers) >= 5
        grads_seen: list[weakref.ref] = []
        for node in intermediates:
            node.register_hook(lambda g: grads_seen.append(weakref.ref(g)))
        node_refs = [weakref.ref(n) for n in topological_order(loss) if n._op is not None]
        del intermediates, node

        loss.backward()
        assert all(r() is None for r in buffers), "saved buffers outlived backward"
        assert len(grads_seen) == 4 and all(r() is None for r in grads_seen), (
            "gradients of intermediate nodes outlived backward")
        ops = [r()._op for r in node_refs]
        assert all(op.freed for op in ops)
        assert all(getattr(op, name) is None for op in ops for name in op.saved)
        assert all(r() is not None for r in node_refs), "the structure stays (to be drawn)"
        assert x.grad.shape == x.shape and w.grad.shape == w.shape
        del ops

        del loss
        assert all(r() is None for r in node_refs), "the graph outlived its last reference"


def test_retain_graph_keeps_buffers_until_the_last_backward():
    rng = np.random.default_rng(1)
    with collector_off():
        x = Tensor(rng.standard_normal((5, 3)), requires_grad=True)
        w = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
        loss = build_loss(x, w)[0]
        buffers = saved_arrays(loss)
        loss.backward(retain_graph=True)
        assert all(r() is not None for r in buffers)
        first = x.grad.copy()
        loss.backward()
        np.testing.assert_allclose(x.grad, 2 * first, rtol=1e-15)
        assert all(r() is None for r in buffers)


def test_create_graph_leaves_no_cycles():
    """The gradient graph of create_graph=True is freed by reference counting, too."""
    rng = np.random.default_rng(2)
    with collector_off():
        x = Tensor(rng.standard_normal((5, 3)), requires_grad=True)
        w = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
        loss = build_loss(x, w)[0]
        loss.backward(create_graph=True)
        g = w.grad
        w.grad = x.grad = None
        (g * g).sum().backward()
        refs = [weakref.ref(n) for n in topological_order(g) if n is not x and n is not w]
        refs += [weakref.ref(n) for n in topological_order(loss) if n is not x and n is not w]
        assert w.grad is not None and len(refs) > 20
        del loss, g
        w.grad = x.grad = None
        alive = sum(r() is not None for r in refs)
        assert alive == 0, f"{alive} nodes of a create_graph graph waited for the collector"


def test_value_graph_is_freed_without_the_collector():
    with collector_off():
        a, b = Value(0.3), Value(-1.2)
        out = ((a * b).tanh() + a.exp() / (b * b + 1) - a ** 2).sigmoid()
        out.backward()
        refs = [weakref.ref(n) for n in topological_order(out) if n._op is not None]
        del out
        assert all(r() is None for r in refs)


def test_transforms_leave_no_nodes_behind():
    """grad, jacobian, hessian, vjp and jvp build and drop graphs: nothing survives a call."""

    def f(x):
        return (x.tanh() * x[::-1]).sum() + (x ** 2).mean().sqrt()

    def live_tensors() -> int:
        return sum(type(o) is Tensor for o in gc.get_objects())

    x = np.linspace(-1.0, 1.0, 5)
    with collector_off():
        ag.hessian(f)(x)  # warm-up: anything built once on first use
        before = live_tensors()
        ag.grad(f)(x)
        ag.jacobian(lambda x: x.tanh() * x.sum())(x)
        ag.hessian(f)(x)
        ag.hessian(f, mode="rev")(x)
        _out, vjp_fn = ag.vjp(lambda x: x.exp() * 2, x)
        vjp_fn(np.ones(5))
        del vjp_fn
        ag.jvp(lambda x: x.sin() * x, (x,), (np.ones(5),))
        ag.jacobian(ag.grad(f))(x)
        after = live_tensors()
    assert after == before, f"{after - before} Tensors outlived the transforms"


def test_value_chain_of_one_million_nodes_runs_and_is_freed():
    """A million-node chain: backward without recursion, exact gradient, and freed by
    reference counting (deallocating a deep chain must not overflow the C stack either)."""
    x = Value(0.5)
    with collector_off():
        blocks = sys.getallocatedblocks()
        y = x + 0.25
        first = weakref.ref(y)
        for i in range(1, 1_000_000):
            y = y * 1.000001 if i % 2 else y + 0.25  # 1,000,000 nodes in all
        y.backward()
        assert x.grad == pytest.approx(1.000001 ** 500_000, rel=1e-12)
        assert sys.getrecursionlimit() < 1_000_000
        del y
        assert first() is None
        assert sys.getallocatedblocks() - blocks < 10_000, "the chain was not freed"


def test_a_node_with_100_000_children():
    """Fan-out of 100,000: every use adds into the one gradient, nothing is counted twice."""
    coeffs = [float(i % 7 - 3) for i in range(100_000)]
    v = Value(0.5)
    terms = [v * c for c in coeffs]
    while len(terms) > 1:  # a balanced sum keeps the depth at 17
        terms = [terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i]
                 for i in range(0, len(terms), 2)]
    terms[0].backward()
    assert v.grad == math.fsum(coeffs)

    t = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    total = ag.stack([t * c for c in coeffs]).sum(axis=0)  # one node with 100,000 parents too
    total.backward(np.ones(3))
    np.testing.assert_array_equal(t.grad, np.full(3, math.fsum(coeffs)))
