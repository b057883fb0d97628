"""The served pages in real headless Chromium (Debian ``chromium`` through ``chromedriver``, driven by Selenium).

A reader opens the home page, opens a story and activates a citation — by mouse, by keyboard, and with
JavaScript turned off — and sees the cited sentence in its source. The hostile article runs no script,
the pages fit a 375 px phone screen, and screenshots are kept (see the ``artifacts`` fixture).
Skipped when selenium, chromium or chromedriver is missing; nothing is ever downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from livesite import HOSTILE_ARTICLE, LiveServer, WebStore

from newsroundup.store import Store
from newsroundup.text.sentences import split_sentences

pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        "Debian chromium and chromium-driver are not installed (scripts/setup.sh installs them)",
        allow_module_level=True,
    )

PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = (1280, 900)
WAIT = 5.0


def _driver(*, javascript: bool) -> webdriver.Chrome:
    """Headless Chromium from Debian, with its console kept; alerts are left open so a test can see them."""
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-extensions", "--no-first-run", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # an explicit chromedriver path: Selenium Manager is never asked to find or fetch one
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(15)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """Chromium with JavaScript on."""
    driver = _driver(javascript=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def nojs_browser() -> Iterator[webdriver.Chrome]:
    """Chromium with JavaScript turned off in its content settings."""
    driver = _driver(javascript=False)
    try:
        yield driver
    finally:
        driver.quit()


# -- helpers --------------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def _errors(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Console errors since the last call (reading the log empties it), a missing favicon aside."""
    entries: list[dict[str, Any]] = driver.get_log("browser")
    return [e for e in entries if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


def _open(driver: webdriver.Chrome, url: str) -> None:
    """Load ``url`` with an empty console log, failing on any console error the page causes."""
    _errors(driver)
    driver.get(url)
    assert _alert_text(driver) is None, f"{url} opened an alert"
    errors = _errors(driver)
    assert not errors, f"{url}: console errors {errors}"


def _alert_text(driver: webdriver.Chrome) -> str | None:
    try:
        return driver.switch_to.alert.text
    except NoAlertPresentException:
        return None


def _press(driver: webdriver.Chrome, key: str) -> None:
    """Press ``key`` as a user would: it goes to whatever has focus."""
    ActionChains(driver).send_keys(key).perform()


def _full_page_screenshot(driver: webdriver.Chrome, path: Path) -> None:
    """Save the whole page, not just the viewport, as ``path``."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    width = int(driver.execute_script("return window.innerWidth"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(max(height, 1), 8000), "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert path.stat().st_size > 1000


def _expected_citation(db: Path, story: str, sentence: int) -> tuple[str, str]:
    """The text of roundup sentence ``sentence`` of ``story`` and the exact source span it cites."""
    with Store(db) as store:
        roundup = store.roundup_versions(story, limit=1)[0].roundup
        cited = roundup.sentences[sentence]
        (article,) = store.articles_by_id([cited.source.article])
    return cited.text, article.text[cited.source.start : cited.source.end]


def _citation_for(driver: webdriver.Chrome, sentence_text: str) -> WebElement:
    """The first ``a.cite`` link whose enclosing element shows ``sentence_text``."""
    for cite in driver.find_elements(By.CSS_SELECTOR, "a.cite"):
        if _words(sentence_text) in _words(cite.find_element(By.XPATH, "./..").text):
            return cite
    pytest.fail(f"no a.cite next to the roundup sentence {sentence_text!r} on {driver.current_url}")


def _assert_source_shown(driver: webdriver.Chrome, cite: WebElement, cited: str) -> None:
    """After activating ``cite``: the URL names its ``#src-N`` and that block shows ``cited`` in a <mark>."""
    href = cite.get_dom_attribute("href") or ""
    assert href.startswith("#src-"), f"a.cite href is {href!r}, not #src-N"
    WebDriverWait(driver, WAIT).until(lambda d: urlsplit(d.current_url).fragment == href[1:])
    block = driver.find_element(By.ID, href[1:])
    WebDriverWait(driver, WAIT).until(lambda d: block.is_displayed())
    assert "source" in (block.get_dom_attribute("class") or "").split()
    marks = [m for m in block.find_elements(By.TAG_NAME, "mark") if m.is_displayed()]
    assert _words(cited) in [_words(m.text) for m in marks], f"{href} shows {[m.text for m in marks]}"
    links = block.find_elements(By.CSS_SELECTOR, "a.source-link")
    assert links, f"{href} has no a.source-link to the article"
    for link in links:
        assert urlsplit(link.get_dom_attribute("href") or "").scheme in {"http", "https"}
        assert {"noopener", "noreferrer"} <= set((link.get_dom_attribute("rel") or "").split())


# -- tests ----------------------------------------------------------------------------------------


def test_home_page_lists_every_story_and_opens_one(
    browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore, artifacts: Path
) -> None:
    _open(browser, live_server.url + "/")
    for story in web_store.story_ids:
        assert browser.find_elements(By.CSS_SELECTOR, f'a[href$="stories/{story}"]'), f"no link to story {story}"
    _full_page_screenshot(browser, artifacts / "home-desktop.png")

    browser.find_element(By.CSS_SELECTOR, f'a[href$="stories/{web_store.ferry_story}"]').click()
    WebDriverWait(browser, WAIT).until(lambda d: urlsplit(d.current_url).path.endswith(web_store.ferry_story))
    with Store(web_store.db) as store:
        headline = store.story_row(web_store.ferry_story).headline or ""
    assert _words(headline) in _words(browser.find_element(By.TAG_NAME, "h1").text)
    for section in ("key-quotes", "whos-who", "timeline", "sources", "history"):
        assert browser.find_elements(By.ID, section), f"story page has no #{section} section"
    assert not _errors(browser)
    _full_page_screenshot(browser, artifacts / "story-desktop.png")


def test_clicking_a_citation_shows_the_cited_sentence_in_its_source(
    browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore, artifacts: Path
) -> None:
    sentence, cited = _expected_citation(web_store.db, web_store.ferry_story, 0)
    _open(browser, f"{live_server.url}/stories/{web_store.ferry_story}")
    cite = _citation_for(browser, sentence)
    cite.click()
    _assert_source_shown(browser, cite, cited)
    assert not _errors(browser)
    browser.save_screenshot(str(artifacts / "story-citation-desktop.png"))


def test_a_citation_opens_from_the_keyboard(
    browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore
) -> None:
    sentence, cited = _expected_citation(web_store.db, web_store.ferry_story, 1)
    _open(browser, f"{live_server.url}/stories/{web_store.ferry_story}")
    target = _citation_for(browser, sentence)

    _press(browser, Keys.TAB)
    first = browser.switch_to.active_element
    skip = first.get_dom_attribute("href") or ""
    assert skip.startswith("#") and "skip" in first.text.lower(), "the first Tab stop is not a skip link"
    assert browser.find_elements(By.ID, skip[1:]), f"the skip link points at a missing {skip}"

    for _ in range(200):  # Tab through the page until the citation has focus
        if browser.switch_to.active_element == target:
            break
        _press(browser, Keys.TAB)
    else:
        pytest.fail("the citation link cannot be reached with Tab")
    style = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow];", target
    )
    assert (style[0] != "none" and style[1] != "0px") or style[2] != "none", f"no visible focus style: {style}"
    _press(browser, Keys.ENTER)
    _assert_source_shown(browser, target, cited)


@pytest.mark.parametrize("page", ["home", "story", "article", "search"])
def test_the_hostile_article_runs_no_script(
    browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore, page: str
) -> None:
    path = {
        "home": "/",
        "story": f"/stories/{web_store.hostile_story}",
        "article": f"/articles/{HOSTILE_ARTICLE}",
        "search": "/search?q=Kelmoor",
    }[page]
    _open(browser, live_server.url + path)  # no alert, no console error (an inline script breaking CSP is one)
    assert "Kelmoor" in browser.find_element(By.TAG_NAME, "body").text, f"{path} does not show the hostile article"
    if page in ("story", "article"):
        assert "<script>alert(1)</script>" in browser.find_element(By.TAG_NAME, "h1").text  # shown, as text

    for attribute in ("href", "src", "action", "formaction"):
        for element in browser.find_elements(By.CSS_SELECTOR, f"[{attribute}]"):
            value = _words(element.get_dom_attribute(attribute) or "").lower().replace(" ", "")
            assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{path}: {attribute}={value!r}"
    assert not browser.find_elements(By.CSS_SELECTOR, "[onerror], [onload], [onclick]"), f"{path}: handler attribute"
    assert not browser.find_elements(By.CSS_SELECTOR, 'img[src="x"]'), f"{path}: the <img onerror> became an element"
    origin = urlsplit(live_server.url).netloc
    for script in browser.find_elements(By.TAG_NAME, "script"):
        src = script.get_attribute("src") or ""
        assert src and urlsplit(src).netloc == origin, f"{path}: inline or foreign script {src!r}"
    assert _alert_text(browser) is None
    assert not _errors(browser)


@pytest.mark.parametrize("page", ["home", "story", "hostile"])
def test_pages_fit_a_phone_screen(
    browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore, artifacts: Path, page: str
) -> None:
    path = {"home": "/", "story": f"/stories/{web_store.ferry_story}", "hostile": f"/stories/{web_store.hostile_story}"}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        _open(browser, live_server.url + path[page])
        inner, scroll = browser.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        # a phone widens the layout viewport to fit content that overflows, so both must be the screen's width
        width = PHONE["width"]
        assert inner == width, f"{path[page]}: {inner} px layout viewport (no viewport meta, or content too wide)"
        assert scroll <= width, f"{path[page]} scrolls sideways at {width} px ({scroll} px wide)"
        if page != "hostile":
            _full_page_screenshot(browser, artifacts / f"{page}-phone.png")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_citations_work_without_javascript(
    nojs_browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore
) -> None:
    nojs_browser.get("data:text/html,<noscript><p id=off>scripting is off</p></noscript>")
    assert nojs_browser.find_elements(By.ID, "off"), "the no-JavaScript browser still runs scripts"

    _open(nojs_browser, live_server.url + "/")
    nojs_browser.find_element(By.CSS_SELECTOR, f'a[href$="stories/{web_store.ferry_story}"]').click()
    WebDriverWait(nojs_browser, WAIT).until(lambda d: urlsplit(d.current_url).path.endswith(web_store.ferry_story))
    sentence, cited = _expected_citation(web_store.db, web_store.ferry_story, 2)
    cite = _citation_for(nojs_browser, sentence)
    cite.click()
    _assert_source_shown(nojs_browser, cite, cited)


def test_a_pasted_text_is_audited_in_the_browser_without_script(
    nojs_browser: webdriver.Chrome, live_server: LiveServer, web_store: WebStore, artifacts: Path
) -> None:
    """The audit page with JavaScript off: paste, submit, each sentence marked, a source opened in context."""
    with Store(web_store.db) as store:
        source = next(a for a in store.articles() if len(split_sentences(a.text)) >= 2)
    span = split_sentences(source.text)[0]
    first = source.text[span.start : span.end]
    pasted = f'{first} Nobody in Lisbon had heard of <script>alert("x")</script> the islands before.'
    _open(nojs_browser, live_server.url + "/")
    nojs_browser.find_element(By.LINK_TEXT, "Audit a text").click()
    WebDriverWait(nojs_browser, WAIT).until(lambda d: urlsplit(d.current_url).path == "/audit")
    nojs_browser.find_element(By.ID, "text").send_keys(pasted)
    nojs_browser.find_element(By.CSS_SELECTOR, "form.audit button").click()
    WebDriverWait(nojs_browser, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".audit-report"))
    assert _alert_text(nojs_browser) is None and not _errors(nojs_browser)
    marked = nojs_browser.find_element(By.ID, "s1")
    assert _words(first) in _words(marked.text), repr(first)
    assert "verbatim" in (marked.get_dom_attribute("class") or "").split(), repr(first)
    summary = marked.find_element(By.CSS_SELECTOR, "details.cite summary")
    summary.click()
    shown = [m.text for m in marked.find_elements(By.TAG_NAME, "mark") if m.is_displayed()]
    assert _words(first) in [_words(m) for m in shown], f"the source span is not shown: {shown}"
    kinds = [e.text for e in nojs_browser.find_elements(By.CSS_SELECTOR, ".defect strong")]
    assert "no_source" in kinds
    assert '<script>alert("x")</script>' in nojs_browser.find_element(By.ID, "text").get_property("value")
    _full_page_screenshot(nojs_browser, artifacts / "audit-desktop.png")
