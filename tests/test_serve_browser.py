"""The page in a real headless browser: Debian's Chromium driven by Playwright, against a
real `searcher serve` process. Skipped when /usr/bin/chromium is missing, except in CI
(the CI variable set), where that is a failure: .ci/run installs it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import searcher

from .serving import HOSTILE_ID, Server, make_documents

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: CI must install chromium (see .ci/run)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium to run the browser tests)",
                allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402  (the test extra has it)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("browser")
    docs = make_documents(root / "documents")
    searcher.build_index(documents=docs, index=root / "index")[0].close()
    running = Server(root / "index", docs, "--workers", "1")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    opened.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.base = server.url  # type: ignore[attr-defined]
    yield opened
    context.close()
    assert problems == []  # no script ran from a document, none failed, CSP blocked nothing


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_type_a_query_see_suggestions_and_highlighted_results(page, tmp_path: Path):
    page.goto(page.base + "/")
    box = page.locator("#q")
    box.press_sequentially("prak so", delay=20)
    page.locator("#suggestions option").first.wait_for(state="attached")
    assert page.locator("#suggestions option").first.get_attribute("value") == '"PRAK Sokhonn"'
    box.fill("Myanmar")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=Myanmar"))
    marks = page.locator(".hit .snippet mark")
    assert marks.count() >= 4 and marks.first.inner_text() == "Myanmar"
    assert page.locator(".hit").count() == 4
    assert page.locator(".timeline rect.bar").count() == 4  # the timeline, drawn
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    assert (tmp_path / "results.png").stat().st_size > 10_000


def test_a_facet_filters_shows_a_chip_and_goes_in_the_url(page):
    page.goto(page.base + "/?q=Myanmar")
    assert "4 releases" in page.locator("#count").inner_text()
    page.locator('[data-facet="country"] a', has_text="Japan").click()
    page.wait_for_url(re.compile(r"country=Japan"))
    assert _query(page.url) == {"q": ["Myanmar"], "country": ["Japan"]}
    assert re.search(r"\b1 release\b", page.locator("#count").inner_text())
    chip = page.locator(".chip")
    assert chip.inner_text().startswith("country: Japan")
    chip.locator("a.remove").click()
    page.wait_for_url(lambda url: "country" not in url)
    assert "4 releases" in page.locator("#count").inner_text()


def test_a_timeline_bar_narrows_the_period(page):
    page.goto(page.base + "/?q=ASEAN")
    bars = page.locator(".timeline a")
    assert bars.count() == 5
    bars.first.click()
    page.wait_for_url(re.compile(r"from="))
    asked = _query(page.url)
    assert asked["from"] == asked["to"] == ["2020-10"]
    assert page.locator(".hit").count() == 1
    assert page.locator("#from").input_value() == "2020-10"


def test_release_and_person_pages(page):
    page.goto(page.base + "/?q=Blinken")
    page.locator(".hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/releases/"))
    assert page.locator(".body mark").first.inner_text() == "Blinken"
    assert "Secretary of State" in page.locator(".fields").inner_text()
    page.locator(".fields a.person", has_text="PRAK Sokhonn").click()
    page.wait_for_url(re.compile(r"/people/prak%20sokhonn"))
    assert page.locator("h1").inner_text() == "PRAK Sokhonn"
    met = page.locator(".counterparts").inner_text()
    assert "Antony J. Blinken" in met and "United States" in met


def test_markup_in_a_release_shows_as_text(page):
    page.goto(page.base + "/?q=Zanzibar")
    title = page.locator(".hit h2").first.inner_text()
    assert '<script>alert("title")</script>' in title and "<img src=x onerror=alert(1)>" in title
    page.goto(page.base + f"/releases/{HOSTILE_ID}")
    assert '<script>alert("body")</script>' in page.locator(".body").inner_text()
    assert page.locator(".body img, .hit img, h1 img, .body script").count() == 0


def test_phone_width_and_keyboard(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    phone = context.new_page()
    phone.goto(server.url + "/?q=ASEAN")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.keyboard.press("/")  # the search box, from anywhere, its text selected
    assert phone.evaluate("document.activeElement.id") == "q"
    phone.keyboard.press("End")
    phone.keyboard.type(" Japan")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"q=ASEAN\+Japan"))
    assert _query(phone.url) == {"q": ["ASEAN Japan"]}  # empty fields left out
    assert phone.locator(".hit").count() == 2
    context.close()
