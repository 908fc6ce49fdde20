"""M1: peak memory above import, and memory growth, over T2 float64 training steps.

Each engine runs in a fresh process (`python -m benchmarks.memory ENGINE`): it imports the
engine, notes its resident set size (RSS), resets the kernel's peak-RSS mark, builds the data
and the model, trains, and reports the RSS after `early` steps and after `steps` steps, and
the peak RSS since the reset. "Peak above import" is that peak minus the RSS after import;
"growth" is the RSS after `steps` steps minus the RSS after `early` steps.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("floor", "ours", "torch", "hips")
LABELS = {"floor": "NumPy floor (hand-written)", "ours": "autograd_lite",
          "torch": "PyTorch 2.13.0", "hips": "HIPS autograd"}


def rss_mb() -> float:
    """The current resident set size in MB (from /proc, else the peak as a fallback)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, steps: int, early: int, quick: bool) -> dict:
    import numpy as np

    from benchmarks import peers
    from benchmarks.workloads import make_mlp_runner, mlp_spec

    if kind == "ours":
        import autograd_lite  # noqa: F401
    elif kind == "torch":
        torch = peers.load_torch()
        torch.ones((64, 64)) @ torch.ones((64, 64))  # let it set up its BLAS first
    elif kind == "hips":
        peers.load_hips()
    np.ones((64, 64)) @ np.ones((64, 64))  # NumPy's BLAS sets up its buffers on first use
    gc.collect()
    base = rss_mb()
    exact_peak = reset_peak()
    runner = make_mlp_runner(kind, mlp_spec("T2-float64", quick))
    marks = {}
    for i in range(1, steps + 1):
        runner.run()
        if i in (early, steps):
            marks[i] = rss_mb()
    peak = peak_mb()
    return {"engine": kind, "base_mb": base, "peak_mb": peak - base,
            "early_mb": marks[early] - base, "final_mb": marks[steps] - base,
            "growth_mb": marks[steps] - marks[early], "early": early, "steps": steps,
            "exact_peak": exact_peak}


def run_child(kind: str, steps: int, early: int, quick: bool) -> dict:
    """Run `child` in a fresh interpreter; returns its report or {"error": ...}."""
    command = [sys.executable, "-m", "benchmarks.memory", kind, "--steps", str(steps),
               "--early", str(early)] + (["--quick"] if quick else [])
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:160]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--early", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(child(args.engine, args.steps, args.early, args.quick)))


if __name__ == "__main__":
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    sys.path.insert(0, str(ROOT))
    main()
