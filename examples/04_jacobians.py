# %% [markdown]
# # Jacobians
#
# The Jacobian of a vector function: rows are outputs, columns are inputs.
#
# `autograd_lite.jacobian` differentiates every output with respect to every input; we compare it
# with the matrix worked out by hand for (2xy, x^2 y) and for three sigmoid units of (x, y).
#
# Run it as a script, `python examples/04_jacobians.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/04_jacobians.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/04-jacobians.md`.

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

# The constants p..u of the three sigmoid units: unit i computes sigmoid(w_i1 x + w_i2 y).
WEIGHTS = np.array([[1.0, -2.0],   # p, q
                    [0.5, 1.5],    # r, s
                    [-1.0, 0.3]])  # t, u


# %%
def pq(v):
    """(2xy, x^2 y) for v = (x, y)."""
    x, y = v[0], v[1]
    return ag.stack([2 * x * y, x**2 * y])


# %%
def sigmoid_units(v):
    """(sigmoid(p x + q y), sigmoid(r x + s y), sigmoid(t x + u y)) for v = (x, y)."""
    return ag.sigmoid(ag.Tensor(WEIGHTS) @ v)


# %%
def save_plot(point: np.ndarray) -> None:
    """A small circle around the point, mapped by (2xy, x^2 y) and by its Jacobian."""
    plt = pyplot()
    if plt is None:
        return
    jac = ag.jacobian(pq)(point)
    centre = pq(ag.Tensor(point)).numpy()
    fig, ax = plt.subplots(figsize=(6, 6))
    for radius in (0.05, 0.15, 0.3):
        angles = np.linspace(0, 2 * np.pi, 200)
        steps = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (200, 2)
        exact = np.array([pq(ag.Tensor(point + d)).numpy() for d in steps])
        linear = centre + steps @ jac.T
        ax.plot(*exact.T, "C0", label="f(p + d)" if radius == 0.05 else None)
        ax.plot(*linear.T, "k--", label="f(p) + J d" if radius == 0.05 else None)
    ax.plot(*centre, "ko")
    ax.set_title("circles of radius 0.05, 0.15, 0.3 around p = (0.5, 1)\n"
                 "mapped by f = (2xy, x^2 y) and by its Jacobian")
    ax.set_aspect("equal")
    ax.set_xlabel("first output, 2xy")
    ax.set_ylabel("second output, x^2 y")
    ax.legend()
    show(fig, "jacobians.png")


# %%
np.set_printoptions(precision=6, suppress=True)

point = np.array([0.5, 1.0])
x, y = point
jac = ag.jacobian(pq)(point)
by_hand = np.array([[2 * y, 2 * x], [2 * x * y, x**2]])
print(f"Jacobian of (2xy, x^2 y) at (x, y) = ({x}, {y}) by autodiff:\n{jac}")
print(f"[[2y, 2x], [2xy, x^2]] by hand:\n{by_hand}")
print(f"max |difference| = {np.abs(jac - by_hand).max():.1e}")

jac = ag.jacobian(sigmoid_units)(point)
s = 1 / (1 + np.exp(-WEIGHTS @ point))
by_hand = (s * (1 - s))[:, None] * WEIGHTS  # row i = s_i (1 - s_i) (w_i1, w_i2)
print(f"\nJacobian of three sigmoid units at ({x}, {y}), shape {jac.shape} "
      "(3 outputs x 2 inputs):")
print(jac)
print(f"row i = s_i (1 - s_i) times unit i's weights:\n{by_hand}")
print(f"max |difference| = {np.abs(jac - by_hand).max():.1e}")

# %%
if not OPTIONS.no_plot:
    save_plot(point)
