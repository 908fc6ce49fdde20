# %% [markdown]
# # Integration
#
# Integration as a running sum, the reverse of differentiation.
#
# Autodiff turns the antiderivative x^3 - 2x^2 back into 3x^2 - 4x; adding up thin strips
# f(x) dx of 3x^2 - 4x rebuilds x^3 - 2x^2, up to a constant and an error that shrinks with dx.
#
# Run it as a script, `python examples/02_integration.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/02_integration.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/02-integration.md`.

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


# %%
def f(x):
    return 3 * x**2 - 4 * x


# %%
def antiderivative(x):
    return x**3 - 2 * x**2


# %%
def running_sum(dx: float) -> tuple[np.ndarray, np.ndarray]:
    """The grid from -10 to 10 in steps dx, and the running sum of f(x) dx along it."""
    x = np.arange(-10.0, 10.0, dx)
    return x, np.cumsum(f(x) * dx)


# %%
def save_plot() -> None:
    plt = pyplot()
    if plt is None:
        return
    x, area = running_sum(0.1)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(x, area, lw=4, alpha=0.5, label="running sum of (3x^2 - 4x) dx, dx = 0.1")
    ax.plot(x, antiderivative(x) - antiderivative(-10.0), "k--",
            label="x^3 - 2x^2 - (value at -10)")
    ax.set_xlabel("x")
    ax.set_ylabel("area accumulated from x = -10")
    ax.set_title("The running sum of f(x) dx is an antiderivative of f")
    ax.legend()
    show(fig, "integration.png")


# %%
grid = np.linspace(-10.0, 10.0, 201)
# antiderivative acts elementwise, so the gradient of its sum is its derivative pointwise.
derivative = ag.grad(lambda x: antiderivative(x).sum())(grid)
print("d/dx (x^3 - 2x^2) by autodiff against 3x^2 - 4x on 201 points in [-10, 10]:")
print(f"  max |difference| = {np.abs(derivative - f(grid)).max():.1e}")

print("\nrunning sum of (3x^2 - 4x) dx from x = -10, against x^3 - 2x^2:")
print("    dx     constant   spread of (sum - antiderivative)   spread / dx")
for dx in (0.1, 0.01, 0.001):
    x, area = running_sum(dx)
    gap = area - antiderivative(x)
    spread = gap.max() - gap.min()
    print(f"  {dx:6.3f}  {gap.mean():9.2f}   {spread:12.4f}                      "
          f"{spread / dx:8.2f}")
print("the gap is a constant (about -F(-10) = 1200) plus an error proportional to dx")

# %%
if not OPTIONS.no_plot:
    save_plot()
