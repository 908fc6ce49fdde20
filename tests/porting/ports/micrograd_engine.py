"""micrograd's engine tests (karpathy/micrograd, test/test_engine.py: `test_sanity_check` and
`test_more_ops`), on autograd_lite's Value.

Each expression is built on a Value engine and returns the output's data and the inputs'
gradients; micrograd's own test compares them with PyTorch, and so does ours.
"""

from __future__ import annotations

from typing import Any

#: Lines changed from the original, and why.
CHANGES = [
    ("from micrograd.engine import Value", "from autograd_lite import Value",
     "the import: the rest of the expressions run unchanged"),
]


def sanity_check(Value: Any) -> tuple[float, float]:
    """y(x) at x = -4 and dy/dx, as in `test_sanity_check`."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return y.data, x.grad


def more_ops(Value: Any) -> tuple[float, float, float]:
    """g(a, b) at a = -4, b = 2 and dg/da, dg/db, as in `test_more_ops` (`+=` rebinds)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return g.data, a.grad, b.grad


def sanity_check_torch(torch: Any) -> tuple[float, float]:
    """The same as `sanity_check` on a float64 PyTorch tensor, as micrograd's test writes it."""
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return y.data.item(), x.grad.item()


def more_ops_torch(torch: Any) -> tuple[float, float, float]:
    """The same as `more_ops` in PyTorch (micrograd's test spells `c += ...` as `c = c + ...`)."""
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return g.data.item(), a.grad.item(), b.grad.item()


def original() -> tuple[Any, Any]:
    from micrograd.engine import Value
    return sanity_check(Value), more_ops(Value)


def port() -> tuple[Any, Any]:
    from autograd_lite import Value
    return sanity_check(Value), more_ops(Value)
