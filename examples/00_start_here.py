# %% [markdown]
# # Start here: autograd_lite in one notebook
#
# autograd_lite records every operation you make with its numbers, and `backward()` walks that
# record backwards, applying the chain rule one small rule per operation. This notebook shows
# it on a tiny expression of scalars (a `Value`), as a drawing before and after backward, as a
# list of steps and in the backprop explorer, and then trains a small network of `Tensor`s on
# the two-moons data set.
#
# Run it top to bottom. The lessons (`examples/notebooks/01_derivatives.ipynb` to
# `11_nonlinear_fit.ipynb`) take one topic each. As a script,
# `python examples/00_start_here.py [--no-plot] [--out DIR]` prints the same and saves the
# drawings, the explorer's page and the figure in DIR.

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
import shutil

import numpy as np

import autograd_lite as ag
from autograd_lite import Tensor, Value, backward_steps, draw_graph, nn, optim
from autograd_lite.nn import functional as F


def show_graph(drawing, name):
    """In a notebook the drawing shows under its cell; a script saves it as an SVG file
    (with the Graphviz `dot` program) or says how to get `dot`."""
    if NOTEBOOK:
        from IPython.display import display

        display(drawing)
        return
    if OPTIONS.no_plot:
        return
    if shutil.which("dot") is None:
        print(f"(no {name}: the Graphviz dot program is not installed; see the README)")
        return
    OPTIONS.out.mkdir(parents=True, exist_ok=True)
    (OPTIONS.out / name).write_bytes(drawing.pipe(format="svg"))
    print(f"saved {OPTIONS.out / name}")


# %% [markdown]
# ## A Value remembers how it was computed
#
# `d = a * b + a ** 2` with `a = 2` and `b = -3`. Each result keeps its inputs and the
# operation that made it.

# %%
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b
c.label = "c"
d = c + a ** 2
d.label = "d"
print(d, "made by", d.op, "from", [p.label or p.op for p in d.parents])

# %% [markdown]
# ## The drawing, before backward
#
# Boxes are values, ovals are operations. No gradient has been computed yet (`grad —`).

# %%
show_graph(draw_graph(d), "start_here_before.svg")

# %% [markdown]
# ## After backward
#
# `d.backward()` fills every `.grad` with the derivative of `d`:
# d(d)/da = b + 2a = 1 and d(d)/db = a = 2. `a` is used twice, so its gradient is the sum of
# what both uses send back.

# %%
d.backward()
print("a.grad =", a.grad, " b.grad =", b.grad)
show_graph(draw_graph(d), "start_here_after.svg")

# %% [markdown]
# ## The same backward pass, one step at a time
#
# `backward_steps` runs backward one operation at a time. Each step shows what the operation
# computed (nodes by name and id), its value, the gradient arriving from above (`grad_out`)
# and what each input gets.

# %%
a.grad = b.grad = 0.0  # stepping adds into .grad, as backward() does
for step in backward_steps(d):
    print(step)
print("a.grad =", a.grad, " b.grad =", b.grad)

# %% [markdown]
# ## The same steps in the explorer
#
# `ag.explore(d)` records those steps and lays the graph out as a page you can step through:
# press **Next ▶** (or click inside it and use the arrow keys) to walk backward one operation
# at a time and see the gradient arriving at each node, the operation's rule and what each
# input gets. It leaves every `.grad` as it was. In a notebook the page shows under the cell;
# as a script it is saved as `start_here_backprop.html` to open in a browser
# (`page.save("backprop.html")` writes it wherever you like).

# %%
page = ag.explore(d)
print(page.steps, "steps over", page.nodes, "nodes")
if NOTEBOOK:
    from IPython.display import display

    display(page)
elif not OPTIONS.no_plot:
    OPTIONS.out.mkdir(parents=True, exist_ok=True)
    print(f"saved {page.save(OPTIONS.out / 'start_here_backprop.html')}")

# %% [markdown]
# ## A network of Tensors on two moons
#
# The same engine on arrays: a small multilayer perceptron (2 inputs, two hidden layers of
# 16 relu units, 1 output) trained with Adam on 200 points of two interleaved half circles.

# %%
X, y = ag.datasets.make_moons(200, noise=0.1, seed=0)
ag.manual_seed(0)
model = nn.MLP(2, [16, 16, 1], activation="relu")
opt = optim.Adam(model.parameters(), lr=0.03)
losses = []
for _ in range(200):
    loss = F.binary_cross_entropy_with_logits(model(Tensor(X)).reshape(-1), y * 1.0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
with ag.no_grad():
    accuracy = np.mean((model(Tensor(X)).numpy()[:, 0] > 0) == (y == 1))
print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}, training accuracy {accuracy:.1%}")

# %%
if not OPTIONS.no_plot and (plt := pyplot()) is not None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(losses)
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("training loss (log scale)")
    left.set_title("Loss during training")
    gx, gy = np.meshgrid(np.linspace(-1.5, 2.5, 200), np.linspace(-1.0, 1.5, 150))
    with ag.no_grad():
        logits = model(Tensor(np.column_stack([gx.ravel(), gy.ravel()]))).numpy()
    right.contourf(gx, gy, logits.reshape(gx.shape) > 0, levels=1, cmap="coolwarm", alpha=0.3)
    for label, colour in ((0, "tab:blue"), (1, "tab:red")):
        right.scatter(*X[y == label].T, c=colour, s=12, edgecolors="k", linewidths=0.3,
                      label=f"class {label}")
    right.set_xlabel("x1")
    right.set_ylabel("x2")
    right.set_title(f"Decision regions (training accuracy {accuracy:.0%})")
    right.legend(loc="upper right")
    fig.tight_layout()
    show(fig, "start_here.png")

# %% [markdown]
# ## One point through the trained network, step by step
#
# `module=model` names the parameters by their place in the model (`layers.0.weight`).
# Each `linear` step sends back the layer's weights, transposed, times what it receives.

# %%
point = Tensor(X[:1], label="x")
for step in backward_steps(model(point).sum(), module=model):
    print(step)
