# %% [markdown]
# # Taylor series
#
# Taylor series and linearisation from `grad` and `hessian`.
#
# Near a point p, f(p + h d) is approximately f(p) + h g.d (first order: the gradient g) and
# f(p) + h g.d + h^2 d.H d / 2 (second order: the Hessian H). Halving h divides the first
# error by about 4 (it is O(h^2)) and the second by about 8 (O(h^3)).
#
# Run it as a script, `python examples/10_taylor.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/10_taylor.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/10-taylor.md`.

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

POINT = np.array([0.5, 1.0])
DIRECTION = np.array([1.0, -2.0]) / np.sqrt(5.0)
STEPS = 0.4 / 2.0 ** np.arange(6)  # h = 0.4, 0.2, ..., 0.0125


# %%
def f(v):
    """f(x, y) = e^x sin y + x^2 y."""
    x, y = v[0], v[1]
    return ag.exp(x) * ag.sin(y) + x**2 * y


# %%
def taylor_errors(steps: np.ndarray = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """|f(p + h d) - first-order| and |f(p + h d) - second-order| for each h."""
    value, g = ag.value_and_grad(f)(POINT)
    H = ag.hessian(f)(POINT)
    first, second = [], []
    for h in steps:
        exact = f(ag.Tensor(POINT + h * DIRECTION)).item()
        linear = value + h * g @ DIRECTION
        quadratic = linear + 0.5 * h**2 * DIRECTION @ H @ DIRECTION
        first.append(abs(exact - linear))
        second.append(abs(exact - quadratic))
    return np.array(first), np.array(second)


# %%
def order(steps: np.ndarray, errors: np.ndarray) -> float:
    """The slope of log(error) against log(h): the power p in error ~ C h^p."""
    return float(np.polyfit(np.log(steps), np.log(errors), 1)[0])


# %%
def save_plot(first: np.ndarray, second: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    from matplotlib.ticker import NullFormatter

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.loglog(STEPS, first, "o-", label="first order (gradient)")
    ax.loglog(STEPS, second, "s-", label="second order (+ Hessian)")
    ax.loglog(STEPS, first[0] * (STEPS / STEPS[0]) ** 2, "k:", label="slope 2")
    ax.loglog(STEPS, second[0] * (STEPS / STEPS[0]) ** 3, "k--", label="slope 3")
    # One labelled tick per step size, and no minor labels: log axes otherwise print
    # overlapping "2 x 10^-2"-style labels between the decades.
    ax.set_xticks(STEPS)
    ax.set_xticklabels([f"{h:g}" for h in STEPS])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("step h along the direction d")
    ax.set_ylabel("|f(p + h d) - approximation|")
    ax.set_title("Taylor approximations of f at p: error against h")
    ax.legend(loc="lower right")
    show(fig, "taylor.png")


# %%
np.set_printoptions(precision=6, suppress=True)

value, g = ag.value_and_grad(f)(POINT)
print(f"f(x, y) = e^x sin y + x^2 y at p = {POINT}: f = {value:.6f}")
print(f"gradient by autodiff: {g}")
print(f"Hessian by autodiff:\n{ag.hessian(f)(POINT)}")
first, second = taylor_errors()
print("\n       h   first-order error   ratio   second-order error   ratio")
for i, h in enumerate(STEPS):
    r1 = f"{first[i - 1] / first[i]:5.2f}" if i else ""
    r2 = f"{second[i - 1] / second[i]:5.2f}" if i else ""
    print(f"  {h:6.4f}   {first[i]:.3e}          {r1:5s}   {second[i]:.3e}            {r2}"
          .rstrip())
print(f"fitted orders: first-order error ~ h^{order(STEPS, first):.2f}, "
      f"second-order error ~ h^{order(STEPS, second):.2f}")

# %%
if not OPTIONS.no_plot:
    save_plot(first, second)
