"""The benchmark suite: autograd_lite against hand-written floors and the installed peers.

    python benchmarks/run.py                         # every workload, 7 rounds
    python benchmarks/run.py -w T1,O1 --repeats 9    # some workloads
    python benchmarks/run.py --json results.json     # also write the rows as JSON
    python benchmarks/run.py --quick                 # tiny sizes, one round (harness check)

Workloads: T1, T2-float64, T2-float32, O1, S1, S2, M1 (see benchmarks/workloads.py and
benchmarks/memory.py). Every engine runs single-threaded on the same data and initial weights;
its first step must agree with the floor's before it is timed. Times are medians over
interleaved rounds; a ratio is the median over rounds of (engine / floor in the same round).
Peers (PyTorch 2.13.0, HIPS autograd, micrograd) are used when installed, skipped otherwise.
"""

from __future__ import annotations

import os

# One thread for every engine, set before NumPy or PyTorch is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import dataclasses
import json
import math
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from benchmarks import memory, peers, workloads
from benchmarks.harness import Row, format_rows, format_summary, measure

ALL = ("T1", "T2-float64", "T2-float32", "O1", "S1", "S2", "M1")
OURS = workloads.OURS

#: the speed targets, checked on autograd_lite's rows
TARGETS = {
    "T1": ("<= 1.5x floor", lambda row: row.ratio <= 1.5),
    "T2 float64": ("<= 1.05x floor", lambda row: row.ratio <= 1.05),
    "T2 float32": ("<= 1.1x floor", lambda row: row.ratio <= 1.1),
    "O1": ("<= 3 us/op", lambda row: row.median <= 3e-6),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_m1(steps: int, early: int, quick: bool) -> list[Row]:
    rows = []
    floor_peak = math.nan
    for kind in memory.ENGINES:
        row = Row("M1", memory.LABELS[kind], "floor" if kind == "floor" else
                  "ours" if kind == "ours" else "peer", "process")
        rows.append(row)
        loader = {"torch": peers.load_torch, "hips": peers.load_hips}.get(kind)
        missing = workloads.available(loader) if loader else ""
        if missing:
            row.status = "skipped: " + missing
            continue
        log(f"  M1: {kind}, {steps} steps in a fresh process")
        report = memory.run_child(kind, steps, early, quick)
        if "error" in report:
            if kind == "floor":
                raise RuntimeError(f"M1 floor failed: {report['error']}")
            row.status = "error: " + report["error"]
            continue
        if kind == "floor":
            floor_peak = report["peak_mb"]
        row.extra["memory"] = report
        row.median = report["peak_mb"]
        row.ratio = report["peak_mb"] / floor_peak if floor_peak > 0 else math.nan
        if not report.get("exact_peak"):
            row.note = "peak from getrusage (includes import)"
    return rows


def run_workloads(names: list[str], repeats: int, min_time: float, quick: bool,
                  depths: list[int], peer_max_depth: int, m1_steps: int, m1_early: int
                  ) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        log(f"{name} ...")
        if name == "T1":
            rows += measure("T1", workloads.mlp_engines("T1", quick), "step", repeats,
                            min_time, 1e-7, 1e-9, log)
        elif name.startswith("T2"):
            label = name.replace("-", " ")
            tol = (1e-4, 1e-5) if name.endswith("float32") else (1e-7, 1e-9)
            rows += measure(label, workloads.mlp_engines(name, quick), "step", repeats,
                            min_time, *tol, log)
        elif name == "O1":
            rows += measure("O1", workloads.o1_engines(quick), "op", repeats, min_time,
                            1e-9, 1e-12, log)
        elif name == "S1":
            rows += measure("S1", workloads.s1_engines(quick), "epoch", repeats, min_time,
                            1e-7, 1e-10, log)
        elif name == "S2":
            for links in depths:  # per op; each depth is its own group with its own floor
                rows += measure(f"S2 {links:,} deep", workloads.s2_engines(links, peer_max_depth),
                                "op", repeats, min_time, 1e-9, 1e-12, log)
        elif name == "M1":
            rows += run_m1(m1_steps, m1_early, quick)
        else:
            raise SystemExit(f"unknown workload {name!r}; choose from {', '.join(ALL)}")
    apply_targets(rows)
    return rows


def apply_targets(rows: list[Row]) -> None:
    """Mark autograd_lite's rows with the speed targets, met or not."""
    ours = [row for row in rows if row.engine == OURS and row.status == "ok"]
    for row in ours:
        if row.workload in TARGETS:
            text, check = TARGETS[row.workload]
            row.target, row.met = text, bool(check(row))
        elif row.workload == "S1":
            micro = [r for r in rows if r.workload == "S1" and r.engine == "micrograd"
                     and r.status == "ok"]
            row.target = ">= 10x faster than micrograd"
            if micro:
                speedup = micro[0].median / row.median
                row.extra["speedup_vs_micrograd"] = speedup
                row.target += f" ({speedup:.1f}x)"
                row.met = speedup >= 10
        elif row.workload.startswith("S2"):
            row.target, row.met = "<= 2 us/op", bool(row.median <= 2e-6)
        elif row.workload == "M1":
            mem = row.extra["memory"]
            row.target = "peak <= 1.3x floor, no growth"
            row.met = bool(row.ratio <= 1.3 and mem["growth_mb"] <= 1.0)
    chain = [row for row in ours if row.workload.startswith("S2")]
    if len(chain) > 1:
        slope = chain[-1].median / chain[0].median
        chain[-1].extra["linearity"] = slope
        chain[-1].target += f"; linear (per op {slope:.2f}x the shallowest)"
        chain[-1].met = bool(chain[-1].met and slope <= 1.5)


def machine() -> dict:
    import numpy as np

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"python": platform.python_version(), "numpy": np.__version__,
            "peers": peers.peer_versions(), "cpu": cpu, "cores": os.cpu_count(),
            "platform": platform.platform()}


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workloads", default=",".join(ALL),
                        help=f"comma-separated, from {','.join(ALL)} (default: all)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved rounds (>= 7)")
    parser.add_argument("--min-time", type=float, default=0.05,
                        help="seconds per sample (short runs are looped)")
    parser.add_argument("--depths", default=",".join(str(d) for d in workloads.S2_DEPTHS),
                        help="S2 depths in links (3 ops each)")
    parser.add_argument("--peer-max-depth", type=int, default=10_000,
                        help="deepest S2 chain the peers run (they are slow)")
    parser.add_argument("--m1-steps", type=int, default=2000)
    parser.add_argument("--m1-early", type=int, default=200)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, one round: checks the harness, times nothing useful")
    parser.add_argument("--json", help="write the rows and the machine description here")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.workloads.split(",") if n.strip()]
    depths = [int(d) for d in args.depths.split(",")]
    if args.quick:
        args.repeats, args.min_time = 1, 0.0
        depths = list(workloads.S2_QUICK_DEPTHS)
        args.m1_steps, args.m1_early = 4, 2
    load_before = os.getloadavg()
    started = time.time()
    rows = run_workloads(names, args.repeats, args.min_time, args.quick, depths,
                         args.peer_max_depth, args.m1_steps, args.m1_early)
    load_after = os.getloadavg()
    info = machine()
    info.update(load_before=load_before, load_after=load_after,
                seconds=round(time.time() - started, 1), repeats=args.repeats,
                command=" ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])]))
    print(f"\n{info['cpu']}, {info['cores']} cores; Python {info['python']}, NumPy "
          f"{info['numpy']}; peers {info['peers'] or 'none'}")
    print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"{args.repeats} rounds; {info['seconds']} s\n")
    print(format_rows(rows))
    print("\nSummary (ratios to the floor, medians in parentheses):\n")
    print(format_summary(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rows": [dataclasses.asdict(r) for r in rows]}, f,
                      indent=1, default=str)
    return rows


if __name__ == "__main__":
    main()
