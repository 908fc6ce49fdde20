"""What every workload shares: engines, interleaved timing, the agreement check, the table.

A workload is a list of `Engine`s: the hand-written floor first, then autograd_lite, then the
peers that are installed. Each engine wraps a `Runner` with two methods:

- `first()`: run one step on the initial weights and return what it computed (the loss and
  the gradients, as a dict of floats / arrays), so every engine can be checked against the
  floor before anything is timed;
- `run()`: one timed unit of work (a training step, an epoch, a chain forward and backward).

`measure` warms every engine up, then takes `repeats` rounds; in each round every engine runs
once (in a rotating order), so a change in the machine's load hits all of them alike. A ratio
is the median over rounds of (engine time / floor time in the same round).
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Runner(Protocol):
    def first(self) -> dict[str, Any]: ...

    def run(self) -> None: ...


@dataclass
class Engine:
    """One contender in a workload.

    `role` is "floor", "ours" or "peer". `make` builds a fresh Runner (called once for the
    agreement check and once for timing, so the check always sees the initial weights).
    `units` is how many operations or steps one `run()` does (per-unit times divide by it).
    `compare` says whether `first()` is checked against the floor's (False when the engine
    runs a variant of the workload, which `note` then explains).
    """

    name: str
    role: str
    make: Callable[[], Runner]
    units: int = 1
    note: str = ""
    compare: bool = True
    reference: Callable[[], dict[str, Any]] | None = None


@dataclass
class Row:
    """One line of the results table (times are per unit, in seconds)."""

    workload: str
    engine: str
    role: str
    unit: str
    status: str = "ok"
    median: float = math.nan
    low: float = math.nan
    high: float = math.nan
    ratio: float = math.nan
    ratio_low: float = math.nan
    ratio_high: float = math.nan
    samples: int = 0
    note: str = ""
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def flatten(values: dict[str, Any]) -> dict[str, Any]:
    """A check dict with lists expanded to `name[i]` entries."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                flat[f"{key}[{i}]"] = item
        else:
            flat[key] = value
    return flat


def disagreement(got: dict[str, Any], want: dict[str, Any], rtol: float, atol: float) -> str:
    """"" when `got` matches `want` (same keys, close values), else what differs."""
    import numpy as np

    got, want = flatten(got), flatten(want)
    if set(got) != set(want):
        return f"keys differ: {sorted(set(got) ^ set(want))}"
    for key in want:
        a = np.asarray(got[key], dtype=np.float64)
        b = np.asarray(want[key], dtype=np.float64)
        if a.shape != b.shape:
            return f"{key}: shape {a.shape} != {b.shape}"
        if not np.allclose(a, b, rtol=rtol, atol=atol):
            err = float(np.max(np.abs(a - b)))
            return f"{key}: max abs difference {err:.3g}"
    return ""


def time_once(run: Callable[[], None], loops: int) -> float:
    gc.collect()  # every sample starts from the same heap, whoever ran before
    start = time.perf_counter()
    for _ in range(loops):
        run()
    return time.perf_counter() - start


def calibrate(run: Callable[[], None], min_time: float) -> int:
    """How many `run()` calls make a sample of at least `min_time` seconds."""
    loops = 1
    while True:
        elapsed = time_once(run, loops)
        if elapsed >= min_time or loops >= 1 << 20:
            return loops
        loops *= 2 if elapsed <= 0 else max(2, min(10, math.ceil(min_time / elapsed)))


def measure(
    workload: str,
    engines: list[Engine],
    unit: str,
    repeats: int,
    min_time: float,
    rtol: float,
    atol: float,
    log: Callable[[str], None] = lambda s: None,
) -> list[Row]:
    """Check every engine against the floor (`engines[0]`), then time them interleaved."""
    floor = engines[0]
    assert floor.role == "floor"
    rows: list[Row] = []
    live: list[tuple[Engine, Row, Any]] = []
    want = floor.make().first()
    for engine in engines:
        row = Row(workload, engine.name, engine.role, unit, note=engine.note)
        rows.append(row)
        if engine.note.startswith("skipped"):
            row.status, row.note = engine.note, ""
            continue
        try:
            got = engine.make().first()
            if engine is not floor:
                reference = engine.reference() if engine.reference else want
                if engine.compare or engine.reference:
                    problem = disagreement(got, reference, rtol, atol)
                    if problem:
                        row.status = f"disagrees with the floor: {problem}"
                        continue
            runner = engine.make()
            runner.run()  # warm-up
        except RecursionError:
            row.status = "RecursionError"
            continue
        except Exception as error:  # a peer's failure is a result, not a crash of the suite
            if engine.role == "floor":
                raise
            row.status = f"error: {type(error).__name__}: {error}"[:160]
            continue
        live.append((engine, row, runner))
    if not live or live[0][0] is not floor:
        return rows
    # Every engine was imported into this one process, PyTorch alone with some 150,000
    # objects the cyclic collector would rescan on each full collection of whichever engine
    # runs. Freeze what exists now (imports, models, data) so each engine's collections see
    # only what it makes itself, as in a process that imported that engine alone. Objects
    # made while timing are collected as usual.
    gc.collect()
    gc.freeze()
    try:
        timed = time_rounds(workload, live, floor, repeats, min_time, log)
    finally:
        gc.unfreeze()
    for engine, row, _ in live:
        t, q = timed[id(engine)]
        row.median, row.low, row.high = statistics.median(t), min(t), max(t)
        row.ratio, row.ratio_low, row.ratio_high = statistics.median(q), min(q), max(q)
        row.samples = len(t)
    return rows


def time_rounds(workload: str, live: list, floor: Engine, repeats: int, min_time: float,
                log: Callable[[str], None]) -> dict[int, tuple[list[float], list[float]]]:
    """Per engine: the per-unit time of each round, and its ratio to the floor's."""
    loops = {id(engine): calibrate(runner.run, min_time) for engine, _, runner in live}
    times: dict[int, list[float]] = {id(engine): [] for engine, _, _ in live}
    ratios: dict[int, list[float]] = {id(engine): [] for engine, _, _ in live}
    for r in range(repeats):
        shift = r % len(live)
        order = live[shift:] + live[:shift]
        this_round: dict[int, float] = {}
        for engine, _, runner in order:
            n = loops[id(engine)]
            per_unit = time_once(runner.run, n) / (n * engine.units)
            this_round[id(engine)] = per_unit
            times[id(engine)].append(per_unit)
        for engine, _, _ in live:
            ratios[id(engine)].append(this_round[id(engine)] / this_round[id(floor)])
        log(f"  {workload}: round {r + 1}/{repeats}")
    return {key: (times[key], ratios[key]) for key in times}


def format_time(seconds: float) -> str:
    if math.isnan(seconds):
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def format_rows(rows: list[Row]) -> str:
    """The results as one Markdown table."""
    lines = [
        "| workload | engine | median | min .. max | vs floor (min .. max) | target | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.status != "ok":
            lines.append(f"| {row.workload} | {row.engine} | {row.status} | | | "
                         f"{row.target} | {row.note} |")
            continue
        if "memory" in row.extra:
            mem = row.extra["memory"]
            lines.append(
                f"| {row.workload} | {row.engine} | peak {mem['peak_mb']:.1f} MB | growth "
                f"{mem['growth_mb']:+.1f} MB (steps {mem['early']}..{mem['steps']}) | "
                f"{row.ratio:.2f}x | {row.target}{mark(row)} | {row.note} |"
            )
            continue
        per = f"{format_time(row.median)} / {row.unit}"
        spread = f"{format_time(row.low)} .. {format_time(row.high)}"
        ratio = (f"{row.ratio:.2f}x ({row.ratio_low:.2f} .. {row.ratio_high:.2f})"
                 if row.role != "floor" else "1.00x")
        lines.append(f"| {row.workload} | {row.engine} | {per} | {spread} | {ratio} | "
                     f"{row.target}{mark(row)} | {row.note} |")
    return "\n".join(lines)


def mark(row: Row) -> str:
    if row.met is None:
        return ""
    return " met" if row.met else " **not met**"


SUMMARY_COLUMNS = (
    ("floor", lambda row: row.role == "floor"),
    ("autograd_lite", lambda row: row.engine == "autograd_lite"),
    ("PyTorch", lambda row: row.engine.startswith("PyTorch")),
    ("HIPS autograd", lambda row: row.engine.startswith("HIPS")),
    ("micrograd", lambda row: row.engine.startswith("micrograd")),
)


def summary_cell(row: Row | None) -> str:
    if row is None:
        return "—"
    if row.status != "ok":
        return "skipped" if row.status.startswith("skipped") else row.status.split(":")[0]
    if "memory" in row.extra:
        mem = row.extra["memory"]
        cell = f"{mem['peak_mb']:.1f} MB, {mem['growth_mb']:+.1f} MB"
        return cell if row.role == "floor" else f"{row.ratio:.2f}x ({cell})"
    if row.role == "floor":
        return f"{format_time(row.median)} / {row.unit}"
    return f"{row.ratio:.2f}x ({format_time(row.median)})"


def format_summary(rows: list[Row]) -> str:
    """One line per workload, one column per engine: ratios to the floor (and the median).

    M1 cells give the peak memory above import and the growth between the two marks.
    """
    names = list(dict.fromkeys(row.workload for row in rows))
    head = " | ".join(label for label, _ in SUMMARY_COLUMNS)
    lines = [f"| workload | {head} | target (autograd_lite) |",
             "|---" * (len(SUMMARY_COLUMNS) + 2) + "|"]
    for name in names:
        mine = [r for r in rows if r.workload == name]
        cells = []
        for _, pick in SUMMARY_COLUMNS:
            match = [r for r in mine if pick(r)]
            cells.append(summary_cell(match[0] if match else None))
        ours = [r for r in mine if r.engine == "autograd_lite"]
        target = f"{ours[0].target}{mark(ours[0])}" if ours and ours[0].target else ""
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)
