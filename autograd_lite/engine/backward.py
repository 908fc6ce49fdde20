"""The backward pass: topological order, the loop over it, and the helpers it calls.

`iterate_backward` is the one loop. `run_backward` (behind `.backward()`) drains it, and the
stepping iterator `backward_steps` consumes it one node at a time, so the two can never
disagree. Every function here works for `Value` and `Tensor` nodes alike.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from operator import attrgetter
from sys import getrefcount
from typing import Any

import numpy as np

from ..debug.anomaly import AnomalyMode, check_backward
from .errors import ShapeError, complex_error
from .grad_mode import set_grad_enabled
from .node import History, Node, stand_ins
from .op import Op


def topological_order(root: Node) -> list[Node]:
    """Every node `root` depends on through `requires_grad` edges, parents before children.

    A node's parents always exist before the node is made, so creation order is a
    topological order: a search with an explicit stack (no recursion, so a graph a million
    nodes deep is fine) collects the nodes, and a sort by their creation number `id` puts them
    in the order the forward pass made them. The order is the same on every run. Nodes are
    tracked by identity (the default object hash, which Tensor keeps), never by `==`. They
    are sorted in the order the search found them, which is close to reverse creation order
    (exactly that for a chain), so the sort takes about one pass instead of n log n compares.
    """
    if not root.requires_grad:
        return []
    rewrites = History.rewrites  # an in-place operator ran somewhere: see `stand_ins`
    seen = {root}
    see = seen.add
    found = [root]
    keep = found.append
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        for parent in stand_ins(node) if rewrites else node.parents:
            if parent.requires_grad and parent not in seen:
                see(parent)
                keep(parent)
                push(parent)
    found.sort(key=BY_ID)
    return found


#: The sort key of `topological_order`: a node's creation number.
BY_ID = attrgetter("id")


def sum_to_shape(grad: Any, shape: tuple[int, ...], op: str = "") -> Any:
    """Sum a gradient computed in a broadcast shape back to an input's `shape`.

    Works on ndarrays and on Tensors (for `create_graph`). Raises `ShapeError` when `shape`
    cannot broadcast to `grad.shape`, which means an op's vjp returned a wrong shape.
    """
    gshape = grad.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    if lead == 1 and gshape[1:] == shape and type(grad) is np.ndarray:
        return np.add.reduce(grad, axis=0)  # one leading axis added (a bias): the common case
    if lead < 0 or any(s != 1 and s != gshape[lead + i] for i, s in enumerate(shape)):
        raise ShapeError(
            f"{op or 'backward'}: a gradient of shape {tuple(gshape)} cannot be summed back to "
            f"the input's shape {tuple(shape)}; the op's vjp must return, for each input, a "
            "gradient of that input's shape or of the output's broadcast shape"
        )
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and gshape[lead + i] != 1
    )
    if isinstance(grad, np.ndarray):  # the ufunc directly: ndarray.sum adds a Python layer
        return np.add.reduce(grad, axis=axes).reshape(shape)
    return grad.sum(axis=axes).reshape(shape)


def accumulate_grad(node: Node, grad: Any, owned: bool = False) -> None:
    """Add `grad` into `node.grad` (`+=` semantics, never in place, never aliasing a buffer).

    `owned=True` says nothing else can reach `grad`'s memory (see `sole_owner`): then a first
    gradient of the right dtype is kept as it is instead of being copied.
    """
    prev = node.grad
    if prev is None:
        if isinstance(grad, Node) or (owned and grad.dtype == node._data.dtype):
            node.grad = grad  # a graph node (create_graph), or an array nothing else holds
        else:
            if grad.dtype.kind == "c":
                raise complex_gradient_error(node, grad)
            node.grad = np.array(grad, dtype=node._data.dtype)
    elif isinstance(prev, np.ndarray) and not isinstance(grad, Node):
        if grad.dtype.kind == "c":
            raise complex_gradient_error(node, grad)
        node.grad = np.asarray(prev + grad, dtype=prev.dtype)
    else:
        node.grad = prev + grad


def complex_gradient_error(node: Node, grad: Any) -> TypeError:
    """The error for a complex gradient reaching a real node (from a custom op's vjp or a
    hook): storing it would drop the imaginary part."""
    name = f"'{node.label}'" if node.label else f"id {node.id}"
    return complex_error(
        f"backward: the gradient for node {name} is complex ({grad.dtype}), from a custom "
        "Function's vjp or a hook, but the node is real"
    )


def sole_owner(grad: Any) -> bool:
    """True when only the backward loop's `grad_out` variable can reach `grad`'s memory.

    Then a leaf may keep the array as its `.grad` instead of a copy, which on large weights
    saves a pass over memory per parameter and step (PyTorch's AccumulateGrad makes the same
    check). Reference counts tell: the loop's variable, this function's argument and
    `getrefcount`'s own make 3; a view counts when it is the only one on its base's memory.
    Anything else holding the array (another pending gradient, a hook, a seed the caller
    passed, a step a consumer keeps) raises the count, and the gradient is copied as before.
    """
    if not COUNTS_REFERENCES or type(grad) is not np.ndarray or getrefcount(grad) != 3 \
            or not grad.flags.writeable:
        return False
    base = grad.base
    # The base: referenced by the view, by `base` here and by getrefcount's argument.
    return base is None or (type(base) is np.ndarray and base.base is None
                            and getrefcount(base) == 3)


def probe_sole_owner() -> Iterator[bool]:
    """`sole_owner` asked about an array held once and one held twice, from a generator frame
    as in the backward loop (reference counts differ between Python implementations)."""
    grad_out = np.zeros(2)
    owned = sole_owner(grad_out)
    yield owned
    grad_out = np.zeros(2)[::2]  # a view, the only one on its memory
    owned = sole_owner(grad_out)
    yield owned
    kept = grad_out = np.zeros(2)
    owned = sole_owner(grad_out)
    yield owned
    del kept


#: Whether reference counts here are what `sole_owner` expects; if not, gradients are copied.
COUNTS_REFERENCES = True
COUNTS_REFERENCES = list(probe_sole_owner()) == [True, True, False]


def run_hooks(node: Node, grad: Any) -> Any:
    """Call the node's hooks in registration order; a hook may return a replacement grad."""
    for hook in list(node._hooks):
        result = hook(grad)
        if result is not None:
            if getattr(getattr(result, "dtype", None), "kind", "") == "c":
                raise complex_error(
                    f"hook {getattr(hook, '__name__', hook)!s} returned a complex gradient "
                    f"({result.dtype})"
                )
            if getattr(result, "shape", ()) != getattr(grad, "shape", ()):
                raise ShapeError(
                    f"hook {getattr(hook, '__name__', hook)!s} returned a gradient of shape "
                    f"{getattr(result, 'shape', ())} for a node of shape "
                    f"{getattr(grad, 'shape', ())}; a hook must return None or a gradient of the "
                    "node's shape"
                )
            grad = result
    return grad


def freed_graph_error(node: Node, op: Op) -> RuntimeError:
    """The error for a second backward through buffers an earlier backward released."""
    name = f"'{node.label}'" if node.label else f"id {node.id}"
    return RuntimeError(
        f"backward: the values op '{op.name}' saved for backward (node {name}) were "
        "already freed by an earlier backward(). Pass retain_graph=True to the first backward() "
        "to run backward through the same graph again, or recompute the forward pass."
    )


def check_versions(node: Node, op: Op) -> None:
    """Raise if a tensor whose values `op` saved was changed in place since it was recorded."""
    versions = op.versions
    parents = node.parents
    if node._version == versions[0]:  # the usual case, checked without building anything
        if len(parents) == 1 and parents[0]._version == versions[1]:
            return
        if len(parents) == 2 and parents[0]._version == versions[1] and \
                parents[1]._version == versions[2]:
            return
        if len(parents) == 3 and parents[0]._version == versions[1] and \
                parents[1]._version == versions[2] and parents[2]._version == versions[3]:
            return
    for tensor, version in zip((node, *parents), versions):
        if tensor._version != version:
            name = f"'{tensor.label}'" if tensor.label else f"id {tensor.id}"
            raise RuntimeError(
                f"backward: tensor {name} of shape {tuple(tensor._data.shape)} was changed in "
                f"place (a write into .data, or an in-place operator such as +=, on it or on a "
                f"tensor sharing its memory) after op '{op.name}' saved it for backward, so its "
                "gradient would be wrong. Change values only after backward(), or run the "
                "forward pass again after the change."
            )


def lift_saved(value: Any, node: Node, parents: tuple[Node, ...]) -> Any:
    """For `create_graph`: turn a saved array back into the graph node it came from.

    The output's data becomes the output node, an input's data becomes that input, any other
    array becomes a constant node; a tuple (the floats a scalar `linear` saves, one per input)
    is lifted item by item; everything else (axes, shapes, flags) is kept as it is.
    """
    if value is node._data:
        return node
    for parent in parents:
        if value is parent._data:
            return parent
    if isinstance(value, np.ndarray):
        return node.wrap_constant(value)
    if type(value) is tuple:
        return tuple([lift_saved(item, node, parents) for item in value])
    return value


def not_differentiable_error(op: Op, name: str) -> RuntimeError:
    """The error for a value an op kept that `create_graph` cannot turn back into a node."""
    return RuntimeError(
        f"{op.name}: cannot differentiate the derivative (create_graph=True, hessian, grad of "
        f"grad) through the value kept as self.{name}: it is neither an input of the op nor its "
        "output, so the graph does not know how it depends on the inputs, and it would count "
        "as a constant (a silently wrong higher derivative). In forward, keep only the inputs "
        f"(and the output) on self, and compute {name} inside vjp from them with operations "
        f"that work on arrays and Tensors alike (e.g. np.cos(self.x) or self.x * 2, not a "
        "value computed in forward)."
    )


@contextmanager
def saved_on_graph(node: Node, op: Op) -> Iterator[None]:
    """Inside the block, the op's saved arrays are the graph nodes they came from (see
    `lift_saved`) and grad mode is on, so a rule run there records a differentiable graph.

    Raises `RuntimeError` for an op that kept a value computed from its inputs that is
    neither an input nor the output (`op.derived`, set by user-defined Functions): lifted, it
    would be a constant, and the higher derivative silently wrong.
    """
    derived = op.derived
    if derived:
        raise not_differentiable_error(op, derived[0])
    names = op.saved
    originals = [getattr(op, name) for name in names]
    try:
        for name, value in zip(names, originals):
            setattr(op, name, lift_saved(value, node, node.parents))
        with set_grad_enabled(True):
            yield
    finally:
        for name, value in zip(names, originals):
            setattr(op, name, value)


def vjp_on_graph(node: Node, op: Op, grad_out: Any) -> Any:
    """Run `op.vjp` on graph nodes instead of arrays, so the gradients are differentiable."""
    with saved_on_graph(node, op):
        return op.vjp(grad_out)


def backward_step(node: Node, op: Op, grad_out: Any, create_graph: bool,
                  check: bool = True) -> tuple:
    """Apply one op's vector-Jacobian product: the gradient sent to each parent of `node`.

    Broadcasting is undone here, once for every op: each gradient comes back in its parent's
    shape. `None` marks a parent that gets no gradient. `check=False` skips checking that the
    op is still usable, for a caller that has just checked the whole graph.
    """
    if check:
        check_usable(node, op)
    if create_graph:
        input_grads = vjp_on_graph(node, op, grad_out)
    else:
        input_grads = op.vjp(grad_out)
    return tidy_input_grads(node, op, input_grads)


def tidy_input_grads(node: Node, op: Op, input_grads: Any) -> tuple:
    """What an op's vjp returned, as a tuple with one gradient per parent in its parent's
    shape (broadcasting undone); raises for a wrong count or something that is not a
    gradient."""
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    parents = node.parents
    if len(input_grads) != len(parents):
        raise RuntimeError(
            f"{op.name}.vjp returned {len(input_grads)} gradient(s) for {len(parents)} input(s); "
            "return a tuple with one gradient (or None) per input, in the inputs' order"
        )
    if op.unbroadcast:
        try:
            for parent, grad in zip(parents, input_grads):
                if grad is not None and grad.shape != parent._data.shape:
                    return unbroadcast(parents, input_grads, op.name)
        except AttributeError:
            raise not_a_gradient_error(op, input_grads) from None
    return input_grads


def not_a_gradient_error(op: Op, input_grads: tuple) -> TypeError:
    """The error for a vjp that returned something other than arrays (a float, a list)."""
    kinds = ", ".join(type(g).__name__ for g in input_grads)
    return TypeError(
        f"{op.name}.vjp returned ({kinds}); each gradient must be an ndarray of its input's "
        "shape (a Tensor under create_graph), or None for an input that gets none"
    )


def unbroadcast(parents: tuple[Node, ...], input_grads: tuple, op: str) -> tuple:
    """Each gradient summed back to its parent's shape (`None` stays `None`)."""
    fixed = []
    for parent, grad in zip(parents, input_grads):
        if grad is not None and grad.shape != parent._data.shape:
            grad = sum_to_shape(grad, parent._data.shape, op)
        fixed.append(grad)
    return tuple(fixed)


def check_graph_usable(order: list[Node]) -> None:
    """Refuse, before any gradient moves, a graph that backward could not finish (buffers
    freed by an earlier backward, saved data changed in place), so a failed backward leaves
    every `.grad` as it was."""
    for node in order:
        op = node._op
        # Only an op that frees buffers or keeps versions can fail `check_usable`: scalar
        # ops and ops that saved nothing are passed over without a call.
        if op is not None and (op.freed or op.versions is not None):
            check_usable(node, op)


def check_usable(node: Node, op: Op) -> None:
    """Raise if `op` was freed by an earlier backward or its saved data changed in place."""
    if op.freed:
        raise freed_graph_error(node, op)
    if op.versions is not None:
        check_versions(node, op)


def iterate_backward(
    root: Node, grad: Any, retain_graph: bool = False, create_graph: bool = False,
    recheck: bool = True, order: list[Node] | None = None,
) -> Iterator[tuple[Node, Any, tuple]]:
    """The backward loop, one node at a time, in reverse topological order.

    Yields `(node, grad_out, input_grads)` after each non-leaf node's vjp has run and its
    gradients have been passed on. Gradients of one pass live in a dict keyed by node
    identity and are added into `.grad` once per node, so running backward twice adds each
    node's gradient exactly twice (no double counting through intermediates).

    The whole graph is checked before the first step. With `recheck` (for a consumer that
    runs code between steps, which may write into `.data`) each op is checked again just
    before its vjp; without it, only after a hook has run.

    `order` (parents before children, `root` last) limits the pass to those nodes: the
    function transforms pass the nodes between their inputs and `root`, so a sweep never
    visits, hooks or checks the graph that `f` closes over.
    """
    if order is None:
        order = topological_order(root)
    check_graph_usable(order)
    # Keyed by the node itself: nodes hash by identity, which is cheaper than calling id().
    pending = {root: grad}
    free = not retain_graph
    for node in reversed(order):
        grad_out = pending.pop(node, None)
        if grad_out is None:
            continue
        if node._hooks:
            grad_out = run_hooks(node, grad_out)
            recheck = True  # a hook is user code: it may have written into .data
        if node.keeps_grad:
            previous = node.grad
            if type(previous) is float:  # a Value: plain float arithmetic
                node.grad = previous + grad_out
            else:
                owned = sole_owner(grad_out)  # asked on its own line: see `sole_owner`
                accumulate_grad(node, grad_out, owned)
        op = node._op
        if op is None:
            continue
        if recheck or create_graph:
            input_grads = backward_step(node, op, grad_out, create_graph, recheck)
        else:  # `backward_step` without its check: the whole graph was checked above
            input_grads = op.vjp(grad_out)
            if op.unbroadcast or type(input_grads) is not tuple or \
                    len(input_grads) != len(node.parents):
                input_grads = tidy_input_grads(node, op, input_grads)
        if AnomalyMode.enabled:
            check_backward(node, op, input_grads)
        for parent, parent_grad in zip(node.parents, input_grads):
            if parent_grad is not None and parent.requires_grad:
                waiting = pending.get(parent)
                pending[parent] = parent_grad if waiting is None else waiting + parent_grad
        # Yield before releasing, so a stepping consumer can still read the saved values.
        yield node, grad_out, input_grads
        if free and op.frees_buffers:
            op.release()
        input_grads = parent_grad = waiting = None  # held no longer than needed: `sole_owner`


def run_backward(
    root: Node, grad: Any, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """Run the whole backward pass from `root`, seeded with `grad` (see `iterate_backward`).

    The cyclic garbage collector is paused for the pass: the pass creates no reference cycles,
    and on a large graph the collector would otherwise rescan every node many times over.
    """
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        # Drain the loop, keeping none of its steps (a deque of length 0 drops each at once).
        deque(iterate_backward(root, grad, retain_graph, create_graph, False), maxlen=0)
    finally:
        if collecting:
            gc.enable()
