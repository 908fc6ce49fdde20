"""The benchmark harness runs every workload once at tiny sizes (no timing is asserted).

This checks the harness, not the speed: every engine that is installed builds, agrees with
the hand-written floor on its first step, and produces a row; missing peers are skipped.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import floors, run, workloads


@pytest.fixture(scope="module")
def rows():
    return run.run_workloads(
        list(run.ALL), repeats=1, min_time=0.0, quick=True,
        depths=list(workloads.S2_QUICK_DEPTHS), peer_max_depth=10, m1_steps=3, m1_early=1,
    )


def test_every_workload_has_a_floor_and_our_row(rows):
    names = {row.workload for row in rows}
    assert {"T1", "T2 float64", "T2 float32", "O1", "S1", "M1"} <= names
    assert {f"S2 {d:,} deep" for d in workloads.S2_QUICK_DEPTHS} <= names
    for name in names:
        mine = [r for r in rows if r.workload == name and r.engine == workloads.OURS]
        floor = [r for r in rows if r.workload == name and r.role == "floor"]
        assert len(floor) == 1 and floor[0].status == "ok", name
        assert len(mine) == 1 and mine[0].status == "ok", (name, mine)


def test_our_rows_agree_with_the_floor_and_have_numbers(rows):
    for row in rows:
        if row.engine != workloads.OURS:
            continue
        assert row.status == "ok"
        assert row.median > 0 and not math.isnan(row.ratio)
        assert row.target  # every workload of ours carries its issue target


def test_peers_either_ran_or_were_skipped_cleanly(rows):
    for row in rows:
        if row.role == "peer":
            assert row.status == "ok" or row.status.startswith(("skipped", "RecursionError")), row


def test_the_table_lists_every_row(rows):
    table = run.format_rows(rows)
    assert table.count("\n") == len(rows) + 1


def test_floors_match_finite_differences():
    """The hand-derived NumPy MLP gradient is right (checked on one weight)."""

    spec = workloads.mlp_spec("T2-float64", quick=True)
    params, x, target = workloads.mlp_data(spec)
    _, grads = floors.NumpyMLP(params, x, target, "ce", 0.1).forward_backward()
    eps = 1e-6
    for sign in (1, -1):
        bumped = [p.copy() for p in params]
        bumped[2][1, 3] += sign * eps
        loss, _ = floors.NumpyMLP(bumped, x, target, "ce", 0.1).forward_backward()
        if sign == 1:
            up = loss
        else:
            down = loss
    assert math.isclose(grads[2][1, 3], (up - down) / (2 * eps), rel_tol=1e-5, abs_tol=1e-9)


def test_command_line_writes_json(tmp_path, capsys):
    out = tmp_path / "rows.json"
    run.main(["--quick", "-w", "T1,O1", "--json", str(out)])
    text = capsys.readouterr().out
    assert "| T1 | autograd_lite |" in text
    import json

    data = json.loads(out.read_text())
    assert {row["workload"] for row in data["rows"]} == {"T1", "O1"}
    assert data["machine"]["python"]


def test_gc_split_script_prints_a_row_per_depth_and_collector_state(capsys, monkeypatch):
    from benchmarks import bench_gc

    monkeypatch.setattr(sys, "argv", ["bench_gc.py", "--depths", "5,7", "--repeats", "1"])
    bench_gc.main()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" | ")[:2] for line in lines[2:]] == [
        ["| 5", "on"], ["| 5", "off"], ["| 7", "on"], ["| 7", "off"]]
    forward, backward = bench_gc.chain(4, collect=False)
    assert forward > 0 and backward > 0
