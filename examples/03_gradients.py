"""The gradient of a function of several variables (LESSONS L3).

    python examples/03_gradients.py [--no-plot] [--out DIR]

The gradient collects the partial derivatives. Scanning every direction shows that it points
where the function climbs fastest, and that its length is that fastest rate of climb.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag


def f(x, y):
    return x**2 + y**3


def bowl(x, y):
    return x**2 + y**2


def steepest_direction(fn, point: tuple[float, float]) -> tuple[float, float]:
    """Scan directions every 0.1 degree; return the angle and the rate of the steepest one.

    The rate of change along a unit direction u is a forward-mode derivative (`jvp`), computed
    by autodiff, not from the gradient.
    """
    angles = np.arange(0.0, 360.0, 0.1)
    rates = []
    for angle in np.radians(angles):
        _, rate = ag.jvp(fn, point, (np.cos(angle), np.sin(angle)))
        rates.append(rate)
    best = int(np.argmax(rates))
    return float(angles[best]), float(rates[best])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    both = (0, 1)  # differentiate with respect to x and y
    for name, fn, point in [("x^2 + y^3", f, (2.0, 3.0)), ("x^2 + y^2", bowl, (1.0, 1.0))]:
        gx, gy = ag.grad(fn, argnums=both)(*point)
        angle, rate = steepest_direction(fn, point)
        print(f"f(x, y) = {name} at {point}:")
        print(f"  gradient by autodiff         ({gx:g}, {gy:g})")
        print(f"  gradient direction           {np.degrees(np.arctan2(gy, gx)):8.3f} degrees, "
              f"norm {np.hypot(gx, gy):.6f}")
        print(f"  steepest of 3600 directions  {angle:8.3f} degrees, "
              f"rate {rate:.6f}")
    print("at (1, 1) the steepest rate is 2*sqrt(2) =", 2 * np.sqrt(2))

    if not args.no_plot:
        save_plot(args.out)


def save_plot(out: Path) -> None:
    plt = pyplot()
    if plt is None:
        return
    xs, ys = np.meshgrid(np.linspace(-2, 2, 15), np.linspace(-2, 2, 15))
    # f acts elementwise, so the gradient of sum(f) holds the gradient at every grid point.
    gx, gy = ag.grad(lambda x, y: f(x, y).sum(), argnums=(0, 1))(xs, ys)
    fine_x, fine_y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-2, 2, 200))
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(fine_x, fine_y, f(fine_x, fine_y), levels=30, cmap="viridis")
    ax.quiver(xs, ys, gx, gy, color="white")
    ax.set_title("f(x, y) = x^2 + y^3 and its gradient field")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "gradients.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'gradients.png'}")


if __name__ == "__main__":
    main()
