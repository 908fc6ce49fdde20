# %% [markdown]
# # Optimisation
#
# Optimisation: where the derivative vanishes.
#
# x^3 - 2x^2 + 1 has f'(x) = 0 at 0 and 4/3; the second derivative tells the maximum from the
# minimum, and gradient descent from x = 2 slides into the minimum. log x has no such point:
# its derivative 1/x shrinks but never reaches zero, so gradient ascent climbs for ever.
#
# Run it as a script, `python examples/06_optimisation.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/06_optimisation.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/06-optimisation.md`.

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
    return x**3 - 2 * x**2 + 1


# %%
def gradient_descent(fn, x: float, lr: float = 0.1, tol: float = 1e-12,
                     max_steps: int = 10_000) -> tuple[float, int]:
    """Step x <- x - lr f'(x) until the step is smaller than tol; return x and the step count."""
    slope = ag.grad(fn)
    for n in range(1, max_steps + 1):
        step = lr * slope(x)
        x -= step
        if abs(step) < tol:
            return x, n
    raise RuntimeError(f"no convergence in {max_steps} steps")


# %%
def log_ascent(x: float = 1.0, lr: float = 0.5, checkpoints=(10, 100, 1_000, 10_000)):
    """Gradient ascent on log x: yields (step, x, d/dx log x) at each checkpoint."""
    slope = ag.grad(ag.log)
    for n in range(1, max(checkpoints) + 1):
        x += lr * slope(x)
        if n in checkpoints:
            yield n, x, slope(x)


# %%
def save_plot() -> None:
    plt = pyplot()
    if plt is None:
        return
    path, x = [2.0], 2.0
    slope = ag.grad(f)
    for _ in range(15):
        x -= 0.1 * slope(x)
        path.append(x)
    grid = np.linspace(-0.8, 2.2, 200)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(grid, f(grid), label="f(x) = x^3 - 2x^2 + 1")
    left.plot(path, f(np.array(path)), "o-", ms=4, label="gradient descent from x = 2")
    left.plot([0, 4 / 3], [f(0.0), f(4 / 3)], "k*", ms=10, label="f'(x) = 0")
    left.set_xlabel("x")
    left.set_ylabel("f(x)")
    left.set_title("Stationary points and a descent to the minimum")
    left.legend(fontsize=9)
    grid = np.linspace(0.05, 10, 200)
    right.plot(grid, np.log(grid), label="log x")
    right.plot(grid, 1 / grid, label="d/dx log x = 1/x")
    right.axhline(0, color="0.7", lw=0.8)
    right.set_ylim(-3, 5)
    right.set_xlabel("x")
    right.set_title("log x climbs for ever: its slope 1/x is never 0")
    right.legend(fontsize=9)
    fig.tight_layout()
    show(fig, "optimisation.png")


# %%
curvature = ag.grad(ag.grad(f))
for x in (0.0, 4 / 3):
    kind = "maximum" if curvature(x) < 0 else "minimum"
    print(f"x = {x:.6f}: f'(x) = {ag.grad(f)(x):+.1e}, f''(x) = {curvature(x):+.6f} "
          f"-> a local {kind}")
x, steps = gradient_descent(f, 2.0)
print(f"gradient descent from x = 2 (lr 0.1) stops after {steps} steps at x = {x:.12f} "
      f"(4/3 = {4 / 3:.12f}), f(x) = {f(x):.12f} (-5/27 = {-5 / 27:.12f})")

print("\ngradient ascent on log x from x = 1 (lr 0.5): d/dx log x = 1/x never vanishes")
print("   step          x     log x       1/x")
for n, x, slope in log_ascent():
    print(f"  {n:5d}  {x:9.3f}  {np.log(x):8.4f}  {slope:8.5f}")
print("x keeps growing (like sqrt(step)): log x has no maximum")

# %%
if not OPTIONS.no_plot:
    save_plot()
