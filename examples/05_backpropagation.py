"""Backpropagation: the chain rule through a network, one Jacobian per layer (LESSONS L5, L13).

    python examples/05_backpropagation.py [--no-plot] [--out DIR]

First a one-hidden-layer network whose gradients we also work out by hand with the chain rule;
then an MLP with two hidden layers trained on two moons, and a step-by-step look at its backward
pass showing that a Linear layer sends back W^T times the gradient it receives.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag
from autograd_lite import Tensor, nn, optim
from autograd_lite.nn import functional as F


def chain_rule_by_hand() -> None:
    """L13: y = sigmoid(u . tanh(W x + b) + c), loss = (y - t)^2, differentiated two ways."""
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


def train_moons(epochs: int = 300) -> tuple[nn.MLP, np.ndarray, np.ndarray, float]:
    """L5: an MLP 2 -> 16 -> 16 -> 1 trained with Adam on 200 points of two moons."""
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


def linear_layers_send_back_wt(model: nn.MLP, point: np.ndarray) -> None:
    """L5: in each Linear layer z = W x + b, the gradient sent to x is W^T grad_out."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    print("== L13: the chain rule by hand against autodiff ==")
    chain_rule_by_hand()
    print("\n== L5: an MLP with two hidden layers on two moons (noise 0.1) ==")
    model, X, y, accuracy = train_moons()
    print(f"training accuracy {accuracy:.1%}")
    print("\nwalking its backward pass for one point with backward_steps:")
    linear_layers_send_back_wt(model, X[0])
    if not args.no_plot:
        save_plot(args.out, model, X, y)


def save_plot(out: Path, model: nn.MLP, X: np.ndarray, y: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    xs, ys = np.meshgrid(np.linspace(-1.5, 2.5, 200), np.linspace(-1.0, 1.5, 150))
    with ag.no_grad():
        logits = model(Tensor(np.column_stack([xs.ravel(), ys.ravel()]))).numpy()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.contourf(xs, ys, logits.reshape(xs.shape) > 0, levels=1, cmap="coolwarm", alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
    ax.set_title("two moons: the trained MLP's decision regions")
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "backpropagation.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'backpropagation.png'}")


if __name__ == "__main__":
    main()
