"""MkDocs hooks: fence markers the tests read, and KaTeX served from the site itself.

Fences. The docs tests read two extra words in a fence's info string: `python no-run` (a block
the tests do not execute) and `text output` (what the Python block above it prints, compared by
the tests). Markdown's fence syntax has no room for them, so before rendering, `python no-run`
becomes `python` and `text output` becomes a text block titled "Output".

Formulas. `pymdownx.arithmatex` (generic mode) leaves each formula as `\\( ... \\)` or
`\\[ ... \\]` in an element of class `arithmatex`; `docs/javascripts/katex-render.js` typesets
them with KaTeX in the reader's browser. KaTeX's script, stylesheet and fonts are copied into
the site under `assets/katex/` from the npm package `katex` (pinned below), so the built site
works offline and fetches nothing from another host. The package is looked for, in order, in
`$KATEX_DIST` (a `dist` folder of the package), in `.cache/katex-VERSION/` at the repository
root, and else downloaded there with `npm pack` and checked against its SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

NO_RUN = re.compile(r"^(\s*```+)python[ \t]+no-run[ \t]*$", re.MULTILINE)
OUTPUT = re.compile(r"^(\s*```+)text[ \t]+output[ \t]*$", re.MULTILINE)

ROOT = Path(__file__).resolve().parent.parent
KATEX_VERSION = "0.16.22"
#: SHA-256 of katex-0.16.22.tgz as the npm registry serves it.
KATEX_SHA256 = "e9e0d167db3175481cbadaff38e8d90b130f6a3ddb451a47e43c577fd511f365"
KATEX_CACHE = ROOT / ".cache" / f"katex-{KATEX_VERSION}"
#: Where the site serves KaTeX (mkdocs.yml's extra_javascript and extra_css point here).
KATEX_SITE_DIR = "assets/katex"
#: What the site needs from the package's `dist` folder: the script, its stylesheet and the
#: fonts the stylesheet names.
KATEX_FILES = ("katex.min.js", "katex.min.css")


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    markdown = NO_RUN.sub(r"\1python", markdown)
    return OUTPUT.sub(r'\1text title="Output"', markdown)


def on_files(files: Files, config: Any) -> Files:
    """Add KaTeX's script, stylesheet and fonts to the site, under `assets/katex/`."""
    dist = katex_dist()
    wanted = [dist / name for name in KATEX_FILES] + sorted((dist / "fonts").iterdir())
    for path in wanted:
        uri = f"{KATEX_SITE_DIR}/{path.relative_to(dist).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def katex_dist() -> Path:
    """The `dist` folder of the pinned KaTeX package (see the module docstring)."""
    given = os.environ.get("KATEX_DIST")
    if given:
        dist = Path(given)
        if not (dist / "katex.min.js").is_file():
            raise PluginError(f"KATEX_DIST={given} has no katex.min.js: point it at the "
                              "dist folder of the npm package katex")
        return dist
    dist = KATEX_CACHE / "package" / "dist"
    if not (dist / "katex.min.js").is_file():
        download_katex(KATEX_CACHE)
    return dist


def download_katex(cache: Path) -> None:
    """Fetch katex-VERSION.tgz with `npm pack`, check its SHA-256, unpack its dist folder."""
    npm = shutil.which("npm")
    hint = (f"The docs need KaTeX {KATEX_VERSION} to render formulas offline. Install Node.js "
            "with npm (e.g. apt-get install npm) and build again, or unpack the npm package "
            f"katex@{KATEX_VERSION} yourself and set KATEX_DIST to its package/dist folder.")
    if npm is None:
        raise PluginError("npm is not installed. " + hint)
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", f"katex@{KATEX_VERSION}", "--pack-destination", tmp, "--silent"],
            capture_output=True, text=True, timeout=300, check=False)
        tarball = Path(tmp) / f"katex-{KATEX_VERSION}.tgz"
        if result.returncode != 0 or not tarball.is_file():
            raise PluginError(f"npm pack katex@{KATEX_VERSION} failed: "
                              f"{result.stderr.strip() or result.stdout.strip()}. " + hint)
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != KATEX_SHA256:
            raise PluginError(f"katex-{KATEX_VERSION}.tgz has SHA-256 {digest}, expected "
                              f"{KATEX_SHA256}; not using it. " + hint)
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers()
                       if m.isfile() and m.name.startswith("package/dist/")]
            if hasattr(tarfile, "data_filter"):  # refuses links and paths out of the folder
                archive.extractall(staging, members=members, filter="data")
            else:  # an older Python: the members are plain files under package/dist/
                archive.extractall(staging, members=members)
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(str(staging), str(cache))
