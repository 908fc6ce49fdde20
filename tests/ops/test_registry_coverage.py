"""No built-in op may skip the gradient checks, and the registry describes every op."""

from autograd_lite import SCALAR_OPS, TENSOR_OPS

from .cases import CASES
from .test_scalar_ops import SCALAR_CASES


def builtin(table):
    return {name: cls for name, cls in table.items()
            if cls.__module__.startswith("autograd_lite.ops")}


def test_every_tensor_op_has_gradient_cases():
    covered = {case.op for case in CASES}
    missing = sorted(set(builtin(TENSOR_OPS)) - covered)
    assert not missing, f"ops without gradient-check cases in tests/ops/cases.py: {missing}"


def test_every_scalar_op_has_gradient_cases():
    covered = {op for op, *_ in SCALAR_CASES}
    missing = sorted(set(builtin(SCALAR_OPS)) - covered)
    assert not missing, f"Value ops without cases in tests/ops/test_scalar_ops.py: {missing}"


def test_every_op_is_documented():
    for table in (TENSOR_OPS, SCALAR_OPS):
        for name, cls in builtin(table).items():
            assert cls.name == name
            assert cls.rule, f"{cls.__name__} has no derivative rule for the docs table"
            assert cls.__doc__ and "grad" in cls.__doc__, f"{cls.__name__} docstring"
            assert callable(cls.forward) and callable(cls.vjp)


def test_op_names_are_lower_case_and_classes_named_after_the_math():
    for name, cls in builtin(TENSOR_OPS).items():
        assert name == name.lower()
        assert cls.__name__[0].isupper()
