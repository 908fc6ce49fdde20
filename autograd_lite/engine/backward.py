"""The backward pass: one loop over the graph in reverse topological order.

`iterate_backward` is the loop. `run_backward` (behind `.backward()`) drains it and the
stepping iterator `backward_steps` consumes it one node at a time, so the two can never
disagree. Each step goes through `backward_step`, the one path from an op's upstream gradient
to the gradients of its inputs. Every function here works for `Value` and `Tensor` alike.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from .anomaly import AnomalyMode, check_backward
from .checks import check_graph_usable, check_usable
from .gradients import accumulate_grad, run_hooks, tidy_input_grads
from .higher_order import vjp_on_graph
from .node import Node
from .op import Op
from .order import topological_order
from .ownership import sole_owner

#: What one step yields: the node whose op ran, its upstream gradient, and the gradient sent
#: to each of its parents (None where none is sent).
StepResult = tuple[Node, Any, tuple[Any, ...]]


def iterate_backward(
    root: Node, grad: Any, retain_graph: bool = False, create_graph: bool = False,
    recheck: bool = True, order: list[Node] | None = None,
) -> Iterator[StepResult]:
    """The backward loop from `root` seeded with `grad`, one non-leaf node at a time.

    Gradients of one pass wait in `pending`, keyed by node identity, and are added into
    `.grad` once per node, so running backward twice adds each node's gradient exactly twice.
    The whole graph is checked before the first step, so a backward that cannot finish
    changes no gradient. With `recheck` (for a consumer that runs code between steps, which
    may write into `.data`) each op is checked again just before its vjp; without it, only
    once user code has run (a hook, a custom op's vjp). `order` (parents before children,
    `root` last) limits the pass to those nodes, as the function transforms do.
    """
    if order is None:
        order = topological_order(root)
    check_graph_usable(order)
    pending = {root: grad}
    free = not retain_graph
    input_grads: Any
    for node in reversed(order):
        grad_out = pending.pop(node, None)
        if grad_out is None:
            continue
        if node._hooks:
            grad_out = run_hooks(node, grad_out)
            recheck = True
        if node.keeps_grad:
            if type(node.grad) is float:  # a Value: plain float arithmetic
                node.grad += grad_out
            else:
                owned = sole_owner(grad_out)  # on its own line: a pending call argument counts
                accumulate_grad(node, grad_out, owned)
        op = node._op
        if op is None:
            continue
        input_grads = backward_step(node, op, grad_out, create_graph, recheck)
        if op.user_code:
            recheck = True  # a custom op's vjp is user code too
        for parent, parent_grad in zip(node.parents, input_grads):
            if parent_grad is not None and parent.requires_grad:
                waiting = pending.get(parent)
                pending[parent] = parent_grad if waiting is None else waiting + parent_grad
        yield node, grad_out, input_grads  # before releasing: a stepper may read saved values
        if free and op.frees_buffers:
            op.release()
        input_grads = parent_grad = waiting = None  # held no longer than needed: `sole_owner`


def backward_step(node: Node, op: Op, grad_out: Any, create_graph: bool = False,
                  check: bool = True) -> tuple[Any, ...]:
    """Apply one op's vector-Jacobian product: the gradient sent to each parent of `node`, in
    the parent's shape, `None` where none is sent. `check=False` skips checking that the op is
    still usable, for a caller that has just checked the whole graph."""
    if check:
        check_usable(node, op)
    if create_graph:
        input_grads = vjp_on_graph(node, op, grad_out)
    else:
        input_grads = op.vjp(grad_out)
    if op.broadcasts or op.user_code:
        # A built-in op that does not broadcast returns one gradient per input in its shape
        # (tests/ops checks every one); a custom op's result is checked and tidied.
        input_grads = tidy_input_grads(node, op, input_grads)
    if AnomalyMode.enabled:
        check_backward(node, op, input_grads)
    return input_grads


def run_backward(
    root: Node, grad: Any, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """Run the whole backward pass from `root`, seeded with `grad` (see `iterate_backward`)."""
    # Drain the loop, keeping none of its steps (a deque of length 0 drops each at once).
    deque(iterate_backward(root, grad, retain_graph, create_graph, False), maxlen=0)
