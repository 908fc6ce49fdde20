"""Build the docs site once and look at it in headless Chromium (Selenium + chromedriver).

`site_dir` builds with `mkdocs build --strict`; `serve` serves a folder on 127.0.0.1 from a
thread; `chrome` starts a headless Chromium that records every network request it makes.
Tests that use them skip cleanly when MkDocs, Selenium, Chromium or chromedriver is missing.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def need_browser() -> str:
    """The Chromium binary, or skip the test."""
    if importlib.util.find_spec("selenium") is None:
        pytest.skip("selenium is not installed")
    driver = shutil.which("chromedriver") or (CHROMEDRIVER if Path(CHROMEDRIVER).exists() else None)
    if driver is None:
        pytest.skip("chromedriver is not installed")
    for name in CHROMIUM_NAMES:
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("Chromium is not installed")


def need_katex() -> None:
    """Skip unless the docs build can get KaTeX: `$KATEX_DIST`, the cache docs/hooks.py fills,
    or npm to fill it (see docs/hooks.py)."""
    cache = ROOT / ".cache"
    if os.environ.get("KATEX_DIST") or list(cache.glob("katex-*/package/dist/katex.min.js")):
        return
    if shutil.which("npm") is None:
        pytest.skip("KaTeX is not cached and npm is not installed to fetch it")


def build_site(target: Path) -> Path:
    """`mkdocs build --strict` into `target`; fails the test with MkDocs's output if it fails."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("MkDocs is not installed")
    need_katex()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(target)],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chrome(width: int = 1280, height: int = 900) -> Iterator[object]:
    """A headless Chromium driven by Selenium, with its network log on."""
    binary = need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="autograd-lite-chrome-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}",
                 "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver_path = shutil.which("chromedriver") or CHROMEDRIVER
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def requested_urls(driver: object) -> list[str]:
    """Every URL the page asked for so far (Chromium's DevTools network log)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
