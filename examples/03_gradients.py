# %% [markdown]
# # Gradients
#
# The gradient of a function of several variables.
#
# The gradient collects the partial derivatives. Scanning every direction shows that it points
# where the function climbs fastest, and that its length is that fastest rate of climb.
#
# Run it as a script, `python examples/03_gradients.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/03_gradients.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/03-gradients.md`.

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
def f(x, y):
    return x**2 + y**3


# %%
def bowl(x, y):
    return x**2 + y**2


# %%
def steepest_direction(fn, point: tuple[float, float]) -> tuple[float, float]:
    """Scan directions every 0.1 degree; return the angle and the rate of the steepest one.

    The rate of change along a unit direction u is a forward-mode derivative (`jvp`), computed
    by autodiff, not from the gradient.
    """
    angles = np.arange(0.0, 360.0, 0.1)
    rates = []
    for angle in np.radians(angles):
        _, rate = ag.jvp(fn, point, (np.cos(angle), np.sin(angle)))
        rates.append(rate)
    best = int(np.argmax(rates))
    return float(angles[best]), float(rates[best])


# %%
def save_plot() -> None:
    plt = pyplot()
    if plt is None:
        return
    xs, ys = np.meshgrid(np.linspace(-2, 2, 15), np.linspace(-2, 2, 15))
    # f acts elementwise, so the gradient of sum(f) holds the gradient at every grid point.
    gx, gy = ag.grad(lambda x, y: f(x, y).sum(), argnums=(0, 1))(xs, ys)
    fine_x, fine_y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-2, 2, 200))
    fig, ax = plt.subplots(figsize=(6, 5.2))
    filled = ax.contourf(fine_x, fine_y, f(fine_x, fine_y), levels=30, cmap="viridis")
    fig.colorbar(filled, ax=ax, label="f(x, y)")
    ax.quiver(xs, ys, gx, gy, color="white", label="gradient (points uphill)")
    ax.legend(loc="lower left", facecolor="0.3", labelcolor="white")
    ax.set_title("f(x, y) = x^2 + y^3 and its gradient field")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    show(fig, "gradients.png")


# %%
both = (0, 1)  # differentiate with respect to x and y
for name, fn, point in [("x^2 + y^3", f, (2.0, 3.0)), ("x^2 + y^2", bowl, (1.0, 1.0))]:
    gx, gy = ag.grad(fn, argnums=both)(*point)
    angle, rate = steepest_direction(fn, point)
    print(f"f(x, y) = {name} at {point}:")
    print(f"  gradient by autodiff         ({gx:g}, {gy:g})")
    print(f"  gradient direction           {np.degrees(np.arctan2(gy, gx)):8.3f} degrees, "
          f"norm {np.hypot(gx, gy):.6f}")
    print(f"  steepest of 3600 directions  {angle:8.3f} degrees, "
          f"rate {rate:.6f}")
print("at (1, 1) the steepest rate is 2*sqrt(2) =", 2 * np.sqrt(2))

# %%
if not OPTIONS.no_plot:
    save_plot()
