"""The `autograd-lite` command line: the demo as a subprocess, help, usage errors, fallbacks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd_lite import cli, datasets
from autograd_lite.nn import functional as F

ROOT = Path(__file__).resolve().parents[1]
try:
    from autograd_lite.viz import draw_graph  # noqa: F401

    HAS_VIZ = True
except ImportError:  # built by the visualization work; the graph checks wait for it
    HAS_VIZ = False


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "autograd_lite", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def assert_graph_written(out: Path) -> None:
    if HAS_VIZ:
        assert (out / "graph.svg").exists() or (out / "graph.dot").exists()


def test_demo_trains_and_writes_its_files(tmp_path):
    out = tmp_path / "result"
    proc = run("demo", "--epochs", "20", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "final loss" in proc.stdout and "training accuracy" in proc.stdout
    assert "epoch" in proc.stderr  # the tqdm progress bar
    for name in ("loss.png", "decision_boundary.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_graph_written(out)
    if (out / "graph.svg").exists():
        check_demo_drawing((out / "graph.svg").read_text())


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height (in points) of a Graphviz SVG, from its root element."""
    match = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert match, "no width and height on the SVG's root element"
    return float(match.group(1)), float(match.group(2))


def check_demo_drawing(svg: str) -> None:
    """The Tensor demo's graph.svg: readable on a screen, drawn after backward."""
    width, height = svg_size(svg)
    assert max(width, height) / min(width, height) <= 3.0, f"{width} x {height} pt"
    assert width <= 1600 and height <= 1600, f"{width} x {height} pt: too large for a screen"
    assert "grad —" not in svg and "before backward" not in svg
    for name in ("layers.0.weight", "layers.1.bias", "layers.2.weight", "logits", "loss"):
        assert f">{name}<" in svg, f"{name} is not in the drawing"
    # One loss node; a grad field in every parameter box and in the intermediate ones too.
    assert svg.count(">binary_cross_entropy_with_logits") == 1
    assert svg.count(">grad ") >= 6 + 6


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is missing")
def test_the_tensor_demo_drawing_shows_this_passs_gradients(tmp_path):
    X, y = datasets.make_moons(40, noise=0.1, seed=0)
    result = cli.train_tensor(X, y, (16, 16), 5, 0.03, 0, progress=False)
    root = result.graph_root
    assert root.op == "binary_cross_entropy_with_logits" and root.grad == 1.0
    weight = dict(result.model.named_parameters())["layers.2.weight"]
    # The gradients shown are those of the drawn pass alone (not added to training's).
    shown = weight.grad.copy()
    result.model.zero_grad()
    again = F.binary_cross_entropy_with_logits(
        result.model(X[:4]).reshape(-1), y[:4].astype(float))
    again.backward()
    np.testing.assert_allclose(shown, weight.grad, rtol=1e-12)
    (path,) = cli.write_graph(tmp_path, root)
    assert path.name == "graph.svg"
    check_demo_drawing(path.read_text())


def test_scalar_engine_demo(tmp_path):
    proc = run("demo", "--engine", "scalar", "--epochs", "2", "--samples", "20", "--hidden", "4",
               "--no-progress", "--out", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "MLP 2-4-1" in proc.stdout and "scalar engine" in proc.stdout
    assert (tmp_path / "decision_boundary.png").exists()
    assert_graph_written(tmp_path)


def test_help_lists_the_subcommands(tmp_path):
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "demo" in proc.stdout and "usage: autograd-lite" in proc.stdout
    proc = run("demo", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for option in ("--epochs", "--hidden", "--lr", "--seed", "--engine", "--out"):
        assert option in proc.stdout


@pytest.mark.parametrize("args, message", [
    (["demo", "--epochs", "0"], "expected a positive integer"),
    (["demo", "--engine", "gpu"], "invalid choice: 'gpu'"),
    (["demo", "--lr", "-1"], "expected a positive number"),
    (["demo", "--hidden", "16,x"], "comma-separated positive integers"),
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    ([], "required: COMMAND"),
])
def test_bad_options_give_a_usage_error(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: autograd-lite" in err and message in err


def test_bad_option_in_a_subprocess_has_no_traceback(tmp_path):
    proc = run("demo", "--epochs", "many", cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr


def test_unusable_output_folder_is_an_error_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    for out in (blocker / "sub", blocker):
        assert cli.main(["demo", "--epochs", "1", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err  # one line
        assert f"cannot write to the output folder {out} (" in err
        assert "choose another with --out DIR" in err


def test_an_unwritable_folder_is_refused_before_training(tmp_path, capsys, monkeypatch):
    """The folder is probed by creating a file in it before the first epoch: training never
    starts (root may write anywhere, so the refusal is simulated for the probe)."""
    out = tmp_path / "read-only"
    out.mkdir()
    real = cli.tempfile.TemporaryFile

    def refuse(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == out:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(cli.tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(cli, "train_tensor", lambda *a, **k: pytest.fail("training started"))
    assert cli.main(["demo", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (f"autograd-lite demo: error: cannot write to the output folder {out} "
                   "(Permission denied); choose another with --out DIR\n")
    assert list(out.iterdir()) == []


def test_a_read_only_file_system_in_a_subprocess(tmp_path):
    target = Path("/sys/autograd-lite-demo")
    if not Path("/sys").is_dir() or not cli.unwritable_folder(Path("/sys")):
        pytest.skip("no read-only /sys here")
    proc = run("demo", "--out", str(target), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "training" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "cannot write to the output folder /sys/autograd-lite-demo" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["--samples", str(10**9)], "argument --samples: at most 20,000 points with the tensor "
                                "engine, got 1,000,000,000"),
    (["--samples", "20001"], "at most 20,000 points"),
    (["--engine", "scalar", "--samples", "2001"], "at most 2,000 points with the scalar engine"),
    (["--hidden", f"16,{10**9}"], "argument --hidden: widths of at most 512 with the tensor "
                                  "engine, got 1,000,000,000"),
    (["--hidden", "513"], "widths of at most 512"),
    (["--engine", "scalar", "--hidden", "65"], "widths of at most 64 with the scalar engine"),
    (["--engine", "scalar", "--hidden", "4"], None),
    (["--hidden", ",".join(["4"] * 9)], "at most 8 hidden layers, got 9"),
])
def test_absurd_sizes_are_refused_up_front_with_the_limit(args, message, capsys, monkeypatch,
                                                           tmp_path):
    monkeypatch.setattr(cli, "run_demo", lambda a: pytest.fail("the demo ran"))
    if message is None:  # within the limits: the demo would run
        with pytest.raises(pytest.fail.Exception, match="the demo ran"):
            cli.main(["demo", *args, "--out", str(tmp_path)])
        return
    with pytest.raises(SystemExit) as info:
        cli.main(["demo", *args, "--out", str(tmp_path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: autograd-lite demo" in err and message in err and "see autograd-lite demo " \
        "--help" in err


def test_the_limits_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--samples at most 20,000 (scalar engine 2,000)" in out
    assert "hidden widths at most 512 (scalar engine 64), at most 8 hidden layers" in out


def test_an_absurd_size_in_a_subprocess_has_no_traceback(tmp_path):
    proc = run("demo", "--samples", str(10**9), "--out", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert "at most 20,000 points" in proc.stderr


def test_without_tqdm_and_matplotlib_the_demo_says_how_and_still_trains(
    tmp_path, capsys, monkeypatch
):
    for name in ("tqdm", "tqdm.auto", "matplotlib", "matplotlib.figure",
                 "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)  # makes `import name` fail
    assert cli.main(["demo", "--epochs", "3", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "final loss" in captured.out
    hint = 'pip install ".[demo]" in the autograd_lite clone, or pip install matplotlib tqdm'
    hints = [line for line in captured.err.splitlines() if hint in line]
    assert len(hints) == 2  # one line for tqdm, one for matplotlib
    assert not (tmp_path / "loss.png").exists()


@pytest.mark.skipif(not HAS_VIZ, reason="autograd_lite.viz (draw_graph) is not available")
def test_without_graphviz_dot_the_source_is_written_with_a_hint(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli.shutil, "which", lambda name: None)
    assert cli.main(["demo", "--epochs", "2", "--no-progress", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graph.dot").read_text().lstrip().startswith(("digraph", "strict"))
    assert not (tmp_path / "graph.svg").exists()
    assert "apt-get install graphviz" in capsys.readouterr().err


@pytest.mark.parametrize("train", [cli.train_tensor, cli.train_scalar])
def test_the_plotted_probabilities_are_the_models(train):
    X, y = datasets.make_moons(30, noise=0.1, seed=1)
    result = train(X, y, (4, 3), 3, 0.05, 0, progress=False)
    assert len(result.losses) == 3
    points = np.array([[0.0, 0.0], [1.0, -0.5], [-1.0, 1.2]])
    if train is cli.train_scalar:
        logits = np.array([result.model(p.tolist()).data for p in points])
    else:
        logits = result.model(points).data[:, 0]
    np.testing.assert_allclose(result.predict(points), 1 / (1 + np.exp(-logits)), rtol=1e-12)
    predicted = result.predict(X) > 0.5
    assert result.accuracy == np.mean(predicted == (y == 1))
