"""The graph engine shared by `Value` and `Tensor`: nodes, ops, ordering, the backward loop."""

from .backward import (
    accumulate_grad,
    backward_step,
    iterate_backward,
    run_backward,
    sum_to_shape,
    topological_order,
)
from .errors import ShapeError
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .node import HookHandle, Node
from .op import SCALAR_OPS, TENSOR_OPS, Op, ScalarOp, TensorOp, register

__all__ = [
    "HookHandle", "Node", "Op", "SCALAR_OPS", "ScalarOp", "ShapeError", "TENSOR_OPS", "TensorOp",
    "accumulate_grad", "backward_step", "enable_grad", "is_grad_enabled", "iterate_backward",
    "no_grad", "register", "run_backward", "set_grad_enabled", "sum_to_shape",
    "topological_order",
]
