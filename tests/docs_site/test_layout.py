"""The site at 1280 px wide (a common laptop screen) in headless Chromium: no table, code block
or formula hides part of its text behind a scroll bar, and identifiers in tables wrap only
between words. A screenshot of each page is kept in pytest's temporary folder."""

from __future__ import annotations

import time

from .browser import chrome, serve

#: Elements whose content must fit the page column: tables, code blocks, display formulas.
OVERFLOWING = """
const found = [];
document.querySelectorAll(
    '.md-typeset__table, .md-typeset pre > code, .md-typeset .katex-display').forEach(e => {
  if (e.scrollWidth > e.clientWidth + 1) {
    found.push(`${e.scrollWidth} > ${e.clientWidth}: ${e.innerText.slice(0, 80)}`);
  }
});
return found;
"""

#: How code in table cells may break: between words only.
TABLE_CODE_BREAKS = """
const cell = document.querySelector('.md-typeset table:not([class]) td code');
if (!cell) return null;
const style = getComputedStyle(cell);
return [style.wordBreak, style.overflowWrap];
"""


def test_no_page_hides_text_behind_a_scroll_bar_at_1280_px(site, tmp_path):
    pages = sorted(str(p.parent.relative_to(site)) for p in site.rglob("index.html")
                   if not p.parent.relative_to(site).parts[:1] == ("assets",))
    assert len(pages) >= 20
    problems = {}
    with serve(site) as base, chrome(1280, 900) as driver:
        for page in pages:
            driver.get(f"{base}/{page}/" if page != "." else f"{base}/")
            time.sleep(0.3)
            found = driver.execute_script(OVERFLOWING)
            if found:
                problems[page] = found
            breaks = driver.execute_script(TABLE_CODE_BREAKS)
            if breaks is not None:
                assert breaks == ["normal", "normal"], f"{page}: table code breaks as {breaks}"
            if page in ("derivative-rules", "lessons/05-backpropagation", "stepping"):
                driver.save_screenshot(str(tmp_path / f"{page.replace('/', '_')}.png"))
    assert not problems, problems
