"""micrograd's Value and what its learners write, on autograd_lite's Value.

micrograd's `Value(data, _children=(), _op='')` (and `label=''` in its lecture) takes the
children of a node as its second argument, for operations written by hand with a `_backward`
closure. Here the second argument is the label and operations record themselves, so that call
is refused with a TypeError saying what to write instead: accepting the children without their
gradient rule would make gradients silently wrong.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from autograd_lite import Function, Value, backward_steps

MICROGRAD = "micrograd's way to record an operation by hand"


def test_children_as_the_second_argument_are_refused_not_taken_as_a_label():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(TypeError, match=MICROGRAD + r".*Function subclass.*MyOp\.apply"):
        Value(3.0, (a, b))
    for children in ([a, b], {a, b}, frozenset([a]), ()):
        with pytest.raises(TypeError, match=MICROGRAD):
            Value(3.0, children)


def test_the_lectures_three_argument_call_and_keywords_are_refused():
    a = Value(1.0)
    with pytest.raises(TypeError, match=MICROGRAD):
        Value(math.tanh(1.0), (a,), "tanh")
    with pytest.raises(TypeError, match=MICROGRAD):
        Value(2.0, _children=(a,), _op="exp")
    with pytest.raises(TypeError, match=MICROGRAD):
        Value(2.0, _op="exp", label="e")


def test_a_value_subclass_extended_the_lectures_way_gets_the_message():
    # What a learner following micrograd's lecture adds to Value: an operation with its
    # own _backward closure (in their own words here, not copied).
    class MyValue(Value):
        __slots__ = ()

        def cube(self):
            out = MyValue(self.data ** 3, (self,), "cube")

            def _backward():
                self.grad += 3 * self.data ** 2 * out.grad

            out._backward = _backward
            return out

    with pytest.raises(TypeError, match=MICROGRAD):
        MyValue(2.0).cube()


def test_the_same_operation_written_as_a_function_is_right():
    class Cube(Function):
        def forward(self, x):
            self.x = x
            return x ** 3

        def vjp(self, grad_out):
            return grad_out * 3 * self.x ** 2

    x = Value(2.0, label="x")
    y = Cube.apply(x) * 2
    y.backward()
    assert y.data == 16.0 and x.grad == 24.0
    assert y.parents[0].op == "Cube"


def test_other_wrong_arguments_get_their_own_messages():
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) requires_grad; Value takes "
                                        r"data and label"):
        Value(1.0, requires_grad=False)
    with pytest.raises(TypeError, match="label must be a string, got 5"):
        Value(1.0, 5)
    with pytest.raises(TypeError, match="label must be a string, got None"):
        Value(1.0, label=None)
    assert Value(1.0, np.str_("w")).label == "w"  # a str subclass is a string
    assert Value(1.0, "w").label == "w"


def test_the_signature_shown_is_data_and_label():
    assert str(inspect.signature(Value)) == "(data, label='')"


def test_the_lectures_neuron_runs_unchanged_and_gives_its_gradients():
    # micrograd lecture (karpathy/nn-zero-to-hero, lectures/micrograd): one tanh neuron with
    # inputs x1, x2, weights w1, w2 and a bias chosen so that o = tanh(n) is about 0.7071.
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    assert abs(o.data - 0.7071) < 1e-4
    assert [round(v.grad, 6) for v in (x1, w1, x2, w2)] == [-1.5, 1.0, 0.5, 0.0]
    # The same neuron with tanh spelled out through exp, as the lecture does next.
    for v in (x1, x2, w1, w2, b):
        v.grad = 0.0
    n = x1 * w1 + x2 * w2 + b
    e = (2 * n).exp()
    o2 = (e - 1) / (e + 1)
    o2.backward()
    assert abs(o2.data - o.data) < 1e-15
    assert [round(v.grad, 6) for v in (x1, w1, x2, w2)] == [-1.5, 1.0, 0.5, 0.0]


def test_stepping_backward_by_hand_is_backward_steps():
    # micrograd's lecture calls o._backward(), then n._backward(), ... by hand; here the same
    # walk is the backward_steps iterator, which leaves the gradients backward() would.
    x = Value(0.5, label="x")
    w = Value(-2.0, label="w")
    o = (x * w).tanh()
    ops = [step.op for step in backward_steps(o)]
    assert ops == ["tanh", "mul"]
    assert abs(x.grad - (1 - math.tanh(-1.0) ** 2) * -2.0) < 1e-15
