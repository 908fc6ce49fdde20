"""docs/stepping.md: every Python block runs and prints exactly its `text output` block."""

from __future__ import annotations

import pytest

from .docblocks import run_page, same_output
from .pdb_session import PAGE


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the page shows NumPy's nan warning
def test_stepping_page_blocks_print_what_the_page_shows(tmp_path):
    results = run_page(PAGE, tmp_path)
    assert len(results) >= 5
    checked = 0
    for block, output, printed in results:
        if output is None:
            continue
        checked += 1
        assert same_output(printed, output.code), f"output of the block\n{block.code}\nchanged"
    assert checked >= 5
