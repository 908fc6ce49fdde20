"""Every script in examples/ runs to completion, headless, and prints the numbers it promises.

A script that offers `--no-plot` is run with its plots on (matplotlib's Agg backend, into a
temporary folder) when matplotlib is installed, so the plotting code is exercised too; one run
checks that `--no-plot` really writes nothing. The numbers the lesson pages show are asserted
through the public API in tests/lessons/; here we check that each example prints them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))
HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
TIME_BOUND = 30.0  # seconds; each example takes about one on a laptop


def number_between(low: float, high: float):
    return lambda text: low <= float(text) <= high


# What each lesson example must print: substrings, or (regex, check of its first group).
EXPECTED: dict[str, list] = {
    "00_start_here.py": [
        "a.grad = 1.0  b.grad = 2.0", "step 3 (mul): c#2 = a#0 * b#1", "3 steps over 6 nodes",
        (r"training accuracy (\S+)%", number_between(97, 100)),
        "layers.0.weight#",
    ],
    "01_derivatives.py": [
        "[ 0.  1.  4.  9. 16.]", "[1. 3. 5. 7.]", "[2. 2. 2.]",
        "d/dx x^2 by autodiff:     [0. 2. 4. 6. 8.]",
        "d2/dx2 x^2 by autodiff:   [2. 2. 2. 2. 2.]",
        (r"max \|autodiff - central difference\| = (\S+)", number_between(0, 1e-6)),
        "autodiff 485165195.4097903, e^20 = 485165195.4097903, relative error 0e+00",
    ],
    "02_integration.py": [
        (r"max \|difference\| = (\S+)", number_between(0, 1e-9)),
        (r"0\.001 .* (\S+)\n", number_between(165, 175)),
    ],
    "03_gradients.py": [
        "gradient by autodiff         (4, 27)", "gradient by autodiff         (2, 2)",
        "steepest of 3600 directions    45.000 degrees, rate 2.828427",
    ],
    "04_jacobians.py": [
        "[[2.   1.  ]\n [1.   0.25]]",
        (r"max \|difference\| = (\S+)\n\nJacobian", number_between(0, 1e-9)),
        "shape (3, 2) (3 outputs x 2 inputs)",
    ],
    "05_backpropagation.py": [
        (r"max \|autodiff - chain rule by hand\| = (\S+)", number_between(0, 1e-9)),
        (r"training accuracy (\S+)%", number_between(97, 100)),
        "local Jacobian (16, 2) equals W: True;  gradient sent back equals W^T grad_out: True",
        "local Jacobian (16, 16) equals W: True;  gradient sent back equals W^T grad_out: True",
        "local Jacobian (1, 16) equals W: True;  gradient sent back equals W^T grad_out: True",
        "W: wrong, worst at W[5, 1]: analytic 0.4290, numeric 0.2145 (16 of 16 entries wrong)",
        "b: wrong, worst at b[5]: analytic 0.0050, numeric 0.2491 (8 of 8 entries wrong)",
        "v: the gradient agrees with central differences",
        "with autograd_lite's gradients, gradcheck passes for every parameter: True",
        (r"1000 steps: by hand loss (\S+),", number_between(0.05, 0.1)),
        (r"1000 steps: .* autodiff loss (\S+),", number_between(0.0, 0.04)),
    ],
    "06_optimisation.py": [
        "f''(x) = -4.000000 -> a local maximum", "f''(x) = +4.000000 -> a local minimum",
        (r"stops after \d+ steps at x = (\S+)", number_between(4 / 3 - 1e-3, 4 / 3 + 1e-3)),
        (r"f\(x\) = (\S+) \(-5/27", number_between(-5 / 27 - 1e-3, -5 / 27 + 1e-3)),
        (r"10000 +(\S+)", number_between(99, 101)),
    ],
    "07_svm.py": [
        "three points", "six points",
        "a = 0.667, b = 0.667, c = -1.000:  the line 0.67x + 0.67y - 1 = 0",
    ],
    "08_linear_regression.py": [
        (r"stopped after \d+ steps \(update below 1e-9\): a = (\S+),",
         number_between(2 - 1e-3, 2 + 1e-3)),
        (r"largest difference: (\S+)", number_between(0, 1e-6)),
    ],
    "09_newton_raphson.py": [
        "root 2.0945514815423265 after",
        (r"after (\d+) steps", number_between(1, 6)),
    ],
    "10_taylor.py": [
        (r"first-order error ~ h\^(\S+),", number_between(1.9, 2.1)),
        (r"second-order error ~ h\^(\S+)\n", number_between(2.9, 3.1)),
    ],
    "11_nonlinear_fit.py": [
        (r"fitted  mu = (\S+),", number_between(1.49, 1.51)),
        (r"fitted  mu = \S+, sigma = (\S+)", number_between(0.79, 0.81)),
    ],
}


def run_example(script: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(script), *args], check=False, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    plots = "--no-plot" in script.read_text()
    args = []
    if plots:
        args = ["--out", str(tmp_path / "out")] if HAVE_MATPLOTLIB else ["--no-plot"]
    start = time.perf_counter()
    result = run_example(script, tmp_path, *args)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "an example prints what it shows"
    assert elapsed < TIME_BOUND, f"{script.name} took {elapsed:.1f} s"
    if plots and HAVE_MATPLOTLIB:
        assert list((tmp_path / "out").glob("*.png")), "the example saves its plot"
    if script.name == "00_start_here.py" and HAVE_MATPLOTLIB:
        page = (tmp_path / "out" / "start_here_backprop.html").read_text()
        assert '<script type="application/json" id="autograd-lite-trace">' in page
    for expected in EXPECTED.get(script.name, []):
        if isinstance(expected, str):
            assert expected in result.stdout, f"{expected!r} not printed"
        else:
            pattern, check = expected
            match = re.search(pattern, result.stdout)
            assert match, f"{pattern!r} not found in the output"
            assert check(match.group(1)), f"{pattern!r}: {match.group(1)} is off"


def test_every_lesson_example_is_checked():
    lesson_examples = {p.name for p in EXAMPLES if p.name[:2].isdigit()}
    assert lesson_examples == set(EXPECTED)


def test_no_plot_writes_nothing(tmp_path):
    result = run_example(ROOT / "examples" / "09_newton_raphson.py", tmp_path, "--no-plot",
                         "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out").exists()
