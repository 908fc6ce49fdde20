"""The lessons' formulas are typeset by KaTeX served from the site itself: in headless
Chromium every formula of a lesson page becomes a KaTeX element, no raw TeX is left, and no
script, stylesheet or font is fetched from any other host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .browser import chrome, requested_urls, serve

ROOT = Path(__file__).resolve().parents[2]
PAGES_WITH_MATH = sorted(
    f"lessons/{p.stem}/" for p in (ROOT / "docs" / "lessons").glob("[0-9]*.md")) + ["engine/"]


def wait_for_formulas(driver: object) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "const all = document.querySelectorAll('.arithmatex');"
        "return all.length > 0 && [...all].every(e => e.querySelector('.katex'));"))


def test_the_site_ships_katex_itself(site):
    katex = site / "assets" / "katex"
    assert (katex / "katex.min.js").stat().st_size > 100_000
    assert (katex / "katex.min.css").is_file()
    fonts = {p.suffix for p in (katex / "fonts").iterdir()}
    assert ".woff2" in fonts
    for font in re.findall(r"url\((fonts/[^)]+)\)", (katex / "katex.min.css").read_text()):
        assert (katex / font).is_file(), f"the stylesheet names {font}, which is missing"
    page = (site / "lessons" / "01-derivatives" / "index.html").read_text()
    assert "assets/katex/katex.min.js" in page and "assets/katex/katex.min.css" in page
    assert not re.search(r"""(src|href)=["']https?://""", re.sub(r"<a [^>]*>", "", page)), \
        "a script or stylesheet from another host"


@pytest.mark.parametrize("page", PAGES_WITH_MATH)
def test_every_page_with_formulas_has_some(site, page):
    html = (site / page / "index.html").read_text()
    assert html.count('class="arithmatex"') >= 1, f"{page} has no formula"
    assert "\\(" in html or "\\[" in html


def test_a_lesson_page_renders_its_formulas_offline(site):
    with serve(site) as base, chrome() as driver:
        driver.get(f"{base}/lessons/01-derivatives/")
        wait_for_formulas(driver)
        count = driver.execute_script("return document.querySelectorAll('.arithmatex').length")
        rendered = driver.execute_script(
            "return document.querySelectorAll('.arithmatex .katex').length")
        assert count >= 8 and rendered == count
        assert driver.execute_script("return document.querySelectorAll('.katex-error').length") \
            == 0
        text = driver.execute_script(
            "return [...document.querySelectorAll('.arithmatex')].map(e => e.innerText).join(' ')")
        assert "\\(" not in text and "\\[" not in text and "\\frac" not in text
        # KaTeX's own font is in use, loaded from this site
        assert driver.execute_script("return document.fonts.check('16px KaTeX_Main')")
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        urls = requested_urls(driver) + resources
        assert any("/assets/katex/katex.min.js" in url for url in urls)
        assert any("/assets/katex/fonts/" in url for url in urls)
        # Network requests are http(s) and websockets; chrome:// pages are the browser's own.
        foreign = [url for url in urls
                   if urlparse(url).scheme in ("http", "https", "ws", "wss", "ftp")
                   and urlparse(url).netloc != urlparse(base).netloc]
        assert not foreign, f"fetched from the network: {foreign}"


def test_every_lesson_renders_without_katex_errors(site):
    with serve(site) as base, chrome() as driver:
        for page in PAGES_WITH_MATH:
            driver.get(f"{base}/{page}")
            wait_for_formulas(driver)
            errors = driver.execute_script(
                "return [...document.querySelectorAll('.katex-error')].map(e => e.title)")
            assert not errors, f"{page}: {errors}"
