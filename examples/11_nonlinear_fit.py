"""Fitting a non-linear model by steepest descent: a Gaussian's centre and width (LESSONS L14).

    python examples/11_nonlinear_fit.py [--no-plot] [--out DIR]

The model exp(-(x - mu)^2 / (2 sigma^2)) is not linear in its parameters, so there is no
closed form for the best fit; instead we walk the sum of squared errors downhill, moving
(mu, sigma) against the gradient that autodiff computes, until the steps become negligible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag

TRUE_MU, TRUE_SIGMA = 1.5, 0.8


def make_data(noise: float = 0.02, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """201 noisy samples of the Gaussian with the true centre and width on [-4, 6]."""
    x = np.linspace(-4.0, 6.0, 201)
    y = np.exp(-((x - TRUE_MU) ** 2) / (2 * TRUE_SIGMA**2))
    return x, y + np.random.default_rng(seed).normal(0.0, noise, x.size)


def gaussian(x, mu, sigma):
    return ag.exp(-((x - mu) ** 2) / (2 * sigma**2))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    x, y = make_data()
    (mu, sigma), path = fit(x, y)
    print("steepest descent on the squared error of exp(-(x - mu)^2 / (2 sigma^2)):")
    for n in (0, 1, 2, 5, 10, len(path) - 1):
        print(f"  step {n:2d}: mu = {path[n][0]:.6f}, sigma = {path[n][1]:.6f}, "
              f"squared error {path[n][2]:.6f}")
    print(f"fitted  mu = {mu:.4f}, sigma = {sigma:.4f}")
    print(f"true    mu = {TRUE_MU:.4f}, sigma = {TRUE_SIGMA:.4f}")
    if not args.no_plot:
        save_plot(args.out, x, y, mu, sigma)


def save_plot(out: Path, x: np.ndarray, y: np.ndarray, mu: float, sigma: float) -> None:
    plt = pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, y, ".", ms=3, color="0.5", label="data")
    ax.plot(x, gaussian(x, 0.5, 2.0).numpy(), "C1:", label="start: mu = 0.5, sigma = 2")
    ax.plot(x, gaussian(x, mu, sigma).numpy(), "C0",
            label=f"fit: mu = {mu:.3f}, sigma = {sigma:.3f}")
    ax.set_xlabel("x")
    ax.legend()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "nonlinear_fit.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'nonlinear_fit.png'}")


if __name__ == "__main__":
    main()
