"""The package's modules import each other downward only: no import cycles, and the engine at
the bottom importing nothing above it. Only imports made when a module loads count (not those
inside functions, which optional libraries use, nor those under `TYPE_CHECKING`)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "autograd_lite"

#: What the engine must never import: everything built on top of it.
ABOVE_THE_ENGINE = ("debug", "viz", "nn", "optim", "transforms", "cli", "tensor", "value",
                    "ops", "functions", "numpy_functions", "tracing", "forward_mode",
                    "custom_op", "gradient_check", "pytree")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def load_time_imports(path: Path) -> set[str]:
    """The package modules `path` imports at load time (absolute names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text())
    for node in tree.body:  # module level only: not inside functions or classes
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for item in ast.walk(node) if isinstance(node, (ast.Try, ast.If)) else [node]:
            if isinstance(item, ast.ImportFrom):
                if item.level:
                    base = package.rsplit(".", item.level - 1)[0] if item.level > 1 else package
                    target = f"{base}.{item.module}" if item.module else base
                else:
                    target = item.module or ""
                if target.startswith("autograd_lite"):
                    found.add(target)
                    for alias in item.names:  # `from . import nn` imports a module
                        candidate = f"{target}.{alias.name}"
                        if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py") \
                                .exists() or (PACKAGE.parent / Path(*candidate.split("."))
                                              / "__init__.py").exists():
                            found.add(candidate)
            elif isinstance(item, ast.Import):
                found.update(a.name for a in item.names if a.name.startswith("autograd_lite"))
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): load_time_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    # A package's __init__ hands on its modules' names: edges into the modules of one's own
    # package from its __init__ are the package's, not a cycle of the modules themselves.
    state: dict[str, int] = {}
    cycles = []

    def visit(start: str) -> None:
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if child.startswith(node + ".") and node in graph and \
                    (PACKAGE.parent / Path(*node.split(".")) / "__init__.py").exists():
                continue  # a package importing its own submodule
            if state.get(child) == 1:
                cycles.append(path[path.index(child):] + [child])
            elif state.get(child) is None and child in graph:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_engine_imports_nothing_above_it():
    graph = import_graph()
    for module, imports in graph.items():
        if not module.startswith("autograd_lite.engine"):
            continue
        for target in imports:
            assert target.startswith("autograd_lite.engine"), (
                f"{module} imports {target}, which is above the engine")
            assert not any(f".{name}" in target for name in ABOVE_THE_ENGINE)


def test_no_module_imports_the_top_level_package():
    graph = import_graph()
    for module, imports in graph.items():
        if module != "autograd_lite":
            assert "autograd_lite" not in imports, f"{module} imports the top-level package"


def test_import_without_graphviz_installed(tmp_path):
    # A `graphviz` that fails to import stands first on the path: the package must load, and
    # only drawing needs the real one.
    (tmp_path / "graphviz.py").write_text("raise ImportError('graphviz is not installed')\n")
    code = ("import autograd_lite as ag, sys\n"
            "x = ag.Tensor([1.0, 2.0], requires_grad=True); (x * x).sum().backward()\n"
            "assert 'graphviz' not in sys.modules or sys.modules['graphviz'] is None\n"
            "print(x.grad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": f"{tmp_path}:{PACKAGE.parent}", "PATH": ""},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[2. 4.]" in result.stdout
