# %% [markdown]
# # Linear regression by gradient descent
#
# Gradient descent on a squared-error loss, from one point to a regression line.
#
# The loss of the model y = a x + b on one point is a U-shape in a; gradient descent walks down
# it with steps that shrink as the slope flattens, and stops when a step is negligible. The same
# loop on many points fits a regression line: the one NumPy's least squares finds in closed form.
#
# Run it as a script, `python examples/08_linear_regression.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/08_linear_regression.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/08-linear-regression.md`.

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
from autograd_lite import Tensor, Value


# %%
def one_point_descent(start: float, lr: float = 0.01, tol: float = 1e-9,
                      verbose: bool = True) -> tuple[float, float, int, list[float]]:
    """Minimise L(a) = (a x + b - y)^2 with x = 5, y = 10, b = 0 by gradient descent, the
    derivative dL/da from backward(); return a, L(a), the number of steps and every a visited
    (the start first)."""
    x, y, b = 5.0, 10.0, 0.0
    a = start
    path = [a]
    for n in range(1, 10_000):
        a_node = Value(a, label="a")
        loss = (a_node * x + b - y) ** 2
        loss.backward()
        update = lr * a_node.grad
        a = a - update
        path.append(a)
        if verbose and (n <= 6 or n % 5 == 0):
            print(f"  step {n:2d}: L = {loss.data:.3e}  dL/da = {a_node.grad:+.3e}  "
                  f"update {-update:+.2e}  a = {a:.9f}")
        if abs(update) < tol:
            return a, (a * x + b - y) ** 2, n, path
    raise RuntimeError("gradient descent did not converge")


# %%
def fit_line(x: np.ndarray, y: np.ndarray, lr: float = 0.5, tol: float = 1e-12
             ) -> tuple[float, float, int]:
    """Gradient descent on the mean squared error of y = slope x + intercept."""
    slope = Tensor(0.0, requires_grad=True, label="slope")
    intercept = Tensor(0.0, requires_grad=True, label="intercept")
    for n in range(1, 100_000):
        loss = ((slope * x + intercept - y) ** 2).mean()
        slope.grad = intercept.grad = None
        loss.backward()
        updates = lr * slope.grad, lr * intercept.grad
        slope.data -= updates[0]
        intercept.data -= updates[1]
        if max(abs(u) for u in updates) < tol:
            return slope.item(), intercept.item(), n
    raise RuntimeError("gradient descent did not converge")


# %%
def save_plot(path: list[float], spend: np.ndarray, revenue: np.ndarray, slope: float,
              intercept: float) -> None:
    """Left: L(a) and the descent printed above (its first steps, from the same start);
    right: the data and the fitted line."""
    plt = pyplot()
    if plt is None:
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    steps = np.array(path[:8])
    a_grid = np.linspace(min(-1.0, steps.min() - 1), max(5.0, steps.max() + 1), 300)
    left.plot(a_grid, (5 * a_grid - 10) ** 2, color="0.5", label="L(a) = (5a - 10)$^2$")
    left.plot(steps, (5 * steps - 10) ** 2, "o-", color="C3", ms=5,
              label=f"gradient descent from a = {steps[0]:.2f} (first {len(steps)} points)")
    for k, a in enumerate(steps[:3]):
        left.annotate(f"step {k}" if k else "start", (a, (5 * a - 10) ** 2),
                      textcoords="offset points", xytext=(6, 6), fontsize=9)
    left.set_xlabel("a")
    left.set_ylabel("loss L(a)")
    left.set_title("The loss of one point, and the descent (dL/da by autodiff)")
    left.legend(loc="upper center")
    right.scatter(spend, revenue, s=14, label="50 noisy points")
    line = np.linspace(-1, 1, 2)
    right.plot(line, slope * line + intercept, "k", label=f"{slope:.2f} spend + {intercept:.2f}")
    right.set_xlabel("advertising spend (standardised)")
    right.set_ylabel("revenue")
    right.set_title("The regression line found by gradient descent")
    right.legend(loc="upper left")
    fig.tight_layout()
    show(fig, "linear_regression.png")


# %%
start = float(np.random.default_rng(4).uniform(-10, 10))
print(f"== L(a) = (5a - 10)^2, gradient descent from a random a = {start:.6f} ==")
a, loss, steps, path = one_point_descent(start)
print(f"stopped after {steps} steps (update below 1e-9): a = {a:.9f}, L(a) = {loss:.1e}")

# Revenue against advertising spend (standardised to [-1, 1]), with noise.
spend, revenue = ag.datasets.make_line(50, slope=2.5, intercept=10.0, noise=1.0, seed=0)
slope, intercept, steps = fit_line(spend, revenue)
design = np.column_stack([spend, np.ones_like(spend)])
(ls_slope, ls_intercept), *_ = np.linalg.lstsq(design, revenue, rcond=None)

# %%
print("== a regression line by gradient descent on the mean squared error ==")
print(f"gradient descent ({steps} steps): slope {slope:.9f}, intercept {intercept:.9f}")
print(f"least squares (closed form):     slope {ls_slope:.9f}, intercept {ls_intercept:.9f}")
print(f"largest difference: {max(abs(slope - ls_slope), abs(intercept - ls_intercept)):.1e}")

# %%
if not OPTIONS.no_plot:
    save_plot(path, spend, revenue, slope, intercept)
