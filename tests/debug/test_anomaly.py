"""detect_anomaly: NaN / Inf in forward or backward raises FloatingPointError naming the op and
the user's line; off, the same code runs with NumPy's usual warnings and records nothing."""

from __future__ import annotations

import gc
import inspect
import warnings

import numpy as np
import pytest

import autograd_lite
import autograd_lite.tensor
from autograd_lite import Tensor, Value, detect_anomaly
from autograd_lite.debug import anomaly, is_anomaly_enabled

HERE = __file__


def next_line() -> int:
    """The number of the caller's next line (where the op under test is written)."""
    return inspect.currentframe().f_back.f_lineno + 1


def assert_names(error: pytest.ExceptionInfo, op: str, line: int, phase: str) -> None:
    message = str(error.value)
    assert f"op '{op}'" in message and f"in {phase}" in message
    assert f"{HERE}:{line}" in message


def test_log_of_a_negative_value_forward_tensor_and_value():
    x = Tensor([1.0, -2.0], requires_grad=True, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
        line = next_line()
        x.log()
    assert_names(error, "log", line, "forward")
    assert "nan" in str(error.value) and "x.log()" in str(error.value)
    v = Value(-1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        line = next_line()
        v.log()
    assert_names(error, "log", line, "forward")


def test_zero_over_zero():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
        line = next_line()
        x / Tensor([0.0, 1.0])
    assert_names(error, "div", line, "forward")


def test_overflowing_exp():
    x = Tensor([1.0, 1000.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
        line = next_line()
        x.exp()
    assert_names(error, "exp", line, "forward")
    assert "inf" in str(error.value)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="op 'exp'"):
        Value(1000.0).exp()


def test_forward_check_also_on_constants():
    with detect_anomaly(), pytest.raises(FloatingPointError, match="op 'sqrt'"), \
            np.errstate(all="ignore"):
        Tensor([-1.0]).sqrt()


def test_backward_anomaly_names_the_op_and_the_line_that_created_it():
    x = Tensor([0.0, 4.0], requires_grad=True, label="x")
    with detect_anomaly():
        line = next_line()
        y = x.sqrt()  # finite forward, infinite derivative at 0
        loss = y.sum()
        with pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
            loss.backward()
    assert_names(error, "sqrt", line, "backward")
    assert "'x'" in str(error.value) and "inf" in str(error.value)


def test_backward_anomaly_on_values():
    a = Value(0.0, label="a")
    with detect_anomaly():
        line = next_line()
        b = a ** 0.5  # finite at 0, infinite derivative
        with pytest.raises(FloatingPointError) as error:
            b.backward()
    assert_names(error, "pow", line, "backward")


def test_library_frames_are_skipped():
    x = Tensor([-1.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
        line = next_line()
        autograd_lite.log(x)  # a function defined inside the package
    assert_names(error, "log", line, "forward")


def test_graph_built_outside_the_mode_still_names_the_op():
    x = Tensor([0.0], requires_grad=True)
    y = x.sqrt().sum()
    with detect_anomaly(), pytest.raises(FloatingPointError) as error, np.errstate(all="ignore"):
        y.backward()
    assert "op 'sqrt'" in str(error.value) and "line is unknown" in str(error.value)


def test_off_the_same_code_runs_with_numpys_warnings():
    x = Tensor([1.0, -2.0], requires_grad=True)
    with pytest.warns(RuntimeWarning):
        y = x.log()
    assert np.isnan(y.data[1])
    z = Tensor([0.0], requires_grad=True).sqrt().sum()
    with pytest.warns(RuntimeWarning):
        z.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(Value(-1.0).log().data)  # the scalar engine returns nan quietly


def test_off_costs_one_attribute_read_and_records_nothing(monkeypatch):
    def never(*args: object) -> None:
        raise AssertionError("an anomaly check ran while the mode was off")

    monkeypatch.setattr(autograd_lite.tensor, "check_forward", never)
    monkeypatch.setattr(autograd_lite.engine.backward, "check_backward", never)
    before = set(anomaly._sites)
    x = Tensor([1.0, 2.0], requires_grad=True)
    ((x * x).exp().sum()).backward()
    assert set(anomaly._sites) <= before  # no new entries (old ones may be collected)


def test_mode_is_restored_after_the_block_and_after_an_error():
    assert not is_anomaly_enabled()
    with detect_anomaly():
        assert is_anomaly_enabled()
        with detect_anomaly(False):
            assert not is_anomaly_enabled()
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled()
    with pytest.raises(FloatingPointError), detect_anomaly():
        Value(-1.0).log()
    assert not is_anomaly_enabled()


def test_decorator():
    @detect_anomaly()
    def loss(v: Value) -> Value:
        return v.log()

    with pytest.raises(FloatingPointError, match="op 'log'"):
        loss(Value(-3.0))
    assert not is_anomaly_enabled()


def test_creation_sites_go_away_with_their_nodes():
    gc.collect()  # nodes of earlier tests kept alive only by reference cycles (tracebacks)
    before = len(anomaly._sites)
    with detect_anomaly():
        x = Tensor([1.0], requires_grad=True)
        y = (x * 2).exp()
        assert len(anomaly._sites) == before + 2
        del y
        gc.collect()
    assert len(anomaly._sites) == before
