"""Integration as a running sum, the reverse of differentiation (LESSONS L2).

    python examples/02_integration.py [--no-plot] [--out DIR]

Autodiff turns the antiderivative x^3 - 2x^2 back into 3x^2 - 4x; adding up thin strips
f(x) dx of 3x^2 - 4x rebuilds x^3 - 2x^2, up to a constant and an error that shrinks with dx.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag


def f(x):
    return 3 * x**2 - 4 * x


def antiderivative(x):
    return x**3 - 2 * x**2


def running_sum(dx: float) -> tuple[np.ndarray, np.ndarray]:
    """The grid from -10 to 10 in steps dx, and the running sum of f(x) dx along it."""
    x = np.arange(-10.0, 10.0, dx)
    return x, np.cumsum(f(x) * dx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    grid = np.linspace(-10.0, 10.0, 201)
    # antiderivative acts elementwise, so the gradient of its sum is its derivative pointwise.
    derivative = ag.grad(lambda x: antiderivative(x).sum())(grid)
    print("d/dx (x^3 - 2x^2) by autodiff against 3x^2 - 4x on 201 points in [-10, 10]:")
    print(f"  max |difference| = {np.abs(derivative - f(grid)).max():.1e}")

    print("\nrunning sum of (3x^2 - 4x) dx from x = -10, against x^3 - 2x^2:")
    print("    dx     constant   spread of (sum - antiderivative)   spread / dx")
    for dx in (0.1, 0.01, 0.001):
        x, area = running_sum(dx)
        gap = area - antiderivative(x)
        spread = gap.max() - gap.min()
        print(f"  {dx:6.3f}  {gap.mean():9.2f}   {spread:12.4f}                      "
              f"{spread / dx:8.2f}")
    print("the gap is a constant (about -F(-10) = 1200) plus an error proportional to dx")

    if not args.no_plot:
        save_plot(args.out)


def save_plot(out: Path) -> None:
    plt = pyplot()
    if plt is None:
        return
    x, area = running_sum(0.1)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, area, lw=4, alpha=0.5, label="running sum of (3x^2 - 4x) dx, dx = 0.1")
    ax.plot(x, antiderivative(x) - antiderivative(-10.0), "k--",
            label="x^3 - 2x^2 - (value at -10)")
    ax.set_xlabel("x")
    ax.legend()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "integration.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'integration.png'}")


if __name__ == "__main__":
    main()
