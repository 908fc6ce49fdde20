"""The graph engine shared by `Value` and `Tensor`, one concern per module:

- `node`: the graph node (its slots), hooks' handles, in-place history;
- `op`: the op base class and the registries;
- `grad_mode`, `anomaly`: the switches every op reads (and anomaly mode's checks);
- `order`: the topological order of a backward pass;
- `backward`: the loop, and one step of it;
- `gradients`: tidying a vjp's result, hooks, adding into `.grad`;
- `checks`: whether an op can still run its vjp (freed buffers, in-place changes);
- `higher_order`: `create_graph`, a vjp run on graph nodes;
- `ownership`: keeping a gradient array without a copy (a measured speed trick);
- `errors`: the exceptions and messages shared with the ops.

The engine imports nothing above it: not the ops, the front-ends, `debug`, `viz`, `nn`,
`optim`, the transforms or the command line.
"""

from .backward import backward_step, iterate_backward, run_backward
from .errors import ShapeError
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradients import accumulate_grad, sum_to_shape
from .node import HookHandle, Node
from .op import SCALAR_OPS, TENSOR_OPS, Op, ScalarOp, TensorOp, register
from .order import topological_order

__all__ = [
    "HookHandle", "Node", "Op", "SCALAR_OPS", "ScalarOp", "ShapeError", "TENSOR_OPS", "TensorOp",
    "accumulate_grad", "backward_step", "enable_grad", "is_grad_enabled", "iterate_backward",
    "no_grad", "register", "run_backward", "set_grad_enabled", "sum_to_shape",
    "topological_order",
]
