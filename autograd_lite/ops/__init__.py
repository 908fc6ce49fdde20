"""The built-in operations, one class each, by family. Importing this package registers them
all (see `engine.op.TENSOR_OPS` and `engine.op.SCALAR_OPS`)."""

from . import arithmetic, elementwise, linalg, losses, reductions, scalar, shape  # noqa: F401
