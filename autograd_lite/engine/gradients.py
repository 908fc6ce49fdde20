"""Gradients between steps: what a vjp returned, tidied into one gradient per parent in the
parent's own shape (broadcasting undone, once for every op), hooks, and adding into `.grad`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ShapeError, complex_error, real_array
from .node import Node
from .op import Op


def seed_gradient(root: Node, grad: Any, who: str, keep_node: bool = False) -> Any:
    """The gradient a backward pass from `root` starts from (what `.backward()` and
    `backward_steps` call `grad`), checked.

    A Value starts from 1.0 (or `grad`, a number). A Tensor starts from ones when it has one
    element; otherwise `grad` is required: an array or a Tensor of the root's shape (kept as a
    node with `keep_node`, for `create_graph`). Raises `RuntimeError` for a root that records
    no graph or needs `grad`, `ShapeError` for a `grad` of another shape, `TypeError` for a
    complex one. `who` starts each message.
    """
    data = root._data
    tensor = isinstance(data, np.ndarray)
    if not root.requires_grad:
        if tensor:
            raise RuntimeError(
                f"{who}: this tensor does not require grad, so there is nothing to "
                "differentiate. Create an input with requires_grad=True (and do not build the "
                "graph under no_grad())."
            )
        raise RuntimeError(
            f"{who}: this Value does not require grad: it was computed under no_grad(), which "
            "records no graph, so there is nothing to differentiate. Build it from Value inputs "
            "outside no_grad()."
        )
    if not tensor:
        return 1.0 if grad is None else float(grad)
    if grad is None:
        if data.size != 1:
            raise RuntimeError(
                f"{who}: the output has shape {data.shape}, not a single number, so the "
                "gradient to start from is ambiguous. Pass grad= an array of that shape "
                f"(e.g. np.ones({data.shape})), or reduce the output first (e.g. .sum())."
            )
        return np.ones(data.shape, dtype=data.dtype)  # np.ones_like is slower
    seed: Any
    if isinstance(grad, Node):
        seed = grad if keep_node else grad._data
        if grad._data.dtype.kind == "c":  # its imaginary part would be dropped
            raise complex_error(f"{who}: grad is complex ({grad._data.dtype})")
    else:
        seed = real_array(grad, data.dtype, f"{who}: grad")
    if tuple(seed.shape) != data.shape:
        raise ShapeError(
            f"{who}: grad has shape {tuple(seed.shape)} but the output has shape {data.shape}; "
            "pass a gradient of the output's shape"
        )
    return seed


def sum_to_shape(grad: Any, shape: tuple[int, ...], op: str = "") -> Any:
    """Sum a gradient computed in a broadcast shape back to an input's `shape`.

    Works on ndarrays and on Tensors (for `create_graph`). Raises `ShapeError` when `shape`
    cannot broadcast to `grad.shape`, which means an op's vjp returned a wrong shape.
    """
    gshape = grad.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
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


def tidy_input_grads(node: Node, op: Op, input_grads: Any) -> tuple[Any, ...]:
    """What `op.vjp` returned, as a tuple with one gradient per parent of `node`, each in its
    parent's shape (`None` stays `None`); raises for a wrong count or something that is not a
    gradient."""
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    parents = node.parents
    if len(input_grads) != len(parents):
        raise RuntimeError(
            f"{op.name}.vjp returned {len(input_grads)} gradient(s) for {len(parents)} input(s); "
            "return a tuple with one gradient (or None) per input, in the inputs' order"
        )
    if not op.broadcasts:
        return input_grads
    try:
        for parent, grad in zip(parents, input_grads):
            if grad is not None and grad.shape != parent._data.shape:
                break
        else:
            return input_grads  # every gradient in its parent's shape: the usual case
    except AttributeError:
        raise not_a_gradient_error(op, input_grads) from None
    return tuple(grad if grad is None else sum_to_shape(grad, parent._data.shape, op.name)
                 for parent, grad in zip(parents, input_grads))


def not_a_gradient_error(op: Op, input_grads: tuple[Any, ...]) -> TypeError:
    """The error for a vjp that returned something other than arrays (a float, a list)."""
    kinds = ", ".join(type(g).__name__ for g in input_grads)
    return TypeError(
        f"{op.name}.vjp returned ({kinds}); each gradient must be an ndarray of its input's "
        "shape (a Tensor under create_graph), or None for an input that gets none"
    )


def accumulate_grad(node: Node, grad: Any, owned: bool = False) -> None:
    """Add `grad` into `node.grad` (`+=` semantics, never in place, never aliasing a buffer).

    A Value's gradient is a float. For a Tensor, `owned=True` says nothing else can reach
    `grad`'s memory (see `ownership.sole_owner`): then a first gradient of the right dtype is
    kept as it is instead of being copied.
    """
    prev = node.grad
    if type(prev) is float:  # a Value: plain float arithmetic
        node.grad = prev + grad
    elif isinstance(grad, Node):  # create_graph: the gradient is itself on a graph
        node.grad = grad if prev is None else prev + grad
    elif prev is None:
        if owned and grad.dtype == node._data.dtype:
            node.grad = grad  # an array nothing else holds
        else:
            check_real(node, grad)
            node.grad = np.array(grad, dtype=node._data.dtype)
    elif isinstance(prev, np.ndarray):
        check_real(node, grad)
        node.grad = np.asarray(prev + grad, dtype=prev.dtype)
    else:
        node.grad = prev + grad


def check_real(node: Node, grad: Any) -> None:
    """Refuse a complex gradient for a real node (from a custom Function's vjp or a hook):
    storing it would drop the imaginary part."""
    if grad.dtype.kind == "c":
        name = f"'{node.label}'" if node.label else f"id {node.id}"
        raise complex_error(
            f"backward: the gradient for node {name} is complex ({grad.dtype}), from a custom "
            "Function's vjp or a hook, but the node is real"
        )


def run_hooks(node: Node, grad: Any) -> Any:
    """Call the node's hooks in registration order; a hook may return a replacement gradient
    of the node's shape (a complex or misshapen one is refused)."""
    for hook in list(node._hooks or ()):
        result = hook(grad)
        if result is None:
            continue
        name = getattr(hook, "__name__", hook)
        if getattr(getattr(result, "dtype", None), "kind", "") == "c":
            raise complex_error(f"hook {name!s} returned a complex gradient ({result.dtype})")
        if getattr(result, "shape", ()) != getattr(grad, "shape", ()):
            raise ShapeError(
                f"hook {name!s} returned a gradient of shape {getattr(result, 'shape', ())} for "
                f"a node of shape {getattr(grad, 'shape', ())}; a hook must return None or a "
                "gradient of the node's shape"
            )
        grad = result
    return grad
