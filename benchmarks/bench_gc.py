"""The S2 chain with Python's cyclic garbage collector on and off: how much of each op's cost
is the collector rescanning the graph the user's forward loop keeps alive.

    python benchmarks/bench_gc.py                     # 1,000 to 1,000,000 links
    python benchmarks/bench_gc.py --depths 1000,10000

Prints, per depth, the forward and backward time per op (three ops a link:
`y = tanh(0.999 y + 0.001)`) with the collector running, as in any program, and with it
disabled for the whole run. Best of `--repeats` runs (one for a million links).
"""

from __future__ import annotations

import argparse
import gc
import time

from autograd_lite import Value


def chain(links: int, collect: bool) -> tuple[float, float]:
    """Forward and backward microseconds per op of one chain of `links` links."""
    x = Value(0.5)
    enabled = gc.isenabled()
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        y = x
        for _ in range(links):
            y = (y * 0.999 + 0.001).tanh()
        built = time.perf_counter()
        y.backward()
        done = time.perf_counter()
    finally:
        if enabled:
            gc.enable()
    ops = 3 * links
    return (built - start) / ops * 1e6, (done - built) / ops * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", default="1000,10000,100000,1000000",
                        help="comma-separated chain lengths in links")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("| links | collector | forward us/op | backward us/op | total us/op |")
    print("|---|---|---|---|---|")
    for links in (int(d) for d in args.depths.split(",")):
        for collect in (True, False):
            repeats = 1 if links >= 1_000_000 else args.repeats
            forward, backward = min((chain(links, collect) for _ in range(repeats)), key=sum)
            print(f"| {links:,} | {'on' if collect else 'off'} | {forward:.2f} | "
                  f"{backward:.2f} | {forward + backward:.2f} |")


if __name__ == "__main__":
    main()
