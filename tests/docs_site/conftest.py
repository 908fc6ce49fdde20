"""One strict build of the docs site for the browser tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")
