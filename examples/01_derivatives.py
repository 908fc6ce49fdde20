# %% [markdown]
# # Derivatives and rates of change
#
# Derivatives as rates of change.
#
# x^2 and its growing steps, the derivative by autodiff against the rate of change, why a
# finite difference cannot be made exact, and the four differentiation rules.
#
# Run it as a script, `python examples/01_derivatives.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/01_derivatives.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/01-derivatives.md`.

# %%
# Setup, the same in every lesson. As a script, `--no-plot` skips the figure and `--out DIR`
# says where to save it (default out/). In a notebook (Jupyter, VS Code, Colab) the figure
# shows under its cell instead. A notebook whose kernel cannot import autograd_lite yet (Colab,
# a fresh environment) installs it first: from the clone of the repository the notebook sits
# in, or else from SOURCE, the address of the repository (e.g. "git+https://host/you/repo").
import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

SOURCE = ""
NOTEBOOK = "ipykernel" in sys.modules
if NOTEBOOK and importlib.util.find_spec("autograd_lite") is None:
    CLONE = next((folder for folder in (Path.cwd(), *Path.cwd().parents)
                  if (folder / "autograd_lite" / "__init__.py").is_file()), None)
    if CLONE is None and not SOURCE:
        raise RuntimeError("autograd_lite is not installed: open this notebook in a clone of "
                           "its repository, or set SOURCE in this cell to the repository's address")
    TARGET = f"{CLONE}[plot]" if CLONE else f"autograd-lite[plot] @ {SOURCE}"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", TARGET], check=True)
    importlib.invalidate_caches()

PARSER = argparse.ArgumentParser(description="Print this lesson's numbers and save its figure.")
PARSER.add_argument("--no-plot", action="store_true", help="do not draw the figure")
PARSER.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
OPTIONS = PARSER.parse_args([] if NOTEBOOK else None)


def pyplot():
    """`matplotlib.pyplot`, or None (with a note) when matplotlib is not installed."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed, so no figure: pip install matplotlib)")
        return None
    return plt


def show(fig, name):
    """In a notebook the figure shows under its cell; a script saves it as OPTIONS.out/name."""
    if NOTEBOOK:
        return
    OPTIONS.out.mkdir(parents=True, exist_ok=True)
    fig.savefig(OPTIONS.out / name, dpi=120, bbox_inches="tight")
    print(f"saved {OPTIONS.out / name}")


# %%
import math

import numpy as np

import autograd_lite as ag
from autograd_lite import Value


# %%
def f_square(x):
    return x**2


# %%
def f_cubic(x):
    return x**3 - 2 * x**2 + 1


# %%
def summed(f):
    """x -> sum(f(x)). When f acts elementwise its gradient is f'(x) at every point of x."""

    def total(x):
        return f(x).sum()

    return total


# %%
def squares_and_steps() -> None:
    """The steps of x^2 grow by 2, and autodiff says the slope is 2x, the curvature 2."""
    xs = np.arange(5.0)
    ys = xs**2
    print("x^2 at x = 0..4:         ", ys)
    print("steps between them:      ", np.diff(ys))
    print("how much the steps grow: ", np.diff(ys, n=2))
    slope = ag.grad(f_square)
    curvature = ag.grad(ag.grad(f_square))
    print("d/dx x^2 by autodiff:    ", np.array([slope(x) for x in xs]), "(= 2x)")
    print("d2/dx2 x^2 by autodiff:  ", np.array([curvature(x) for x in xs]), "(= 2 everywhere)")


# %%
def rule_versus_rate() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Autodiff gives 2x and 3x^2 - 4x; a central difference agrees to about 1e-6."""
    grid = np.linspace(-2.0, 3.0, 101)
    curves = []
    for name, f, rule in [("x^2", f_square, 2 * grid),
                          ("x^3 - 2x^2 + 1", f_cubic, 3 * grid**2 - 4 * grid)]:
        autodiff = ag.grad(summed(f))(grid)
        rate = ag.numerical_grad(summed(f), grid)
        print(f"f(x) = {name:15s} max |autodiff - rule| = {np.abs(autodiff - rule).max():.1e}, "
              f"max |autodiff - central difference| = {np.abs(autodiff - rate).max():.1e}")
        curves.append((autodiff, rate))
    return grid, curves[1][0], curves[1][1]


# %%
def finite_difference_error() -> None:
    """(f(x+h) - f(x)) / h for e^x at x = 20 first improves with h, then gets worse."""
    x0 = 20.0
    x = Value(x0)
    x.exp().backward()
    exact = math.exp(x0)
    print(f"d/dx e^x at x = 20: autodiff {x.grad!r}, e^20 = {exact!r}, "
          f"relative error {abs(x.grad - exact) / exact:.0e}")
    print("   h      relative error of (f(x+h) - f(x)) / h")
    for k in range(1, 16, 2):
        h = 10.0**-k
        rise_over_run = (math.exp(x0 + h) - math.exp(x0)) / h
        print(f"  1e-{k:02d}  {abs(rise_over_run - exact) / exact:.1e}")


# %%
def differentiation_rules() -> None:
    """Autodiff agrees with the sum, power, product and chain rules."""
    d = ag.grad
    x = 0.7
    checks = [
        ("sum      d(x^2 + sin x)  = 2x + cos x", d(lambda x: x**2 + ag.sin(x))(x),
         2 * x + math.cos(x)),
        ("power    d(x^5)          = 5x^4", d(lambda x: x**5)(x), 5 * x**4),
        ("power    d(x^-1.5)       = -1.5x^-2.5", d(lambda x: x**-1.5)(x), -1.5 * x**-2.5),
        ("product  d(x^2 sin x)    = 2x sin x + x^2 cos x", d(lambda x: x**2 * ag.sin(x))(x),
         2 * x * math.sin(x) + x**2 * math.cos(x)),
        ("chain    d(sin(x^2))     = cos(x^2) 2x", d(lambda x: ag.sin(x**2))(x),
         math.cos(x**2) * 2 * x),
        ("chain    d(e^(tanh x))   = e^(tanh x) (1 - tanh^2 x)", d(lambda x: ag.exp(ag.tanh(x)))(x),
         math.exp(math.tanh(x)) * (1 - math.tanh(x) ** 2)),
    ]
    print(f"  {'rule, at x = 0.7':52s} {'autodiff':>12s} {'formula':>12s}")
    for name, autodiff, formula in checks:
        print(f"  {name:52s} {autodiff:+12.9f} {formula:+12.9f}")


# %%
def save_plot(grid: np.ndarray, autodiff: np.ndarray, rate: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(grid, f_cubic(grid), color="0.6", label="f(x) = x^3 - 2x^2 + 1")
    ax.plot(grid, autodiff, lw=4, alpha=0.5, label="f'(x) by autodiff")
    ax.plot(grid, rate, "k--", label="f'(x) by central difference")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x) and f'(x)")
    ax.set_title("x^3 - 2x^2 + 1 and its derivative: autodiff and central difference")
    ax.legend()
    show(fig, "derivatives.png")


# %%
print("== x^2 and its steps ==")
squares_and_steps()

# %%
print("== derivative by autodiff against the rate of change ==")
grid, autodiff, rate = rule_versus_rate()

# %%
print("== rise over run for e^x at x = 20 ==")
finite_difference_error()

# %%
print("== the differentiation rules ==")
differentiation_rules()

# %%
if not OPTIONS.no_plot:
    save_plot(grid, autodiff, rate)
