"""Drive a real `python -m pdb` session through stdin, for the tests and for the transcripts in
docs/stepping.md (`python -m tests.debug.pdb_session` rewrites them from fresh sessions: review
the diff before keeping it).

pdb does not echo commands read from a pipe, so `transcript` writes each command after the
prompt it answered, as a terminal would show it. A transcript on the page is a ```text block
starting with `> SCRIPT.py(`; its script is the page's Python block starting with
`# SCRIPT.py`, and its commands are the ones after its `(Pdb) ` prompts.
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

#: The commands of the documented sessions, one per prompt, by script.
SESSIONS = {
    "mul_demo.py": [
        "import autograd_lite",
        "break autograd_lite.ops.arithmetic.Mul.vjp",
        "continue",
        "where",
        "p self",
        "p self.x, self.y",
        "p grad_out",
        "up",
        "p node, op",
        "up",
        "p [n.label or n.op for n in order]",
        "down",
        "down",
        "return",
        "retval",
        "continue",
        "quit",
    ],
    "layer_demo.py": [
        "import autograd_lite",
        "break autograd_lite.ops.linalg.Linear.vjp",
        "break autograd_lite.ops.linalg.MatMul.vjp",
        "continue",
        "p self",
        "p self.x, self.weight",
        "p grad_out",
        "continue",
        "quit",
    ],
}
#: The commands of the first session (the tests' own checks use it).
COMMANDS = SESSIONS[SCRIPT_NAME]
TRANSCRIPT = re.compile(r"^```text\n(> (\w+\.py)\(.*?)^```", re.DOTALL | re.MULTILINE)


def demo_script(page: Path = PAGE, name: str = SCRIPT_NAME) -> str:
    """The Python block of the docs page that starts with the line `# NAME` (a script)."""
    blocks = re.findall(r"^```python[^\n]*\n(.*?)^```", page.read_text(), re.DOTALL | re.MULTILINE)
    for block in blocks:
        if block.startswith(f"# {name}\n"):
            return block
    raise LookupError(f"{page} has no Python block starting with '# {name}'")


def documented_sessions(page: Path = PAGE) -> list[tuple[str, str]]:
    """`(script name, transcript)` of every pdb transcript on the page, in order."""
    return [(m.group(2), m.group(1)) for m in TRANSCRIPT.finditer(page.read_text())]


def commands_of(transcript_text: str) -> list[str]:
    """The commands typed at the `(Pdb) ` prompts of a transcript, in order."""
    return re.findall(r"^\(Pdb\) (.*)$", transcript_text, re.MULTILINE)


def without_line_numbers(text: str) -> str:
    """A transcript with source line numbers blanked (`arithmetic.py(106)vjp()` ->
    `arithmetic.py(N)vjp()`, `arithmetic.py:105` -> `arithmetic.py:N`), so an edit that moves
    code does not fail the comparison, while every name, value and frame still counts."""
    text = re.sub(r"\.py\(\d+\)", ".py(N)", text)
    text = re.sub(r"<string>\(\d+\)", "<string>(N)", text)
    return re.sub(r"\.py:\d+", ".py:N", text)


def run_pdb(workdir: Path, commands: list[str], script: str | None = None,
            name: str = SCRIPT_NAME) -> str:
    """Run `python -m pdb NAME` in `workdir` with `commands` on stdin; its stdout.

    `script` is the program's text (default: the page's block `# NAME`). The project root
    goes first on PYTHONPATH, so the session debugs this checkout.
    """
    (workdir / name).write_text(demo_script(name=name) if script is None else script)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONBREAKPOINT", None)
    result = subprocess.run(
        [sys.executable, "-m", "pdb", name], input="\n".join(commands) + "\n",
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


def live_transcript(name: str, commands: list[str]) -> str:
    """A fresh session of the page's script `name` with `commands`, as a transcript."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        return transcript(run_pdb(workdir, commands, name=name), commands, workdir)


def update_page(page: Path = PAGE) -> None:
    """Rewrite every transcript on the page from a fresh session with the commands of
    `SESSIONS` (the page's own commands for a script not listed there)."""
    text = page.read_text()
    for match in reversed(list(TRANSCRIPT.finditer(text))):
        name = match.group(2)
        commands = SESSIONS.get(name) or commands_of(match.group(1))
        text = text[:match.start(1)] + live_transcript(name, commands) + text[match.end(1):]
    page.write_text(text)


if __name__ == "__main__":
    update_page()
