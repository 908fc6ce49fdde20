# %% [markdown]
# # The support vector machine
#
# The support vector machine as constrained optimisation.
#
# Minimise a^2 + b^2 subject to y_i (a x_i + b y_i + c) >= 1 for every point, with the augmented
# Lagrangian method: minimise a^2 + b^2 plus a penalty that grows with each violated constraint,
# by gradient descent on autodiff gradients, then move the multipliers and repeat. No SciPy.
#
# Run it as a script, `python examples/07_svm.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/07_svm.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/07-svm.md`.

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

THREE = (np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0]]), np.array([-1.0, 1.0, 1.0]))
SIX = (np.array([[-1.0, -1.0], [-3.0, -1.0], [0.0, 0.0], [3.0, 3.0], [1.0, 2.0], [2.0, 1.0]]),
       np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0]))


# %%
def fit_svm(points: np.ndarray, labels: np.ndarray, rho: float = 10.0, tol: float = 1e-9
            ) -> tuple[np.ndarray, np.ndarray]:
    """The separating line (a, b, c) of largest margin, and one multiplier per point.

    Constraint i is g_i = 1 - y_i (a x_i + b y_i + c) <= 0. The augmented Lagrangian
    a^2 + b^2 + sum(max(0, lam_i + rho g_i)^2 - lam_i^2) / (2 rho) is minimised over (a, b, c)
    by gradient descent; then lam_i <- max(0, lam_i + rho g_i), until lam settles.
    """
    rows = labels[:, None] * np.column_stack([points, np.ones(len(points))])  # y_i (x_i, y_i, 1)
    lr = 1.0 / (2.0 + rho * np.linalg.norm(rows, 2) ** 2)  # below 1 / (largest curvature)

    def augmented_lagrangian(w, lam):
        g = 1 - rows @ w
        return w[0] ** 2 + w[1] ** 2 + ((ag.relu(lam + rho * g)) ** 2 - lam**2).sum() / (2 * rho)

    slope = ag.grad(augmented_lagrangian)
    w, lam = np.zeros(3), np.zeros(len(points))
    for _ in range(100):
        for _ in range(100_000):
            step = slope(w, lam)
            w = w - lr * step
            if np.abs(step).max() < tol:
                break
        new_lam = np.maximum(0.0, lam + rho * (1 - rows @ w))
        if np.abs(new_lam - lam).max() < tol:
            return w, new_lam
        lam = new_lam
    raise RuntimeError("the multipliers did not settle")


# %%
def report(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, lam = fit_svm(points, labels)
    a, b, c = w
    sign = "-" if c < 0 else "+"
    print(f"  a = {a:.3f}, b = {b:.3f}, c = {c:.3f}:  the line {a:.2f}x + {b:.2f}y {sign} "
          f"{abs(c):.0f} = 0")
    margins = labels * (points @ w[:2] + c)
    for p, label, margin, multiplier in zip(points, labels, margins, lam):
        role = "  support vector" if multiplier > 1e-6 else ""
        print(f"    ({p[0]:+.0f}, {p[1]:+.0f}) class {label:+.0f}: y (a x + b y + c) = "
              f"{margin:.3f}, multiplier {multiplier:.3f}{role}")
    return w, lam


# %%
def save_plot(w: np.ndarray, lam: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    points, labels = SIX
    a, b, c = w
    xs = np.linspace(-3.5, 3.5, 2)
    fig, ax = plt.subplots(figsize=(6, 6))
    for level, style in [(0, "k-"), (1, "k:"), (-1, "k:")]:
        ax.plot(xs, (level - c - a * xs) / b, style)
    for label, colour in ((-1.0, "tab:blue"), (1.0, "tab:red")):
        ax.scatter(*points[labels == label].T, c=colour, s=60, edgecolors="k",
                   label=f"class {label:+.0f}")
    support = lam > 1e-6
    ax.scatter(*points[support].T, s=250, facecolors="none", edgecolors="k",
               label="support vectors")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-3.5, 3.5)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"{a:.2f}x + {b:.2f}y {'-' if c < 0 else '+'} {abs(c):.2f} = 0 and its margins")
    ax.legend(loc="lower right")
    show(fig, "svm.png")


# %%
print("three points: (0, 0) in class -1; (1, 2), (2, 1) in class +1")
report(*THREE)
print("six points: (-1, -1), (-3, -1), (0, 0) in class -1; (3, 3), (1, 2), (2, 1) in class +1")
w, lam = report(*SIX)
print("the same line: the new points lie beyond the margin (multiplier 0),\n"
      "so the support vectors, and with them the solution, do not change")

# %%
if not OPTIONS.no_plot:
    save_plot(w, lam)
