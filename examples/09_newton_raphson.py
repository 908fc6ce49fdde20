# %% [markdown]
# # Newton-Raphson
#
# Newton-Raphson: follow the tangent line to where it crosses zero.
#
# To solve f(x) = 0, replace f near x by its tangent f(x) + f'(x) d and jump to the tangent's
# zero, x <- x - f(x) / f'(x). With f'(x) from autodiff, x^3 - 2x - 5 = 0 is solved to the last
# digit in a handful of steps from x = 2: the number of correct digits roughly doubles each step.
#
# Run it as a script, `python examples/09_newton_raphson.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/09_newton_raphson.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/09-newton-raphson.md`.

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
import numpy as np

import autograd_lite as ag

ROOT = 2.0945514815423265  # the real root of x^3 - 2x - 5


# %%
def f(x):
    return x**3 - 2 * x - 5


# %%
def newton(fn, x: float, tol: float = 1e-15, max_steps: int = 50) -> list[float]:
    """The Newton iterates from x, stopping when a step changes x by less than tol * |x|."""
    value_and_slope = ag.value_and_grad(fn)
    iterates = [x]
    for _ in range(max_steps):
        value, slope = value_and_slope(x)
        step = value / slope
        x -= step
        iterates.append(x)
        if abs(step) <= tol * abs(x):
            return iterates
    raise RuntimeError(f"Newton-Raphson did not converge in {max_steps} steps")


# %%
def save_plot(iterates: list[float]) -> None:
    plt = pyplot()
    if plt is None:
        return
    grid = np.linspace(1.9, 2.25, 200)
    slope = ag.grad(f)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(grid, f(grid), label="f(x) = x^3 - 2x - 5")
    ax.axhline(0, color="0.6", lw=0.8)
    x = iterates[0]
    ax.plot([x, x - f(x) / slope(x)], [f(x), 0], "k--", label="tangent at x = 2")
    ax.plot(iterates[:3], [f(x) for x in iterates[:3]], "ko", ms=4)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title("Newton-Raphson: follow the tangent to where it crosses zero")
    ax.legend()
    show(fig, "newton_raphson.png")


# %%
iterates = newton(f, 2.0)
print("Newton-Raphson on x^3 - 2x - 5 = 0 from x = 2, f'(x) by autodiff:")
for n, x in enumerate(iterates):
    print(f"  step {n}: x = {x!r:20s} error {abs(x - ROOT):.1e}")
print(f"root {iterates[-1]!r} after {len(iterates) - 1} steps, f(root) = {f(iterates[-1]):.1e}")

# %%
if not OPTIONS.no_plot:
    save_plot(iterates)
