"""Real pdb sessions, driven through stdin: a breakpoint on one op's vjp stops in a frame
named `vjp`, `where` shows the user's call and the backward loop by name, and the op's saved
values are readable. Every transcript in docs/stepping.md is replayed command by command and
must match what pdb answers now (up to line numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograd_lite.ops.arithmetic import Mul

from .pdb_session import (
    COMMANDS,
    PAGE,
    SESSIONS,
    commands_of,
    documented_sessions,
    frames,
    run_pdb,
    transcript,
    without_line_numbers,
)

BACKWARD_PATH = ["backward", "run_backward", "iterate_backward", "backward_step", "vjp"]


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


def test_up_reaches_the_step_then_the_backward_loop_with_its_order(session):
    output, _ = session
    pieces = dict(enumerate(output.split("(Pdb) ")[1:]))
    first_up = COMMANDS.index("up")
    assert re.search(r"engine/backward\.py\(\d+\)backward_step\(\)", pieces[first_up])
    assert pieces[first_up + 1].strip() == (
        "(Tensor([ 0.5, -2. ,  6. ], shape=(3,), op=mul), <op mul>)")
    assert re.search(r"engine/backward\.py\(\d+\)iterate_backward\(\)", pieces[first_up + 2])
    assert pieces[first_up + 3].strip() == "['x', 'w', 'mul', 'sum']"
    assert re.search(r"backward\.py\(\d+\)backward_step\(\)", pieces[first_up + 4])
    assert re.search(r"arithmetic\.py\(\d+\)vjp\(\)", pieces[first_up + 5])


def test_a_linear_layer_stops_in_linear_vjp_never_in_matmul(tmp_path):
    commands = SESSIONS["layer_demo.py"]
    output = run_pdb(tmp_path, commands, name="layer_demo.py")
    said = answers(output, commands)
    assert re.search(r"linalg\.py\(\d+\)vjp\(\)", said["continue"])
    assert said["p self"].strip() == "<op linear>"
    assert "Breakpoint 2" in said["break autograd_lite.ops.linalg.MatMul.vjp"]
    # the second continue runs to the end: MatMul.vjp is never reached
    assert len(re.findall(r"\.py\(\d+\)vjp\(\)", output)) == 1
    assert "The program finished" in output


def test_every_documented_session_replays_exactly():
    sessions = documented_sessions()
    assert [name for name, _ in sessions] == list(SESSIONS), "docs/stepping.md lost a session"
    for name, documented in sessions:
        commands = commands_of(documented)
        assert commands == SESSIONS[name], f"{name}: the page's commands differ from SESSIONS"
        live = live_session(name, commands)
        assert without_line_numbers(documented) == without_line_numbers(live), (
            f"{name}: pdb now answers\n{live}\n(rewrite the page with "
            "`python -m tests.debug.pdb_session` and review the diff)")


def live_session(name: str, commands: list[str]) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return transcript(run_pdb(Path(tmp), commands, name=name), commands, Path(tmp))


def test_the_page_shows_no_command_that_is_not_replayed():
    """Every pdb command the page's prose names in backticks is in a replayed session."""
    page = PAGE.read_text()
    replayed = {command for commands in SESSIONS.values() for command in commands}
    prose = re.sub(r"```.*?```", "", page, flags=re.DOTALL)
    for word in ("break", "up", "down", "where", "return", "retval", "continue"):
        for command in re.findall(rf"`({word}(?: [^`]*)?)`", prose):
            assert command in replayed or command.split()[0] == word and " " not in command, \
                command
