"""The scalar Value front-end."""

from __future__ import annotations

import gc

import pytest

from autograd_lite import Value
from autograd_lite.debug import backward_steps


def test_api_example():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + a ** 2
    c.backward()
    assert a.grad == 1.0
    assert b.grad == 2.0


def test_attributes():
    a = Value(2, label="a")
    assert isinstance(a.data, float) and a.data == 2.0
    assert a.grad == 0.0 and a.label == "a" and a.op == "" and a.parents == ()
    b = a * 3
    assert b.op == "mul" and b.parents[0] is a and b.parents[1].data == 3.0


def test_all_operator_forms():
    a = Value(3.0)
    w = Value(2.0)
    results = {
        "radd": 1 + a, "rsub": 1 - a, "rmul": 2 * a, "rtruediv": 6 / a, "rpow": 2 ** a,
        "pow_value": a ** w, "neg": -a, "sub": a - 1, "truediv": a / 2,
    }
    assert results["radd"].data == 4.0 and results["rsub"].data == -2.0
    assert results["rmul"].data == 6.0 and results["rtruediv"].data == 2.0
    assert results["rpow"].data == 8.0 and results["pow_value"].data == 9.0
    assert results["neg"].data == -3.0 and results["sub"].data == 2.0
    assert results["truediv"].data == 1.5
    (a ** w).backward()
    assert a.grad == pytest.approx(6.0)
    assert w.grad == pytest.approx(9.0 * 1.0986122886681098)


def test_constants_get_no_gradient_and_do_not_break_pow():
    x = Value(-2.0)
    y = x ** 2  # the exponent is a plain number: no log of a negative base is taken
    y.backward()
    assert x.grad == -4.0
    assert y.parents[1].grad == 0.0


def test_data_can_be_assigned_by_optimizers():
    p = Value(1.0)
    p.data -= 0.5
    assert p.data == 0.5


def test_repr():
    a = Value(2.0, label="a")
    assert repr(a) == "Value(data=2, grad=0, label='a')"
    assert "op=mul" in repr(a * 2)


def test_values_are_hashable_by_identity():
    assert len({Value(1.0), Value(1.0)}) == 2


def test_ops_that_save_nothing_share_one_instance_and_still_step():
    a, b = Value(2.0), Value(-3.0)
    s, d, n = a + b, a - b, -a
    assert s._op is (b + a)._op and d._op is (1.0 - b)._op and n._op is (-b)._op
    assert (a * b)._op is not (a * b)._op  # mul keeps its own floats, one instance per node
    out = s * d + n
    steps = list(backward_steps(out))
    assert [step.op for step in steps] == ["add", "mul", "neg", "sub", "add"]
    sub = steps[3]
    assert sub.local_jacobian(0).tolist() == [[1.0]] and sub.local_jacobian(1).tolist() == [[-1.0]]
    assert (a.grad, b.grad) == (2 * a.data - 1.0, -2 * b.data)


def test_a_chain_link_makes_ten_objects_for_the_cyclic_collector():
    """A link of `y = (y * 0.999 + 0.001).tanh()` is five Values (two of them constants),
    three parent tuples and the op instances of mul and tanh (add saves nothing and shares
    one): ten objects the cyclic collector tracks and rescans until backward frees them."""
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        y = Value(0.5)
        for _ in range(1000):
            y = (y * 0.999 + 0.001).tanh()
        made = len(gc.get_objects()) - before
    finally:
        if collecting:
            gc.enable()
    assert made <= 10 * 1000 + 10, f"{made / 1000:.2f} tracked objects per link"


# ----- backward of a Value that records no graph ---------------------------------------------

NO_GRAPH = (r"backward: this Value does not require grad.*computed under no_grad\(\).*"
            r"outside no_grad")


def test_backward_of_a_value_made_under_no_grad_raises_as_for_tensors():
    from autograd_lite import Tensor, nn, no_grad

    a, b = Value(2.0), Value(-3.0)
    with no_grad():
        products = [a * b, a + 1, a ** 2, (a * b).tanh(), b.relu().exp(),
                    nn.scalar.MLP(2, [3, 1])([a, b])]
        t = Tensor([2.0], requires_grad=True) * 3
    for c in products:
        with pytest.raises(RuntimeError, match=NO_GRAPH):
            c.backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        t.sum().backward()
    assert a.grad == 0.0 and b.grad == 0.0


def test_a_leaf_value_made_under_no_grad_still_has_a_gradient():
    from autograd_lite import no_grad

    with no_grad():
        a = Value(1.5)  # a leaf requires grad wherever it is made, as in PyTorch
    c = a * a
    c.backward()
    assert a.grad == 3.0
