"""The website readers get: the book rendered by real Quarto, served over loopback, in Chromium.

The site is rendered once per test run and served on 127.0.0.1 by the fixtures of
tests/site_fixtures.py (Quarto found through ``$QUARTO`` or on ``PATH``; ``.ci/run`` installs it
from ``../shared/quarto`` when that is there). Readers without Quarto see these tests skipped with
what to install; with ``CI=true`` and no Quarto they fail instead.

Checked here, on every page of the site: no Quarto warning while rendering, no console error, no
request to another host, the page's HTML at most 1.5 MB, real alt text on every image, every
cross-reference and citation link resolves to an element of the site, every "Download the
notebook" link serves its chapter's notebook, Quarto's search finds "forget gate", in dark mode
headings and the code inside them keep a readable contrast, and no page scrolls sideways on a
600-pixel screen, where every box that scrolls (a printed output, an equation, code) takes the
focus and scrolls with the arrow keys. axe-core finds nothing, of any impact, on any page of the
book in light and in dark mode (after Quarto's colour-scheme toggle) with its explorers drawn, nor
on the class deck; a collapsed callout opens and closes from the keyboard. The reader's checks of
each page (keyboard, controls, equations, headings, screenshots) are in tests/test_site_pages.py,
the live explorers' in tests/test_live_pages.py.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pytest
from conftest import load_tool
from pages_helpers import (
    AXE_IMPACTS,
    PAGE_IDS,
    SIZES,
    SOURCE_BY_ID,
    axe_violations,
    image_problems,
    scrolling_boxes,
    show_colour_scheme,
)
from site_fixtures import page_path

#: Issue 13: each page's HTML (its text, figures and every explorer inline) at most 1.5 MB.
PAGE_WEIGHT_LIMIT_BYTES = 1_500_000
#: WCAG 2.1 AA contrast for normal text.
MINIMUM_CONTRAST = 4.5
SCHEMES = ("light", "dark")
#: The class decks that tools/render_slides.py publishes with the book (one colour scheme each).
DECK_PATHS = [f"slides/{Path(deck).with_suffix('.html').name}" for deck in load_tool("render_slides").DECKS]


# --------------------------------------------------------------------------------------------
# every page
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_quarto_page_is_light_offline_and_quiet(page_id: str, open_page: Callable, site_url: str,
                                                quarto_site: Path) -> None:
    page, recorder = open_page(page_id)
    assert recorder.console_errors == []
    assert recorder.remote_requests(allowed_prefix=site_url) == [], "the page asked another host"
    assert site_url + page_path(page_id) in recorder.requests
    weight = (quarto_site / page_path(page_id)).stat().st_size
    assert weight <= PAGE_WEIGHT_LIMIT_BYTES, f"the page weighs {weight / 1e6:.2f} MB"
    assert page.title() and "None" not in page.title()
    assert image_problems(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_notebook_link_serves_its_notebook(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    links = page.evaluate("""() => Array.from(document.querySelectorAll("a[download]"))
        .map(a => [a.href, a.textContent.trim()])""")
    if SOURCE_BY_ID[page_id].parent.name != "chapters":
        assert links == []
        return
    assert links, "no 'Download the notebook' link"
    for url, text in links:
        assert "Download the notebook" in text
        assert urlparse(url).path.endswith(f"/notebooks/{page_id}.ipynb"), url
        with urllib.request.urlopen(url, timeout=30) as response:   # the loopback server
            notebook = json.loads(response.read().decode("utf-8"))
        assert notebook["nbformat"] == 4 and notebook["cells"], f"{url} serves no notebook"


def _html_files(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if "site_libs" not in path.parts)


def test_every_cross_reference_and_citation_resolves(quarto_site: Path) -> None:
    """Each link to a numbered equation, figure, table, section or reference reaches an element."""
    from bs4 import BeautifulSoup

    ids: dict[Path, set[str]] = {}
    pages = {}
    for path in _html_files(quarto_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        pages[path] = soup
        ids[path.resolve()] = {element["id"] for element in soup.select("[id]")}
    problems, checked = [], 0
    for path, soup in pages.items():
        for link in soup.select("a.quarto-xref, a[role=doc-biblioref], span.citation a, a[href*='#']"):
            href = link.get("href", "")
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not parsed.fragment:
                continue
            target = (path.parent / unquote(parsed.path)).resolve() if parsed.path else path.resolve()
            checked += 1
            if target not in ids:
                problems.append(f"{path.relative_to(quarto_site)}: {href} -> no such page")
            elif unquote(parsed.fragment) not in ids[target]:
                problems.append(f"{path.relative_to(quarto_site)}: {href} -> no element with that id")
    assert checked > 100, f"only {checked} internal links found: is this the book?"
    unresolved = [path.relative_to(quarto_site).as_posix() for path, soup in pages.items()
                  if soup.select(".quarto-unresolved-ref") or "?@" in soup.get_text()]
    assert unresolved == [], f"unresolved references on {unresolved}"
    assert problems == []


def test_search_finds_the_forget_gate(open_page: Callable) -> None:
    page, recorder = open_page("index")
    page.locator("#quarto-search .aa-DetachedSearchButton, #quarto-search button").first.click()
    search_box = page.locator("input.aa-Input")
    search_box.fill("forget gate")
    page.wait_for_selector(".aa-Item a, a.aa-ItemLink, .aa-Item", timeout=15000)
    results = page.evaluate("""() => Array.from(document.querySelectorAll(".aa-Item a, a.aa-ItemLink"))
        .map(a => a.getAttribute("href"))""")
    assert any("chapters/03-forget-gate.html" in (href or "") for href in results), results
    page.keyboard.press("Escape")
    assert recorder.remote_requests(allowed_prefix=urljoin(page.url, "/")) == []


def _contrast_script() -> str:
    """JavaScript: the contrast ratio of each element's text against its effective background."""
    return """(selector) => {
        function rgba(text) {
            const m = text.match(/rgba?\\(([^)]+)\\)/);
            if (!m) { return [0, 0, 0, 0]; }
            const parts = m[1].split(",").map(Number);
            return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
        }
        function over(top, bottom) {   // top colour composited over an opaque bottom
            const a = top[3];
            return [0, 1, 2].map(k => top[k] * a + bottom[k] * (1 - a)).concat([1]);
        }
        function background(element) {
            const layers = [];
            for (let e = element; e; e = e.parentElement) {
                const colour = rgba(getComputedStyle(e).backgroundColor);
                if (colour[3] > 0) { layers.push(colour); }
                if (colour[3] >= 1) { break; }
            }
            let result = [255, 255, 255, 1];
            for (const layer of layers.reverse()) { result = over(layer, result); }
            return result;
        }
        function luminance(colour) {
            const channel = (v) => {
                v /= 255;
                return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * channel(colour[0]) + 0.7152 * channel(colour[1]) + 0.0722 * channel(colour[2]);
        }
        return Array.from(document.querySelectorAll(selector))
            .filter(e => e.getClientRects().length > 0 && e.textContent.trim())
            .map(e => {
                const back = background(e);
                const text = over(rgba(getComputedStyle(e).color), back);
                const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
                return {text: e.textContent.trim().slice(0, 60), ratio: (light + 0.05) / (dark + 0.05)};
            });
    }"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_headings_and_code_in_them_are_readable_in_both_colour_schemes(
        scheme: str, browser: Any, site_url: str) -> None:
    """Chapter 6 has inline code in a heading (section 6.2); in dark mode it was a white box."""
    context = browser.new_context(**SIZES["laptop"], color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + page_path("06-cell-over-time"), wait_until="load")
        show_colour_scheme(page, scheme)
        measured = page.evaluate(_contrast_script(), "h1, h2, h3, h4, h1 code, h2 code, h3 code, h4 code, "
                                 "p code, li code")
        assert any(item["text"].startswith("run") for item in measured), "no code in a heading found"
        unreadable = [item for item in measured if item["ratio"] < MINIMUM_CONTRAST]
        assert unreadable == [], f"{scheme}: text below {MINIMUM_CONTRAST}:1 contrast: {unreadable[:8]}"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_fits_a_600_pixel_screen(scheme: str, browser: Any, site_url: str) -> None:
    """A phone or a narrow window: no page scrolls sideways, and its explorers stay inside it.
    What is wider than the column (a printed output, an equation, a table) scrolls in its own box,
    which the keyboard reaches (Tab stops on it, or on a button in it) and whose arrow keys scroll
    it; a box that takes the focus says what it is."""
    context = browser.new_context(viewport={"width": 600, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        wide, unreachable, scrolled_by_keyboard = [], [], []
        for page_id in PAGE_IDS:
            page.goto(site_url + page_path(page_id), wait_until="load")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide.append((page_id, width))
            if SOURCE_BY_ID[page_id].parent.name == "chapters":   # the notebook link moves to the top
                assert page.locator(".notebook-download-inline a[download]").is_visible(), page_id
            for box in scrolling_boxes(page):
                if not (box["holds_focus"] or box["takes_focus"] and box["name"]):
                    unreachable.append((page_id, box["box"], box["name"]))
                elif box["takes_focus"] and box["sideways"] and len(scrolled_by_keyboard) < 3:
                    box["element"].focus()
                    page.keyboard.press("ArrowRight")
                    scrolled_by_keyboard.append(box["element"].evaluate("""(e) => new Promise(done => {
                        const start = performance.now();   // the browser scrolls smoothly
                        const check = () => e.scrollLeft > 0 || performance.now() - start > 2000
                            ? done(document.activeElement === e && e.scrollLeft > 0)
                            : requestAnimationFrame(check);
                        check();
                    })"""))
                    box["element"].evaluate("(e) => { e.scrollLeft = 0; e.blur(); }")
        assert wide == [], f"pages wider than the {scheme} 600 px screen (scroll width, window): {wide}"
        assert unreachable == [], f"boxes that scroll, unreachable by keyboard or unnamed: {unreachable}"
        assert scrolled_by_keyboard and all(scrolled_by_keyboard), (
            f"the arrow keys do not scroll a focused box that scrolls sideways: {scrolled_by_keyboard}")
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# accessibility: axe-core and the keyboard
# --------------------------------------------------------------------------------------------
AXE_PAGES = ([pytest.param(page_path(page_id), scheme, id=f"{page_id}-{scheme}")
              for page_id in PAGE_IDS for scheme in SCHEMES]
             + [pytest.param(path, "light", id=Path(path).stem) for path in DECK_PATHS])


@pytest.fixture(scope="module")
def scheme_context(browser: Any) -> Iterator[Callable[[str], Any]]:
    """``scheme_context(scheme) -> context``: a browser context at laptop size for one colour
    scheme, once per module (after Quarto's toggle the context's later pages open in that scheme,
    as they do for a reader)."""
    contexts: dict[str, Any] = {}

    def context_for(scheme: str) -> Any:
        if scheme not in contexts:
            contexts[scheme] = browser.new_context(**SIZES["laptop"])
        return contexts[scheme]

    yield context_for
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize(("path", "scheme"), AXE_PAGES)
def test_axe_finds_nothing_on_any_page_in_either_colour_scheme(
        path: str, scheme: str, scheme_context: Callable, site_url: str) -> None:
    """Each page of the book in light and in dark mode with its explorers drawn, and the class deck
    (one scheme): no axe-core finding of any impact."""
    page = scheme_context(scheme).new_page()
    try:
        page.goto(site_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_function("""() => Array.from(document.querySelectorAll("figure.lstm-live-explorer"))
            .every(f => f.dataset.state === "ready")""", timeout=30000)
        if path in DECK_PATHS:   # reveal.js adds its slide menu once the deck is ready
            page.wait_for_function("() => window.Reveal && Reveal.isReady() "
                                   "&& document.querySelector('.slide-menu-button a') !== null")
        else:
            show_colour_scheme(page, scheme)
        assert axe_violations(page, impacts=AXE_IMPACTS) == []
    finally:
        page.close()


def test_a_collapsed_callout_opens_and_closes_from_the_keyboard(open_page: Callable) -> None:
    """An exercise's answer is a collapsed callout: Tab reaches it, Enter and Space open and close it."""
    page_id = next(page_id for page_id in PAGE_IDS
                   if re.search(r'collapse="?true', SOURCE_BY_ID[page_id].read_text(encoding="utf-8")))
    page, _ = open_page(page_id)
    header = page.locator(".callout-header[aria-expanded]").first
    contents = page.locator("#" + header.get_attribute("aria-controls"))
    assert header.get_attribute("role") == "button"
    assert header.get_attribute("aria-label") is None, "it is named by its title, not 'Toggle callout'"
    assert header.locator(".callout-title-container").inner_text().strip()
    # From the last control before it, Tab goes to the callout.
    header.evaluate("""(header) => {
        const controls = Array.from(document.querySelectorAll("a[href], button, input, select, [tabindex]"))
            .filter(e => e.tabIndex >= 0 && e.getClientRects().length > 0
                         && (e.compareDocumentPosition(header) & Node.DOCUMENT_POSITION_FOLLOWING));
        controls[controls.length - 1].focus();
    }""")
    page.keyboard.press("Tab")
    assert header.evaluate("(e) => document.activeElement === e"), "Tab does not reach the callout"
    for key, expanded in (("Enter", True), ("Space", False), ("Space", True), ("Enter", False)):
        page.keyboard.press(key)
        header.evaluate("""(e, expanded) => new Promise(done => { const check = () =>
            e.getAttribute("aria-expanded") === String(expanded) && !document.querySelector(".collapsing")
                ? done() : requestAnimationFrame(check); check(); })""", expanded)
        assert contents.is_visible() is expanded, f"after {key}: shown {contents.is_visible()}"
