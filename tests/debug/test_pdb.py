"""A real pdb session, driven through stdin: a breakpoint on one op's vjp stops in a frame
named `vjp`, `where` shows the user's call and the backward loop by name, and the op's saved
values are readable. Also checks that the transcript in docs/stepping.md is still true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograd_lite.ops.arithmetic import Mul

from .pdb_session import COMMANDS, PAGE, frames, run_pdb, transcript

BACKWARD_PATH = ["backward", "run_backward", "iterate_backward", "vjp"]


def answers(output: str, commands: list[str]) -> dict[str, str]:
    """What pdb printed after each command (the text up to the next prompt); a command given
    twice maps to its first answer."""
    said: dict[str, str] = {}
    for command, piece in zip(commands, output.split("(Pdb) ")[1:]):
        said.setdefault(command, piece)
    return said


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    workdir = tmp_path_factory.mktemp("pdb")
    return run_pdb(workdir, COMMANDS), workdir


def test_breakpoint_by_name_stops_in_mul_vjp(session):
    output, _ = session
    said = answers(output, COMMANDS)
    assert re.search(r"arithmetic\.py\(\d+\)vjp\(\)", said["continue"])
    where = said["where"]
    names = frames(where)
    assert names[-len(BACKWARD_PATH):] == BACKWARD_PATH
    assert "mul_demo.py(8)<module>()\n-> loss.backward()" in where
    assert "tensor.py" in where and "engine/backward.py" in where
    for anonymous in ("<lambda>", "<listcomp>", "<genexpr>", "<dictcomp>"):
        assert anonymous not in where
    assert said["p self"].strip() == "<op mul>"
    assert said["p self.x, self.y"].strip() == "(array([1., 2., 3.]), array([ 0.5, -1. ,  2. ]))"
    assert said["p grad_out"].strip() == "array([1., 1., 1.])"
    assert said["retval"].strip() == "(array([ 0.5, -1. ,  2. ]), array([1., 2., 3.]))"
    assert "[ 0.5 -1.   2. ] [1. 2. 3.]" in output  # the script ran to its end


def test_breakpoint_by_file_and_line(tmp_path):
    code = Mul.vjp.__code__
    body = min(line for _, _, line in code.co_lines() if line and line > code.co_firstlineno)
    commands = [f"break autograd_lite/ops/arithmetic.py:{body}", "continue", "where", "p self",
                "quit"]
    said = answers(run_pdb(tmp_path, commands), commands)
    assert "Breakpoint 1 at" in said[commands[0]]
    assert frames(said["where"])[-len(BACKWARD_PATH):] == BACKWARD_PATH
    assert said["p self"].strip() == "<op mul>"


def test_the_docs_transcript_matches_a_live_session(session):
    output, workdir = session
    page = PAGE.read_text()
    match = re.search(r"```text\n(> mul_demo\.py.*?)```", page, re.DOTALL)
    assert match, "docs/stepping.md lost its pdb transcript"
    documented = match.group(1)
    live = transcript(output, COMMANDS, workdir)
    assert frames(documented) == frames(live)
    for command in COMMANDS:
        assert f"(Pdb) {command}\n" in documented
    for line in live.splitlines():
        if line.startswith(("(array", "array(", "<op", "[ 0.5")):
            assert line in documented, f"the transcript no longer shows {line!r}"
