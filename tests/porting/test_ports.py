"""Ported sources against their originals (see `ports/`): micrograd's engine tests and demo,
three PyTorch tutorials, two HIPS autograd examples and two sections of the JAX autodiff
cookbook, each run as written (the lines listed in its `CHANGES` aside) and compared with the
original library in the same process, or with the numbers the original printed.
"""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from .ports import (
    hips_neural_net,
    hips_tanh,
    jax_cookbook,
    micrograd_demo,
    micrograd_engine,
    pytorch_polynomial_autograd,
    pytorch_polynomial_custom_function,
    pytorch_polynomial_nn,
)

#: Fewer steps than the tutorials' 2000 keep the suite quick; benchmarks/bench_ports.py runs
#: all of them.
TUTORIAL_STEPS = 500
HIPS_EPOCHS = 3


def assert_same_history(ours, theirs, rtol=1e-10, atol=1e-13):
    (ours_printed, ours_final), (theirs_printed, theirs_final) = ours, theirs
    assert [t for t, _ in ours_printed] == [t for t, _ in theirs_printed]
    np.testing.assert_allclose([v for _, v in ours_printed], [v for _, v in theirs_printed],
                               rtol=rtol, atol=atol)
    np.testing.assert_allclose(ours_final, theirs_final, rtol=rtol, atol=atol)


# ---- micrograd ------------------------------------------------------------------------------

def test_micrograd_engine_tests_give_micrograds_and_pytorchs_numbers():
    (y, x_grad), (g, a_grad, b_grad) = micrograd_engine.port()
    # The values micrograd's own tests compare with PyTorch: y(-4) = -20, dy/dx = 46 ...
    assert (y, x_grad) == (-20.0, 46.0)
    np.testing.assert_allclose([g, a_grad, b_grad], [24.70408163265306, 138.83381924198252,
                                                     645.5772594752186], rtol=1e-15)
    pytest.importorskip("micrograd")
    (mg_y, mg_x_grad), mg_more = micrograd_engine.original()
    assert (mg_y, mg_x_grad) == (y, x_grad)
    # micrograd keeps a node's children in a set, so the order it adds gradients in (and their
    # last bit) changes from run to run: equal to within an ulp or two.
    np.testing.assert_allclose(mg_more, [g, a_grad, b_grad], rtol=5e-16, atol=0)


def test_micrograd_engine_tests_against_pytorch_as_micrograd_does():
    torch = pytest.importorskip("torch")
    from autograd_lite import Value
    y, x_grad = micrograd_engine.sanity_check(Value)
    assert (y, x_grad) == micrograd_engine.sanity_check_torch(torch)  # exact, as micrograd's
    ours = micrograd_engine.more_ops(Value)
    theirs = micrograd_engine.more_ops_torch(torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-14)  # micrograd's test allows 1e-6


def test_micrograd_demo_reproduces_the_losses_the_notebook_printed():
    # The first ten steps (half a second); benchmarks/bench_ports.py runs all 100 and checks
    # step 99's loss, 0.010978370135492717, too.
    history = micrograd_demo.port(steps=10)
    for step in range(10):
        printed = micrograd_demo.PRINTED[step]
        assert abs(history[step][0] - printed) <= 1e-14 * max(1.0, printed), step
    assert [acc for _, acc in history[:4]] == [0.5, 0.81, 0.77, 0.82]  # as printed


def test_micrograd_demo_matches_micrograd_step_by_step():
    pytest.importorskip("micrograd")
    ours = micrograd_demo.port(steps=1)
    theirs = micrograd_demo.original(steps=1)
    for (loss, acc), (mg_loss, mg_acc) in zip(ours, theirs):
        assert acc == mg_acc
        assert abs(loss - mg_loss) <= 1e-15


# ---- PyTorch tutorials ------------------------------------------------------------------------

@functools.cache
def torch_original(name: str):
    pytest.importorskip("torch")
    if name == "autograd":
        module = pytorch_polynomial_autograd
        return module.original(module.initial(), steps=TUTORIAL_STEPS)
    if name == "custom":
        return pytorch_polynomial_custom_function.original(steps=TUTORIAL_STEPS)
    module = pytorch_polynomial_nn
    return module.original(module.initial(), steps=TUTORIAL_STEPS)


def test_polynomial_autograd_as_written_gives_pytorchs_numbers():
    module = pytorch_polynomial_autograd
    ours = module.port(module.initial(), steps=TUTORIAL_STEPS)
    assert_same_history(ours, torch_original("autograd"))


def test_polynomial_custom_function_as_written_gives_pytorchs_numbers():
    ours = pytorch_polynomial_custom_function.port(steps=TUTORIAL_STEPS)
    assert_same_history(ours, torch_original("custom"))


def test_polynomial_nn_as_written_gives_pytorchs_numbers():
    module = pytorch_polynomial_nn
    ours = module.port(module.initial(), steps=TUTORIAL_STEPS)
    theirs = torch_original("nn")
    assert_same_history(ours["sequential"], theirs["sequential"])
    assert_same_history(ours["module"], theirs["module"])


# ---- HIPS autograd ----------------------------------------------------------------------------

@functools.cache
def hips_original(name: str):
    pytest.importorskip("autograd")
    if name == "neural_net":
        return hips_neural_net.original(num_epochs=HIPS_EPOCHS)
    return {"tanh": hips_tanh.original, "cookbook": jax_cookbook.original}[name]()


def assert_same_pairs(ours, theirs, rtol=1e-10, atol=1e-12):
    assert len(ours) == len(theirs)
    for (W, b), (W_theirs, b_theirs) in zip(ours, theirs):
        np.testing.assert_allclose(W, W_theirs, rtol=rtol, atol=atol)
        np.testing.assert_allclose(b, b_theirs, rtol=rtol, atol=atol)


def test_hips_neural_net_as_written_gives_hips_numbers():
    ours = hips_neural_net.port(num_epochs=HIPS_EPOCHS)
    theirs = hips_original("neural_net")
    assert_same_pairs(ours["first_grad"], theirs["first_grad"])
    assert ours["printed"] == theirs["printed"]
    assert_same_pairs(ours["params"], theirs["params"])


def test_hips_neural_net_adam_replacement_is_hips_adam():
    # The one function the port writes itself: run the example on HIPS autograd with it.
    from types import SimpleNamespace

    import autograd.numpy as anp
    import autograd.numpy.random as npr
    from autograd import grad
    from autograd.scipy.special import logsumexp
    lib = SimpleNamespace(np=anp, npr=npr, grad=grad, logsumexp=logsumexp,
                          l2_norm=lambda ps: sum(anp.sum(W ** 2) + anp.sum(b ** 2) for W, b in ps),
                          adam=hips_neural_net.adam)
    ours = hips_neural_net.run(lib, num_epochs=HIPS_EPOCHS)
    theirs = hips_original("neural_net")
    assert ours["printed"] == theirs["printed"]
    # It learns: train accuracy from under 50% to over 70% in the two epochs before the last print.
    assert theirs["printed"][0][1] < 0.5 and theirs["printed"][-1][1] > 0.7
    assert_same_pairs(ours["params"], theirs["params"])


def test_hips_tanh_as_written_gives_the_derivatives_of_tanh():
    f, d1, d2, _, _ = hips_tanh.port()
    x = np.linspace(-7, 7, 700)
    t = np.tanh(x)
    np.testing.assert_allclose(f, t, atol=1e-15)
    np.testing.assert_allclose(d1, 1 - t ** 2, atol=1e-12)
    np.testing.assert_allclose(d2, -2 * t * (1 - t ** 2), atol=1e-12)


def test_hips_tanh_as_written_gives_hips_derivatives():
    for ours, theirs in zip(hips_tanh.port(), hips_original("tanh"), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


# ---- JAX autodiff cookbook --------------------------------------------------------------------

def test_jax_cookbook_pytrees_as_written():
    ours = jax_cookbook.run_pytrees(jax_cookbook.our_lib())
    theirs = hips_original("cookbook")["pytrees"]
    assert set(ours["dict"]) == {"W", "b"}
    for key in ("W", "b"):
        np.testing.assert_allclose(ours["dict"][key], theirs["dict"][key], rtol=1e-12)
    (W, b), = ours["nested"]
    np.testing.assert_allclose(W, theirs["dict"]["W"], rtol=1e-12)
    np.testing.assert_allclose(b, theirs["dict"]["b"], rtol=1e-12)
    W_grad, b_grad = ours["separate"]
    np.testing.assert_allclose(W_grad, theirs["dict"]["W"], rtol=1e-12)
    np.testing.assert_allclose(b_grad, theirs["dict"]["b"], rtol=1e-12)


def test_jax_cookbook_hessian_vector_products_as_written():
    ours = jax_cookbook.run_hvp(jax_cookbook.our_lib())
    theirs = hips_original("cookbook")["hvp"]
    assert ours["allclose"]
    # grad of a function of the tuple `primals` returns a tuple, as JAX's does
    assert type(ours["revfwd"]) is tuple and len(ours["revfwd"]) == 1
    ours["revfwd"] = ours["revfwd"][0]
    np.testing.assert_allclose(ours["dense"], theirs["dense"], rtol=1e-10, atol=1e-12)
    for way in jax_cookbook.HVP_WAYS:
        np.testing.assert_allclose(ours[way], theirs["dense"], rtol=1e-10, atol=1e-12)


# ---- the guide's tables -----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def guide_table(first_header: str, columns: int) -> list[list[str]]:
    """The rows of the table in docs/porting.md whose header row has `columns` cells and starts
    with `first_header`, each row a list of its cells."""
    rows: list[list[str]] = []
    inside = False
    for line in (ROOT / "docs" / "porting.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            inside = False
        elif cells[0] == first_header and len(cells) == columns:
            inside = True
        elif inside and set(cells[0]) != {"-"}:
            rows.append(cells)
    return rows


def test_the_guides_run_time_table_lists_every_source_the_script_times():
    sys.path.insert(0, str(ROOT))
    from benchmarks import bench_ports
    timed = [(name, work) for name, work, *_ in bench_ports.sources()]
    assert [tuple(row[:2]) for row in guide_table("source", 5)] == timed


def test_the_guide_lists_the_changes_of_every_port():
    ports = ROOT / "tests" / "porting" / "ports"
    modules = sorted(p.stem for p in ports.glob("*.py") if p.stem != "__init__")
    # one row per module, and one more: the JAX cookbook's two sections share a module
    assert len(guide_table("source", 2)) == len(modules) + 1
    for name in modules:
        module = importlib.import_module(f"tests.porting.ports.{name}")
        assert module.CHANGES and all(len(change) == 3 for change in module.CHANGES), name
