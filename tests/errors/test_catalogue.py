"""Every bad input of the catalogue raises the documented exception, with a message that names
the problem and the fix, and changes nothing it was handed; docs/errors.md lists them all."""

from __future__ import annotations

import re

import pytest

from .catalogue import AREAS, CATALOGUE
from .render import PAGE, raise_for, render, section


def test_the_catalogue_is_large_and_covers_every_area():
    assert len(CATALOGUE) >= 40
    covered = {entry.area for entry in CATALOGUE}
    assert covered == set(AREAS), f"areas without a bad input: {set(AREAS) - covered}"


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.id)
def test_bad_input_raises_a_clear_error_and_changes_nothing(entry, tmp_path):
    exc, message, ctx = raise_for(entry, tmp_path)
    assert isinstance(exc, entry.error), (
        f"`{entry.code}` raised {type(exc).__name__}: {message}; expected {entry.error.__name__}")
    if isinstance(exc, SystemExit):
        assert exc.code == 2, f"a usage error exits with status 2, got {exc.code}"
    assert re.search(entry.problem, message, re.DOTALL), (
        f"`{entry.code}`: the message does not name the problem ({entry.problem!r}):\n{message}")
    assert re.search(entry.fix, message, re.DOTALL), (
        f"`{entry.code}`: the message does not name the fix ({entry.fix!r}):\n{message}")
    assert not ctx.changed(), f"`{entry.code}` changed {ctx.changed()} although it failed"


def test_docs_list_every_bad_input_with_its_current_message():
    documented = section(PAGE.read_text())
    assert documented is not None, (
        "docs/errors.md has no catalogue section: run `python -m tests.errors.render --write`")
    assert documented == render(), (
        "the catalogue section of docs/errors.md is out of date: run "
        "`python -m tests.errors.render --write`")
