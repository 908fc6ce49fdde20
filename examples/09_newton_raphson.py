"""Newton-Raphson: follow the tangent line to where it crosses zero (LESSONS L11).

    python examples/09_newton_raphson.py [--no-plot] [--out DIR]

To solve f(x) = 0, replace f near x by its tangent f(x) + f'(x) d and jump to the tangent's
zero, x <- x - f(x) / f'(x). With f'(x) from autodiff, x^3 - 2x - 5 = 0 is solved to the last
digit in a handful of steps from x = 2: the number of correct digits roughly doubles each step.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _plotting import pyplot

import autograd_lite as ag

ROOT = 2.0945514815423265  # the real root of x^3 - 2x - 5


def f(x):
    return x**3 - 2 * x - 5


def newton(fn, x: float, tol: float = 1e-15, max_steps: int = 50) -> list[float]:
    """The Newton iterates from x, stopping when a step changes x by less than tol * |x|."""
    value_and_slope = ag.value_and_grad(fn)
    iterates = [x]
    for _ in range(max_steps):
        value, slope = value_and_slope(x)
        step = value / slope
        x -= step
        iterates.append(x)
        if abs(step) <= tol * abs(x):
            return iterates
    raise RuntimeError(f"Newton-Raphson did not converge in {max_steps} steps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plot", action="store_true", help="do not save the figure")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the figure")
    args = parser.parse_args()

    iterates = newton(f, 2.0)
    print("Newton-Raphson on x^3 - 2x - 5 = 0 from x = 2, f'(x) by autodiff:")
    for n, x in enumerate(iterates):
        print(f"  step {n}: x = {x!r:20s} error {abs(x - ROOT):.1e}")
    print(f"root {iterates[-1]!r} after {len(iterates) - 1} steps, f(root) = {f(iterates[-1]):.1e}")
    if not args.no_plot:
        save_plot(args.out, iterates)


def save_plot(out: Path, iterates: list[float]) -> None:
    plt = pyplot()
    if plt is None:
        return
    grid = np.linspace(1.9, 2.25, 200)
    slope = ag.grad(f)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(grid, f(grid), label="f(x) = x^3 - 2x - 5")
    ax.axhline(0, color="0.6", lw=0.8)
    x = iterates[0]
    ax.plot([x, x - f(x) / slope(x)], [f(x), 0], "k--", label="tangent at x = 2")
    ax.plot(iterates[:3], [f(x) for x in iterates[:3]], "ko", ms=4)
    ax.set_xlabel("x")
    ax.legend()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "newton_raphson.png", dpi=80, bbox_inches="tight")
    print(f"saved {out / 'newton_raphson.png'}")


if __name__ == "__main__":
    main()
