# %% [markdown]
# # Backpropagation
#
# Backpropagation: the chain rule through a network, one Jacobian per layer.
#
# First a one-hidden-layer network whose gradients we also work out by hand with the chain rule;
# then an MLP with two hidden layers trained on two moons, and a step-by-step look at its backward
# pass showing that a Linear layer sends back W^T times the gradient it receives.
#
# Run it as a script, `python examples/05_backpropagation.py [--no-plot] [--out DIR]`, or open
# it as the notebook `examples/notebooks/05_backpropagation.ipynb`. The lesson page,
# with the formulas, is `docs/lessons/05-backpropagation.md`.

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
from autograd_lite import Tensor, nn, optim
from autograd_lite.nn import functional as F


# %%
def chain_rule_by_hand() -> None:
    """The network y = sigmoid(u . tanh(W x + b) + c), loss = (y - t)^2, differentiated by
    autodiff and by the chain rule applied by hand."""
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal(3), 1.0
    params = {"W": rng.standard_normal((4, 3)), "b": rng.standard_normal(4),
              "u": rng.standard_normal(4), "c": rng.standard_normal(())}

    # Autodiff.
    W, b, u, c = (Tensor(params[k], requires_grad=True) for k in "Wbuc")
    y = ((W @ x + b).tanh() @ u + c).sigmoid()
    loss = (y - t) ** 2
    loss.backward()
    autodiff = {"W": W.grad, "b": b.grad, "u": u.grad, "c": c.grad}

    # The chain rule applied by hand, from the loss back to each parameter.
    h = np.tanh(params["W"] @ x + params["b"])
    yv = 1 / (1 + np.exp(-(h @ params["u"] + params["c"])))
    dloss_dy = 2 * (yv - t)
    dloss_dz = dloss_dy * yv * (1 - yv)          # z = u . h + c, sigmoid' = y (1 - y)
    dloss_dh = dloss_dz * params["u"]
    dloss_da = dloss_dh * (1 - h**2)             # a = W x + b, tanh' = 1 - tanh^2
    by_hand = {"W": np.outer(dloss_da, x), "b": dloss_da, "u": dloss_dz * h, "c": dloss_dz}

    print(f"loss = {loss.item():.6f}")
    for name in "Wbuc":
        gap = np.abs(autodiff[name] - by_hand[name]).max()
        print(f"  dloss/d{name}: shape {np.shape(by_hand[name])!s:7s} "
              f"max |autodiff - chain rule by hand| = {gap:.1e}")


# %%
def train_moons(epochs: int = 300) -> tuple[nn.MLP, np.ndarray, np.ndarray, float]:
    """An MLP 2 -> 16 -> 16 -> 1 trained with Adam on 200 points of two moons."""
    X, y = ag.datasets.make_moons(200, noise=0.1, seed=0)
    ag.manual_seed(0)
    model = nn.MLP(2, [16, 16, 1], activation="relu")
    opt = optim.Adam(model.parameters(), lr=0.03)
    inputs, targets = Tensor(X), y.astype(float)
    for epoch in range(epochs):
        loss = F.binary_cross_entropy_with_logits(model(inputs).reshape(-1), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch % 100 == 0 or epoch == epochs - 1:
            print(f"  epoch {epoch:3d}  loss {loss.item():.4f}")
    with ag.no_grad():
        accuracy = float(np.mean((model(inputs).numpy()[:, 0] > 0) == (y == 1)))
    return model, X, y, accuracy


# %%
def linear_layers_send_back_wt(model: nn.MLP, point: np.ndarray) -> None:
    """In each Linear layer z = W x + b, the gradient sent to x is W^T grad_out."""
    x = Tensor(point, requires_grad=True, label="x")
    logit = model(x).sum()
    weights = [layer.weight.numpy() for layer in reversed(model.layers)]  # backward order
    for step in ag.backward_steps(logit):
        if step.op != "linear":
            continue
        W = weights.pop(0)
        J = step.local_jacobian(0)  # d(x @ W.T + b) / dx, shape (out, in)
        sent = step.input_grads[0]
        print(f"  step {step.index:2d} linear: local Jacobian {J.shape} equals W: "
              f"{np.array_equal(J, W)};  gradient sent back equals W^T grad_out: "
              f"{np.allclose(sent, W.T @ step.grad_out, rtol=0, atol=1e-12)}")
    print(f"  d(logit)/dx at {point} = {x.grad}")


# %%
def save_plot(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    xs, ys = np.meshgrid(np.linspace(-1.5, 2.5, 200), np.linspace(-1.0, 1.5, 150))
    with ag.no_grad():
        logits = model(Tensor(np.column_stack([xs.ravel(), ys.ravel()]))).numpy()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.contourf(xs, ys, logits.reshape(xs.shape) > 0, levels=1, cmap="coolwarm", alpha=0.3)
    for label, colour in ((0, "tab:blue"), (1, "tab:red")):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], c=colour, s=14, edgecolors="k", linewidths=0.3,
                   label=f"class {label}")
    ax.set_title("Two moons: the trained MLP's decision regions")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="upper right")
    show(fig, "backpropagation.png")


# %%
print("== the chain rule by hand against autodiff ==")
chain_rule_by_hand()

# %%
print("== an MLP with two hidden layers on two moons (noise 0.1) ==")
model, X, y, accuracy = train_moons()
print(f"training accuracy {accuracy:.1%}")
print("\nwalking its backward pass for one point with backward_steps:")
linear_layers_send_back_wt(model, X[0])

# %%
if not OPTIONS.no_plot:
    save_plot(model, X, y)


# %% [markdown]
# ## When the backward pass is derived by hand
#
# A hand-derived backward pass with two common mistakes: the sigmoid's slope written as
# 2 s (1 - s) instead of s (1 - s), and a mean over the samples where the bias gradient needs
# a sum (the loss's 1/n is already in each sample's gradient). `gradcheck` compares each
# parameter's gradient with central differences and names the entry furthest off.

# %%
class HandDerived(ag.Function):
    """loss = mean((sigmoid(X W^T + b) v + c - y)^2), with a backward pass derived by hand
    (with two mistakes in it)."""

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        self.X, self.y = X, y

    def forward(self, W, b, v, c):
        self.h = 1 / (1 + np.exp(-(self.X @ W.T + b)))   # hidden units, (n, 8)
        self.v = v
        self.err = self.h @ v + c - self.y                 # prediction - target, (n,)
        return np.mean(self.err ** 2)

    def vjp(self, grad_out):
        d_pred = grad_out * 2 * self.err / len(self.y)      # dL/dprediction, (n,)
        d_h = np.outer(d_pred, self.v)                      # dL/dh, (n, 8)
        d_a = d_h * 2 * self.h * (1 - self.h)               # mistake: sigmoid' is h (1 - h)
        grad_b = d_a.mean(axis=0)                           # mistake: the bias needs a sum
        return d_a.T @ self.X, grad_b, self.h.T @ d_pred, d_pred.sum()


X_small, labels_small = ag.datasets.make_moons(100, noise=0.1, seed=0)
y_small = labels_small * 1.0
RNG = np.random.default_rng(0)
START = [RNG.normal(size=(8, 2)), np.zeros(8), RNG.normal(size=8), np.zeros(())]


def by_hand(W, b, v, c):
    return HandDerived.apply(W, b, v, c, X=X_small, y=y_small)


def with_autodiff(W, b, v, c):
    h = (Tensor(X_small) @ W.T + b).sigmoid()
    return ((h @ v + c - y_small) ** 2).mean()


# %%
print("== gradcheck on a hand-derived backward pass ==")
for k, name in enumerate("Wbvc"):
    try:
        ag.gradcheck(by_hand, *START, argnums=k)
        print(f"{name}: the gradient agrees with central differences")
    except ag.GradcheckError as error:
        print(f"{name}: wrong, worst at {error.argname}{list(error.index)}: analytic "
              f"{error.analytic:.4f}, numeric {error.numeric:.4f} "
              f"({error.mismatches} of {START[k].size} entries wrong)")
print("with autograd_lite's gradients, gradcheck passes for every parameter:",
      all(ag.gradcheck(with_autodiff, *START, argnums=k) for k in range(4)))


# %%
def train_small(loss, steps: int, lr: float = 0.5) -> tuple[float, float]:
    """Plain gradient descent from START with `loss`'s gradients; the true loss and the
    training accuracy reached."""
    params = [p.copy() for p in START]
    gradient = ag.grad(loss, argnums=(0, 1, 2, 3))
    for _ in range(steps):
        params = [p - lr * g for p, g in zip(params, gradient(*params))]
    W, b, v, c = params
    predicted = 1 / (1 + np.exp(-(X_small @ W.T + b))) @ v + c > 0.5
    return with_autodiff(*params).item(), float(np.mean(predicted == (labels_small == 1)))


print("== training with the wrong gradients raises no error, and learns less ==")
for steps in (0, 100, 1000):
    hand_loss, hand_acc = train_small(by_hand, steps)
    auto_loss, auto_acc = train_small(with_autodiff, steps)
    print(f"{steps:4d} steps: by hand loss {hand_loss:.4f}, accuracy {hand_acc:.0%};  "
          f"autodiff loss {auto_loss:.4f}, accuracy {auto_acc:.0%}")
