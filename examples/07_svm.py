"""The support vector machine as constrained optimisation (LESSONS L7).

    python examples/07_svm.py [--no-plot] [--out DIR]

Minimise a^2 + b^2 subject to y_i (a x_i + b y_i + c) >= 1 for every point, with the augmented
Lagrangian method: minimise a^2 + b^2 plus a penalty that grows with each violated constraint,
by gradient descent on autodiff gradients, then move the multipliers and repeat. No SciPy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag

THREE = (np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0]]), np.array([-1.0, 1.0, 1.0]))
SIX = (np.array([[-1.0, -1.0], [-3.0, -1.0], [0.0, 0.0], [3.0, 3.0], [1.0, 2.0], [2.0, 1.0]]),
       np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0]))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    print("three points: (0, 0) in class -1; (1, 2), (2, 1) in class +1")
    report(*THREE)
    print("six points: (-1, -1), (-3, -1), (0, 0) in class -1; (3, 3), (1, 2), (2, 1) in class +1")
    w, lam = report(*SIX)
    print("the same line: the new points lie beyond the margin (multiplier 0),\n"
          "so the support vectors, and with them the solution, do not change")
    if not args.no_plot:
        save_plot(args.out, w, lam)


def save_plot(out: Path, w: np.ndarray, lam: np.ndarray) -> None:
    plt = pyplot()
    if plt is None:
        return
    points, labels = SIX
    a, b, c = w
    xs = np.linspace(-3.5, 3.5, 2)
    fig, ax = plt.subplots(figsize=(5, 5))
    for level, style in [(0, "k-"), (1, "k:"), (-1, "k:")]:
        ax.plot(xs, (level - c - a * xs) / b, style)
    ax.scatter(*points.T, c=labels, cmap="coolwarm", s=60, edgecolors="k")
    support = lam > 1e-6
    ax.scatter(*points[support].T, s=250, facecolors="none", edgecolors="k",
               label="support vectors")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-3.5, 3.5)
    ax.set_aspect("equal")
    ax.set_title(f"{a:.2f}x + {b:.2f}y {'-' if c < 0 else '+'} {abs(c):.2f} = 0 and its margins")
    ax.legend(loc="lower right")
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "svm.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'svm.png'}")


if __name__ == "__main__":
    main()
