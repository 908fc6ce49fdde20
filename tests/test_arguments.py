"""The shared argument checks: what they accept, what they refuse, and the one wording."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd_lite.arguments import check_choice, check_integer, check_real


@pytest.mark.parametrize("x, expected", [
    (3, 3.0), (0.25, 0.25), (np.float32(0.5), 0.5), (np.int64(2), 2.0), (Fraction(1, 4), 0.25),
])
def test_check_real_returns_a_python_float(x, expected):
    value = check_real(x, "lr", "SGD", "a positive number", above=0.0)
    assert type(value) is float and value == expected


@pytest.mark.parametrize("x", [True, False, "0.1", None, [0.1], np.array([0.1]), 1j])
def test_check_real_refuses_what_is_not_a_real_number(x):
    with pytest.raises(TypeError, match=r"^SGD: lr must be a positive number, got "):
        check_real(x, "lr", "SGD", "a positive number", above=0.0)


@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan])
def test_check_real_refuses_inf_and_nan_even_without_bounds(x):
    with pytest.raises(ValueError, match=f"slope must be a finite number, got {x}"):
        check_real(x, "slope", "make_line", "a real number", range_what="a finite number")


def test_bounds_are_inclusive_at_least_and_exclusive_above_and_below():
    assert check_real(0.0, "m", "w", "a number in [0, 1)", at_least=0.0, below=1.0) == 0.0
    assert check_real(0.999, "m", "w", "a number in [0, 1)", at_least=0.0, below=1.0) == 0.999
    with pytest.raises(ValueError, match=r"^w: m must be in \[0, 1\), got 1.0$"):
        check_real(1, "m", "w", "a number in [0, 1)", at_least=0.0, below=1.0,
                   range_what="in [0, 1)")
    with pytest.raises(ValueError, match=r"^w: m must be a number in \[0, 1\), got -0.5$"):
        check_real(-0.5, "m", "w", "a number in [0, 1)", at_least=0.0, below=1.0)
    with pytest.raises(ValueError, match="got 0.0"):
        check_real(0, "lr", "w", "a positive number", above=0.0)


def test_check_integer_takes_python_and_numpy_integers_only():
    assert check_integer(np.int32(4), "n", "w", "a positive integer", at_least=1) == 4
    assert type(check_integer(np.int64(4), "n", "w", "a positive integer")) is int
    for bad in (True, 2.0, "2", np.float64(2.0)):
        with pytest.raises(TypeError, match=r"^w: n must be a positive integer, got "):
            check_integer(bad, "n", "w", "a positive integer", at_least=1)
    with pytest.raises(ValueError, match=r"^w: n must be at least 1, got 0$"):
        check_integer(0, "n", "w", "an integer", at_least=1, range_what="at least 1")


def test_check_choice_lists_the_valid_names():
    assert check_choice("sum", "reduction", "mse_loss", ("mean", "sum")) == "sum"
    for bad in ("avg", None, np.array(["sum"])):
        with pytest.raises(ValueError, match=r"^mse_loss: unknown reduction .*; valid ones are "
                                             r"'mean', 'sum'$"):
            check_choice(bad, "reduction", "mse_loss", ("mean", "sum"))


@pytest.mark.parametrize("call, error, message", [
    (lambda ag: ag.datasets.make_moons(10, seed=-1), ValueError, "seed must be"),
    (lambda ag: ag.manual_seed(-1), ValueError, "manual_seed: seed must be a non-negative"),
    (lambda ag: ag.optim.SGD([ag.nn.Parameter(np.ones(1))], lr=0.1, momentum=1.0), ValueError,
     r"SGD: momentum must be in \[0, 1\), got 1.0"),
    (lambda ag: ag.nn.Linear(2, np.int64(0)), ValueError,
     "Linear: out_features must be a positive integer, got 0"),
    (lambda ag: ag.datasets.make_circles(10, factor=1.0), ValueError,
     r"make_circles: factor must be between 0 and 1 \(exclusive\), got 1.0"),
])
def test_the_callers_share_the_checks(call, error, message):
    import autograd_lite as ag

    with pytest.raises(error, match=message):
        call(ag)
