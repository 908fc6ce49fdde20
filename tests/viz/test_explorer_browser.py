"""The explorer page in a real browser: headless Chromium driven by Selenium.

For a Value graph with fan-out and a Tensor MLP (and a page made without Graphviz): each
`#step=N` shows step N, highlights that step's node and shows the numbers of `backward_steps`;
the keys and clicks move the step; the page fetches nothing and logs no error. Skipped when
Selenium, Chromium or chromedriver is missing (`.ci/run` installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from autograd_lite import Value, backward_steps, explore
from tests.viz.pages import fan_out, mlp_loss

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="chromium and chromedriver are not installed")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[+-]\d+)?|-?inf|nan")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="explorer-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """name -> (path of the page, steps of backward_steps on the same graph)."""
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    root, _ = fan_out()
    made["fan-out"] = (explore(root).save(folder / "fan-out.html"),
                       list(backward_steps(root, retain_graph=True)))
    root, model = mlp_loss("bce", samples=40)
    made["mlp"] = (explore(root, module=model).save(folder / "mlp.html"),
                   list(backward_steps(root, retain_graph=True)))
    return made


def load(browser, path: Path, step: int | None = None) -> None:
    browser.get("about:blank")  # a fresh load, so the deep link is what opens the page
    browser.get(path.as_uri() + ("" if step is None else f"#step={step}"))


def current_step(browser) -> int:
    return int(browser.find_element(By.ID, "explorer").get_attribute("data-current-step"))


def shown_numbers(text: str) -> list[float]:
    return [float(x) for x in NUMBER.findall(text)]


def expected_numbers(value) -> list[float]:
    """What the panel writes for a value: a number, up to 8 values, else min, mean, max."""
    array = np.asarray(value, dtype=np.float64)
    if array.size <= 8:
        return array.ravel().tolist()
    return [array.min(), array.mean(), array.max()]


def assert_same_numbers(text: str, value) -> None:
    np.testing.assert_allclose(shown_numbers(text), expected_numbers(value), rtol=1e-3,
                               atol=1e-12, err_msg=text)


#: What the page shows, read in one round trip.
READ_PAGE = """
const panel = document.getElementById("panel");
const field = (root, name) => { const el = root.querySelector(`[data-field="${name}"]`);
                                return el ? el.textContent : null; };
return {
  step: Number(document.getElementById("explorer").dataset.currentStep),
  current: [...document.querySelectorAll("g.current")].map(g => g.dataset.nodeId),
  panel: panel.textContent,
  gradOut: field(panel, "grad-out"),
  inputs: [...panel.querySelectorAll("section.input")].map(
      s => ({sent: field(s, "input-grad"), text: s.textContent})),
};
"""


def check_every_step(browser, path: Path, steps: list) -> None:
    """Each #step=N opens at N, highlights the node of step N and shows its numbers. The first,
    middle and last steps are opened by a fresh load, the others by changing the hash."""
    fresh = {0, len(steps) // 2, len(steps)}
    for n in range(len(steps) + 1):
        if n in fresh:
            load(browser, path, n)
        else:
            browser.execute_script(f"location.hash = '#step={n}'")
        shown = browser.execute_script(READ_PAGE)
        assert shown["step"] == n
        if n == 0:
            assert shown["current"] == [] and "Before backward" in shown["panel"]
            continue
        step = steps[n - 1]
        assert shown["current"] == [str(step.node.id)]
        assert f"Step {n} of {len(steps)}: {step.op}" in shown["panel"]
        assert_same_numbers(shown["gradOut"], step.grad_out)
        assert len(shown["inputs"]) == len(step.input_grads)
        for section, grad in zip(shown["inputs"], step.input_grads):
            if grad is None:
                assert "Nothing sent" in section["text"] and section["sent"] is None
            else:
                assert_same_numbers(section["sent"], grad)


def assert_quiet(browser, path: Path) -> None:
    """No resource fetched, no request to the network or for a file but the page itself, no
    console error."""
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    import json

    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            assert url.split(":", 1)[0] not in ("http", "https", "ws", "wss", "ftp"), url
            if message["params"].get("documentURL", "").startswith(path.as_uri()):
                assert url.startswith(path.as_uri()), url  # the page asks for nothing else
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []


@pytest.mark.parametrize("name", ["fan-out", "mlp"])
def test_each_deep_link_shows_its_step_and_the_numbers_of_backward_steps(browser, pages, name):
    browser.get_log("browser")
    browser.get_log("performance")
    path, steps = pages[name]
    check_every_step(browser, path, steps)
    assert_quiet(browser, path)


@pytest.mark.parametrize("name", ["fan-out", "mlp"])
def test_after_the_last_step_the_script_writes_what_the_static_drawing_shows(
        browser, pages, name):
    path, steps = pages[name]
    static = dict(re.findall(r'data-node-id="(\d+)".*?<text class="grad"[^>]*>([^<]*)</text>',
                             path.read_text(encoding="utf-8")))
    load(browser, path, len(steps))
    shown = browser.execute_script(
        "const out = {}; document.querySelectorAll('g[data-node-id]').forEach(g => {"
        " const t = g.querySelector('text.grad'); if (t) out[g.dataset.nodeId] = t.textContent;"
        "}); return out;")
    assert shown == {k: v.replace("&#x27;", "'") for k, v in static.items()}


def test_keys_buttons_scrubber_and_clicks_move_the_step(browser, pages):
    path, steps = pages["fan-out"]
    load(browser, path)
    assert current_step(browser) == 0  # no #step: before backward
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.ARROW_RIGHT)
    assert current_step(browser) == 2
    assert browser.execute_script("return location.hash") == "#step=2"
    body.send_keys(Keys.ARROW_LEFT)
    assert current_step(browser) == 1
    body.send_keys(Keys.END)
    assert current_step(browser) == len(steps)
    body.send_keys(Keys.HOME)
    assert current_step(browser) == 0
    body.send_keys(Keys.SPACE)
    play = browser.find_element(By.CSS_SELECTOR, '[data-action="play"]')
    assert play.get_attribute("aria-pressed") == "true"
    body.send_keys(Keys.SPACE)
    assert play.get_attribute("aria-pressed") == "false"
    browser.find_element(By.CSS_SELECTOR, '[data-action="last"]').click()
    assert current_step(browser) == len(steps)
    browser.find_element(By.CSS_SELECTOR, '[data-action="prev"]').click()
    assert current_step(browser) == len(steps) - 1
    browser.execute_script("const s = document.getElementById('scrubber'); s.value = 3;"
                           "s.dispatchEvent(new Event('input'));")
    assert current_step(browser) == 3
    target = steps[1].node.id
    browser.execute_script(
        f"document.querySelector('g[data-node-id=\"{target}\"]')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert current_step(browser) == 2
    browser.execute_script("location.hash = '#step=4'")
    assert current_step(browser) == 4
    nodes = browser.find_elements(By.CSS_SELECTOR, "g[data-node-id]")
    states = {g.get_attribute("data-node-id"): g.get_attribute("class") for g in nodes}
    assert "done" in states[str(steps[0].node.id)]  # step 1 ran
    assert "pending" in states[str(steps[4].node.id)]  # step 5 has not
    assert "receives" in states[str(steps[3].node.parents[0].id)]


def test_the_nan_button_jumps_to_the_first_nonfinite_step(browser, tmp_path):
    x = Value(0.0, label="x")
    root = (x ** 0.5) * 3.0
    path = explore(root).save(tmp_path / "nan.html")
    load(browser, path)
    browser.find_element(By.CSS_SELECTOR, '[data-action="nonfinite"]').click()
    assert current_step(browser) == 2
    field = browser.find_element(By.CSS_SELECTOR, 'section[data-input="0"] .nonfinite')
    assert field.text == "inf" and "220, 38, 38" in field.value_of_css_property("color")


def test_a_page_made_without_graphviz_works(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable))  # no `dot` on PATH
    assert shutil.which("dot") is None
    root, _ = fan_out()
    explorer = explore(root)
    assert explorer.layout == "layered"
    path = explorer.save(tmp_path / "no-dot.html")
    steps = list(backward_steps(root))
    browser.get_log("browser")
    browser.get_log("performance")
    check_every_step(browser, path, steps)
    assert_quiet(browser, path)
