# %% [markdown]
# # A non-linear fit
#
# Fitting a non-linear model by steepest descent: a Gaussian's centre and width.
#
# The model exp(-(x - mu)^2 / (2 sigma^2)) is not linear in its parameters, so there is no
# closed form for the best fit; instead we walk the sum of squared errors downhill, moving
# (mu, sigma) against the gradient that autodiff computes, until the steps become negligible.
#
# Run it as a script, `python examples/11_nonlinear_fit.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/11_nonlinear_fit.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/11-nonlinear-fit.md`.

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

TRUE_MU, TRUE_SIGMA = 1.5, 0.8


# %%
def make_data(noise: float = 0.02, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """201 noisy samples of the Gaussian with the true centre and width on [-4, 6]."""
    x = np.linspace(-4.0, 6.0, 201)
    y = np.exp(-((x - TRUE_MU) ** 2) / (2 * TRUE_SIGMA**2))
    return x, y + np.random.default_rng(seed).normal(0.0, noise, x.size)


# %%
def gaussian(x, mu, sigma):
    return ag.exp(-((x - mu) ** 2) / (2 * sigma**2))


# %%
def fit(x: np.ndarray, y: np.ndarray, start=(0.5, 2.0), lr: float = 0.02, tol: float = 1e-10
        ) -> tuple[np.ndarray, list[tuple[float, float, float]]]:
    """Steepest descent on the sum of squared errors; returns (mu, sigma) and the path."""

    def sse(params):
        return ((gaussian(x, params[0], params[1]) - y) ** 2).sum()

    loss_and_slope = ag.value_and_grad(sse)
    params, path = np.array(start), []
    for _ in range(100_000):
        loss, slope = loss_and_slope(params)
        path.append((params[0], params[1], loss))
        params = params - lr * slope
        if np.abs(lr * slope).max() < tol:
            return params, path
    raise RuntimeError("steepest descent did not converge")


# %%
def save_plot(x: np.ndarray, y: np.ndarray, mu: float, sigma: float) -> None:
    plt = pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(x, y, ".", ms=3, color="0.5", label="data")
    ax.plot(x, gaussian(x, 0.5, 2.0).numpy(), "C1:", label="start: mu = 0.5, sigma = 2")
    ax.plot(x, gaussian(x, mu, sigma).numpy(), "C0",
            label=f"fit: mu = {mu:.3f}, sigma = {sigma:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("Fitting a Gaussian's centre and width by steepest descent")
    ax.legend()
    show(fig, "nonlinear_fit.png")


# %%
x, y = make_data()
(mu, sigma), path = fit(x, y)
print("steepest descent on the squared error of exp(-(x - mu)^2 / (2 sigma^2)):")
for n in (0, 1, 2, 5, 10, len(path) - 1):
    print(f"  step {n:2d}: mu = {path[n][0]:.6f}, sigma = {path[n][1]:.6f}, "
          f"squared error {path[n][2]:.6f}")
print(f"fitted  mu = {mu:.4f}, sigma = {sigma:.4f}")
print(f"true    mu = {TRUE_MU:.4f}, sigma = {TRUE_SIGMA:.4f}")

# %%
if not OPTIONS.no_plot:
    save_plot(x, y, mu, sigma)
