"""The `autograd-lite` command line (also `python -m autograd_lite`).

    autograd-lite demo [--engine tensor|scalar] [--epochs N] [--hidden 16,16] [--lr LR]
                       [--seed S] [--samples N] [--noise X] [--out DIR] [--no-progress]
    autograd-lite explore [--example fan-out|mlp|lesson] [--out FILE] [--open]

`demo` trains a small MLP on two moons, prints the final loss and accuracy, and writes the loss
curve, the decision boundary and the computation graph of one forward pass to `--out`, with the
backprop explorer of that graph (`backprop.html`). `explore` writes the explorer page of a
small built-in example.
The progress bar (tqdm) and the plots (matplotlib) come from the `demo` extra and are imported
only here; without them the demo says how to get them and still trains.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .arguments import check_integer, check_real

#: How to get the demo's optional packages (the package is installed from its clone, not PyPI).
EXTRA_HINT = 'pip install ".[demo]" in the autograd_lite clone, or pip install matplotlib tqdm'

#: Defaults per engine: the scalar engine builds nodes one neuron and one point at a time, so
#: it gets a smaller network and fewer epochs to stay quick.
@dataclass(frozen=True)
class Defaults:
    """The demo's defaults for one engine."""

    hidden: tuple[int, ...]
    epochs: int
    lr: float


DEFAULTS = {
    "tensor": Defaults(hidden=(16, 16), epochs=300, lr=0.03),
    "scalar": Defaults(hidden=(8, 8), epochs=25, lr=0.1),
}

#: The largest demo each engine runs, checked before anything is computed. The tensor engine
#: keeps (samples x width) activations and a 200 x 200 grid of predictions in memory (about
#: 80 MB and 160 MB at the limits); the scalar engine makes one node per weight and point.
LIMITS = {
    "tensor": {"samples": 20_000, "width": 512},
    "scalar": {"samples": 2_000, "width": 64},
}
MAX_LAYERS = 8


# ---- argument types: a bad value is a usage error (exit code 2), never a traceback ---------


def parsed(text: str, kind: type, what: str, **bounds: Any) -> Any:
    """`text` read as a `kind` (int or float) within `bounds` (see `check_real`), or the
    usage error "expected {what}, got {text!r}"."""
    check = check_integer if kind is int else check_real
    try:
        return check(kind(text), "value", "argument", what, **bounds)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return parsed(text, int, "a positive integer", at_least=1)


def nonnegative_int(text: str) -> int:
    """An integer >= 0."""
    return parsed(text, int, "an integer >= 0", at_least=0)


def positive_float(text: str) -> float:
    """A finite number > 0."""
    return parsed(text, float, "a positive number", above=0.0)


def nonnegative_float(text: str) -> float:
    """A finite number >= 0."""
    return parsed(text, float, "a number >= 0", at_least=0.0)


def layer_widths(text: str) -> tuple[int, ...]:
    """Comma-separated positive integers, e.g. `16,16` (empty for no hidden layer)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        widths = tuple(int(p) for p in parts)
    except ValueError:
        widths = ()
        parts = ["bad"]
    if len(widths) != len(parts) or any(w < 1 for w in widths):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers such as 16,16, got {text!r}"
        )
    return widths


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `autograd-lite` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="autograd-lite",
        description="autograd_lite: a small reverse-mode autodiff library for learning.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="subcommands")
    commands.required = True
    demo = commands.add_parser(
        "demo",
        help="train a small MLP on two moons; write plots and the computation graph",
        description=(
            "Train a small MLP on the two-moons data set with a progress bar, report the "
            "final loss and training accuracy, and write loss.png, decision_boundary.png, "
            "graph.svg (graph.dot without Graphviz) and backprop.html (the backprop explorer "
            "of the drawn graph) to the output folder."
        ),
    )
    demo.add_argument(
        "--engine", choices=("tensor", "scalar"), default="tensor",
        help="tensor: nn.MLP on Tensors (default); scalar: nn.scalar.MLP, one Value per weight",
    )
    demo.add_argument(
        "--epochs", type=positive_int, default=None,
        help="full-batch training epochs (default: 300 tensor, 25 scalar)",
    )
    demo.add_argument(
        "--hidden", type=layer_widths, default=None, metavar="W1,W2,...",
        help="hidden layer widths (default: 16,16 tensor, 8,8 scalar)",
    )
    demo.add_argument(
        "--lr", type=positive_float, default=None,
        help="Adam learning rate (default: 0.03 tensor, 0.1 scalar)",
    )
    demo.add_argument(
        "--seed", type=nonnegative_int, default=0,
        help="seed of the data and of the initial weights (default: 0)",
    )
    demo.add_argument(
        "--samples", type=positive_int, default=200,
        help="number of points (default: 200)",
    )
    demo.add_argument(
        "--noise", type=nonnegative_float, default=0.1,
        help="standard deviation of the noise added to the moons (default: 0.1)",
    )
    demo.add_argument(
        "--out", type=Path, default=Path("autograd_lite_demo"), metavar="DIR",
        help="output folder, created if missing (default: ./autograd_lite_demo)",
    )
    demo.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    demo.epilog = (
        f"Limits: --samples at most {LIMITS['tensor']['samples']:,} (scalar engine "
        f"{LIMITS['scalar']['samples']:,}), hidden widths at most {LIMITS['tensor']['width']:,} "
        f"(scalar engine {LIMITS['scalar']['width']:,}), at most {MAX_LAYERS} hidden layers."
    )
    demo.set_defaults(run=run_demo, parser=demo)
    explore = commands.add_parser(
        "explore",
        help="write the backprop explorer page of a small example graph",
        description="Write a self-contained web page that steps through the backward pass of a "
                    "small built-in example (see autograd_lite.explore for your own graphs).",
    )
    explore.add_argument(
        "--example", choices=("fan-out", "mlp", "lesson"), default="fan-out",
        help="fan-out: Values used twice (default); mlp: a Tensor MLP 2-3-1; lesson: the "
             "network of the backpropagation lesson",
    )
    explore.add_argument("--out", type=Path, default=Path("backprop.html"), metavar="FILE",
                         help="the page to write (default: ./backprop.html)")
    explore.add_argument("--open", action="store_true", help="open the page in a web browser")
    explore.set_defaults(run=run_explore)
    return parser


def demo_size_problem(args: argparse.Namespace) -> str:
    """Why the requested demo is too large for its engine (empty when it fits)."""
    limits = LIMITS[args.engine]
    if args.samples > limits["samples"]:
        return (f"argument --samples: at most {limits['samples']:,} points with the "
                f"{args.engine} engine, got {args.samples:,}")
    hidden: tuple[int, ...] = args.hidden
    if hidden is None:
        hidden = DEFAULTS[args.engine].hidden
    if len(hidden) > MAX_LAYERS:
        return f"argument --hidden: at most {MAX_LAYERS} hidden layers, got {len(hidden)}"
    if hidden and max(hidden) > limits["width"]:
        return (f"argument --hidden: widths of at most {limits['width']:,} with the "
                f"{args.engine} engine, got {max(hidden):,}")
    return ""


def unwritable_folder(out: Path) -> str:
    """Why files cannot be written into `out` (created if missing), or empty when they can: a
    file is created there and removed again, so the check is the real thing."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `autograd-lite`; returns the exit code (2 for a usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        problem = demo_size_problem(args)
        if problem:
            args.parser.error(problem + " (see autograd-lite demo --help)")
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


# ---- the demo -----------------------------------------------------------------------------


@dataclass
class TrainingResult:
    """What a training run hands to the report and the plots."""

    model: Any
    losses: list[float]
    accuracy: float
    predict: Callable[[np.ndarray], np.ndarray]  # (m, 2) points -> (m,) probability of class 1
    graph_root: Any  # the output of one recorded forward pass (backward already run)
    graph_note: str
    model_summary: str


def run_demo(args: argparse.Namespace) -> int:
    """`autograd-lite demo`: train, report, and write the pictures."""
    defaults = DEFAULTS[args.engine]
    hidden: Sequence[int] = defaults.hidden if args.hidden is None else args.hidden
    epochs: int = args.epochs or defaults.epochs
    lr: float = args.lr or defaults.lr
    samples = args.samples
    out: Path = args.out
    reason = unwritable_folder(out)  # before training, not after it
    if reason:
        print(f"autograd-lite demo: error: cannot write to the output folder {out} ({reason}); "
              "choose another with --out DIR", file=sys.stderr)
        return 2

    from . import datasets

    X, y = datasets.make_moons(samples, noise=args.noise, seed=args.seed)
    train = train_tensor if args.engine == "tensor" else train_scalar
    print(f"two moons: {samples} points, noise {args.noise}, seed {args.seed}; "
          f"engine {args.engine}, Adam lr {lr}, {epochs} epochs")
    start = time.perf_counter()
    result = train(X, y, hidden, epochs, lr, args.seed, progress=not args.no_progress)
    elapsed = time.perf_counter() - start
    correct = round(result.accuracy * samples)
    print(f"model: {result.model_summary}")
    print(f"final loss {result.losses[-1]:.4f}, training accuracy {100 * result.accuracy:.1f}% "
          f"({correct}/{samples}) after {elapsed:.1f} s")

    written = write_plots(out, X, y, result)
    written += write_graph(out, result.graph_root)
    written += write_explorer(out, result.graph_root)
    for path in written:
        print(f"wrote {path}")
    if result.graph_note:
        print(result.graph_note)
    return 0


def progress_bar(epochs: int, enabled: bool) -> Any:
    """A tqdm bar over `range(epochs)`, or the bare range when tqdm is missing or disabled."""
    if not enabled:
        return range(epochs)
    try:
        from tqdm.auto import tqdm
    except ImportError:
        print(f"note: tqdm is not installed, so no progress bar is shown ({EXTRA_HINT})",
              file=sys.stderr)
        return range(epochs)
    return tqdm(range(epochs), desc="training", unit="epoch", leave=False, dynamic_ncols=True)


def _train_loop(epochs: int, progress: bool, step: Callable[[], float]) -> list[float]:
    """Call `step()` (one epoch, returning its loss) `epochs` times behind a progress bar."""
    losses: list[float] = []
    bar = progress_bar(epochs, progress)
    every = max(1, epochs // 100)
    for epoch in bar:
        losses.append(step())
        if hasattr(bar, "set_postfix") and (epoch % every == 0 or epoch == epochs - 1):
            bar.set_postfix(loss=f"{losses[-1]:.4f}", refresh=False)
    if hasattr(bar, "close"):
        bar.close()
    return losses


def train_tensor(
    X: np.ndarray, y: np.ndarray, hidden: Sequence[int], epochs: int, lr: float, seed: int,
    progress: bool = True,
) -> TrainingResult:
    """Full-batch Adam on `nn.MLP(2, [*hidden, 1])` with the logistic loss on the logits."""
    from . import nn, no_grad, optim
    from .nn import functional as F
    from .random import manual_seed
    from .tensor import Tensor

    manual_seed(seed)
    model = nn.MLP(2, [*hidden, 1], activation="relu")
    opt = optim.Adam(model.parameters(), lr=lr)
    inputs = Tensor(X, label="X")
    targets = y.astype(np.float64)

    def step() -> float:
        loss = F.binary_cross_entropy_with_logits(model(inputs).reshape(-1), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    losses = _train_loop(epochs, progress, step)

    def predict(points: np.ndarray) -> np.ndarray:
        with no_grad():
            logits = model(Tensor(points)).data[:, 0]
        return _sigmoid(logits)

    accuracy = float(np.mean((predict(X) > 0.5) == (y == 1)))

    # The graph of one forward and backward pass over the first four points, with the
    # parameters named. Every intermediate keeps its gradient, so each box of the drawing
    # shows what flowed back through it; the parameters' gradients are this pass's alone.
    for name, p in model.named_parameters():
        p.label = name
    batch = Tensor(X[:4], label="x")
    logits = model(batch).reshape(-1)
    logits.label = "logits"
    root = F.binary_cross_entropy_with_logits(logits, targets[:4])
    root.label = "loss"
    retain_intermediate_grads(root)
    model.zero_grad()
    root.backward(retain_graph=True)  # kept, so backprop.html can step through it again
    sizes = "-".join(str(n) for n in [2, *hidden, 1])
    summary = f"MLP {sizes}, relu, {model.num_parameters()} parameters (Tensor engine)"
    note = "graph: the trained MLP on the first 4 points, after backward (gradients shown)"
    return TrainingResult(model, losses, accuracy, predict, root, note, summary)


def retain_intermediate_grads(root: Any) -> None:
    """Ask every node `root` depends on (the ops' outputs, not the leaves) to keep its grad."""
    stack, seen = [root], {id(root)}
    while stack:
        node = stack.pop()
        if node._op is not None:
            node.retain_grad()
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)


def train_scalar(
    X: np.ndarray, y: np.ndarray, hidden: Sequence[int], epochs: int, lr: float, seed: int,
    progress: bool = True,
) -> TrainingResult:
    """Full-batch Adam on `nn.scalar.MLP(2, [*hidden, 1])`, one Value per weight."""
    from . import optim
    from .nn import scalar
    from .random import manual_seed

    manual_seed(seed)
    model = scalar.MLP(2, [*hidden, 1], activation="relu")
    opt = optim.Adam(model.parameters(), lr=lr)
    rows = X.tolist()
    targets = y.astype(float).tolist()

    def step() -> float:
        loss = scalar.binary_cross_entropy_with_logits([model(row) for row in rows], targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    losses = _train_loop(epochs, progress, step)
    weights = _scalar_weights(model)

    def predict(points: np.ndarray) -> np.ndarray:
        # The same arithmetic as the Values, on arrays: a grid of thousands of points would
        # otherwise build millions of nodes just to colour a picture.
        h = np.asarray(points, dtype=np.float64)
        for i, (W, b) in enumerate(weights):
            h = h @ W.T + b
            if i < len(weights) - 1:
                h = np.maximum(h, 0.0)
        return _sigmoid(h[:, 0])

    accuracy = float(np.mean((predict(X) > 0.5) == (y == 1)))

    # A scalar graph of the full model has a box per weight, hundreds; draw a tiny one instead.
    manual_seed(seed)
    tiny = scalar.MLP(2, [2, 1], activation="relu")
    root = scalar.binary_cross_entropy_with_logits([tiny(rows[0])], [targets[0]])
    root.label = "loss"
    root.backward()
    note = "graph: a tiny scalar MLP 2-2-1 on the first point, after backward (gradients shown)"
    sizes = "-".join(str(n) for n in [2, *hidden, 1])
    summary = f"MLP {sizes}, relu, {model.num_parameters()} parameters (scalar engine)"
    return TrainingResult(model, losses, accuracy, predict, root, note, summary)


def _scalar_weights(model: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each layer of a scalar MLP as `(W, b)` arrays, `W` of shape `(nout, nin)`."""
    return [
        (
            np.array([[w.data for w in n.w] for n in layer.neurons]),
            np.array([n.b.data for n in layer.neurons]),
        )
        for layer in model.layers
    ]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow


def write_plots(out: Path, X: np.ndarray, y: np.ndarray, result: TrainingResult) -> list[Path]:
    """Write `loss.png` and `decision_boundary.png` with matplotlib's Agg backend.

    Without matplotlib, print how to install it and write nothing.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        print(f"note: matplotlib is not installed, so loss.png and decision_boundary.png are "
              f"skipped ({EXTRA_HINT})", file=sys.stderr)
        return []

    fig = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(np.arange(1, len(result.losses) + 1), result.losses, color="tab:blue")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (log scale)")
    ax.set_title("Loss during training")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    loss_path = out / "loss.png"
    fig.savefig(loss_path)

    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 200)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 200)
    gx, gy = np.meshgrid(xs, ys)
    prob = result.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    fig = Figure(figsize=(6, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    filled = ax.contourf(gx, gy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(gx, gy, prob, levels=[0.5], colors="k", linewidths=1.5)
    for label, colour in ((0, "tab:blue"), (1, "tab:red")):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], s=14, c=colour, edgecolors="k", linewidths=0.4,
                   label=f"class {label}")
    fig.colorbar(filled, ax=ax, label="predicted probability of class 1")
    ax.legend(loc="upper right")
    ax.set_title(f"Decision boundary (training accuracy {100 * result.accuracy:.1f}%)")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    fig.tight_layout()
    boundary_path = out / "decision_boundary.png"
    fig.savefig(boundary_path)
    return [loss_path, boundary_path]


def write_graph(out: Path, root: Any) -> list[Path]:
    """Write the drawing of `root`'s graph: `graph.svg` with Graphviz `dot`, else `graph.dot`."""
    try:
        from autograd_lite.viz import draw_graph
    except ImportError as exc:
        print(f"note: the graph drawing is not available ({exc}); no graph written",
              file=sys.stderr)
        return []
    # Top to bottom: a network's graph is a long chain, which left to right makes a strip
    # many screens wide; downwards it fits a screen or two.
    dot = draw_graph(root, rankdir="TB",
                     title="after backward: each box shows its values, then its gradient (grad)")
    if shutil.which("dot"):
        try:
            svg = dot.pipe(format="svg")
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            # a broken Graphviz install: fall back to the source
            print(f"note: Graphviz could not render the graph ({exc}); writing its source",
                  file=sys.stderr)
        else:
            path = out / "graph.svg"
            path.write_bytes(svg)
            return [path]
    path = out / "graph.dot"
    path.write_text(dot.source, encoding="utf-8")
    if not shutil.which("dot"):
        print("note: the Graphviz 'dot' program is missing, so the graph is saved as graph.dot; "
              "install Graphviz (e.g. apt-get install graphviz) and run "
              f"'dot -Tsvg {path} -o {out / 'graph.svg'}'", file=sys.stderr)
    return [path]


def write_explorer(out: Path, root: Any) -> list[Path]:
    """Write `backprop.html`, the backprop explorer of `root`'s graph."""
    from .viz import explore

    return [explore(root).save(out / "backprop.html")]


def run_explore(args: argparse.Namespace) -> int:
    """`autograd-lite explore`: write (and with `--open`, open) an example's explorer page."""
    from .viz import explore
    from .viz.examples import EXAMPLES

    root, module = EXAMPLES[args.example]()
    try:
        path = explore(root, module=module).save(args.out)
    except OSError as exc:
        print(f"autograd-lite explore: error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    if args.open:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("autograd-lite")
    except PackageNotFoundError:  # run from a source checkout without installing
        return "(source checkout)"
