"""Drive a real `python -m pdb` session through stdin, for the tests and for the transcript in
docs/stepping.md (`python -m tests.debug.pdb_session` prints a fresh one to paste there).

pdb does not echo commands read from a pipe, so `transcript` writes each command after the
prompt it answered, as a terminal would show it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "stepping.md"
SCRIPT_NAME = "mul_demo.py"

#: The commands of the documented session, one per prompt.
COMMANDS = [
    "import autograd_lite",
    "break autograd_lite.ops.arithmetic.Mul.vjp",
    "continue",
    "where",
    "p self",
    "p self.x, self.y",
    "p grad_out",
    "return",
    "retval",
    "continue",
    "quit",
]


def demo_script(page: Path = PAGE) -> str:
    """The Python block of the docs page that starts with the line `# mul_demo.py`."""
    blocks = re.findall(r"^```python[^\n]*\n(.*?)^```", page.read_text(), re.DOTALL | re.MULTILINE)
    for block in blocks:
        if block.startswith(f"# {SCRIPT_NAME}\n"):
            return block
    raise LookupError(f"{page} has no Python block starting with '# {SCRIPT_NAME}'")


def run_pdb(workdir: Path, commands: list[str], script: str | None = None) -> str:
    """Run `python -m pdb mul_demo.py` in `workdir` with `commands` on stdin; its stdout.

    The project root goes first on PYTHONPATH, so the session debugs this checkout.
    """
    (workdir / SCRIPT_NAME).write_text(demo_script() if script is None else script)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONBREAKPOINT", None)
    result = subprocess.run(
        [sys.executable, "-m", "pdb", SCRIPT_NAME], input="\n".join(commands) + "\n",
        capture_output=True, text=True, cwd=workdir, env=env, timeout=120, check=False,
    )
    return result.stdout + result.stderr


def transcript(output: str, commands: list[str], workdir: Path) -> str:
    """`output` with each command written after its prompt and machine paths shortened."""
    pieces = output.split("(Pdb) ")
    lines = [pieces[0]]
    for command, piece in zip(commands, pieces[1:]):
        lines.append(f"(Pdb) {command}\n{piece}")
    text = "".join(lines)
    text = text.replace(str(workdir) + os.sep, "").replace(str(ROOT) + os.sep, "")
    text = re.sub(r"\S*/lib/python3\.\d+/", ".../lib/python3/", text)
    return text.rstrip() + "\n"


def frames(where_output: str) -> list[str]:
    """The function names of a `where` listing (`backward`, `run_backward`, ...), outermost
    first, from lines like `  autograd_lite/tensor.py(301)backward()`."""
    return re.findall(r"^[> ] \S+\(\d+\)(\S+)\(\)$", where_output, re.MULTILINE)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(transcript(run_pdb(Path(tmp), COMMANDS), COMMANDS, Path(tmp)), end="")
