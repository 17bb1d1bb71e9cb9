"""The class deck (slides/lstm-90-minutes.qmd) as the book's site serves it, in Chromium.

The deck is rendered with the book: ``quarto render`` runs ``tools/render_slides.py`` after the
book (``project: post-render:``), which renders the deck's own Quarto project in ``slides/`` and
copies it to ``_book/slides/``. These tests use the session's render and loopback server of
tests/site_fixtures.py (``quarto_site``, ``site_url``) and check, at projector size:

* the deck is published, the teachers' chapter links to it, and its plan adds up to 90 minutes
  in the parts the teachers' chapter lists;
* every slide renders: it becomes the current slide, shows something, its images are loaded
  and have alt text, its math is typeset by KaTeX (no raw TeX), and every content slide has
  speaker notes;
* every explorer on a slide is live: there is one live widget per explorer call of the deck,
  each control changes the figure (or is disabled exactly when it does not apply), Reset and the
  scenarios work, and the numbers equal ``lstm``'s at a random setting;
* no request to another host and no console error, over the whole deck;
* the arrow keys move between slides, a focused slider keeps them, and after a mouse move they
  go back to the slides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pages_helpers import ROOT, SIZES, PageRecorder, explorer_calls, image_problems
from test_live_pages import (
    assert_shows_lstms_numbers,
    live_explorer,
    random_settings,
    shown,
    signature,
    spec_of,
)

DECK_SOURCE = ROOT / "slides" / "lstm-90-minutes.qmd"
DECK_PATH = "slides/lstm-90-minutes.html"
TEACHERS_PAGE = "chapters/12-for-teachers.html"
#: The plan of issue 19, part by part (minutes).
PLAN_MINUTES = {"1": 20, "2": 20, "3": 25, "4": 25}


def _slide_count_in_source() -> int:
    """The title slide and one slide per ``##`` heading (the parts' titles are slides too)."""
    text = DECK_SOURCE.read_text(encoding="utf-8")
    body = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)   # no '#' comments of code cells
    return 1 + len(re.findall(r"^## ", body, re.M))


@pytest.fixture(scope="module")
def deck(browser: Any, site_url: str) -> Iterator[tuple[Any, PageRecorder]]:
    """The deck, opened once for the module at projector size, every widget ready."""
    context = browser.new_context(**SIZES["projector"])
    page = context.new_page()
    recorder = PageRecorder(page)
    page.goto(site_url + DECK_PATH, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30000)
    page.wait_for_function("""() => Array.from(document.querySelectorAll("figure.lstm-live-explorer"))
        .every(f => f.dataset.state === "ready")""", timeout=30000)
    yield page, recorder
    context.close()


def go_to(page: Any, index: int) -> dict[str, Any]:
    """Make slide ``index`` (in document order) the current one; its indices and state."""
    return page.evaluate("""(index) => {
        const slide = Reveal.getSlides()[index];
        const at = Reveal.getIndices(slide);
        Reveal.slide(at.h, at.v);
        return {current: Reveal.getCurrentSlide() === slide, h: at.h, v: at.v,
                title: (slide.querySelector("h1, h2") || {}).textContent || ""};
    }""", index)


def slide_of(page: Any, element_id: str) -> int:
    return page.evaluate("""(id) => Reveal.getSlides().indexOf(
        document.getElementById(id).closest("section.slide, section"))""", element_id)


def current(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => ({...Reveal.getIndices(),
        index: Reveal.getSlides().indexOf(Reveal.getCurrentSlide())})""")


# --------------------------------------------------------------------------------------------
def test_the_deck_is_published_with_the_book_and_linked_from_the_teachers_chapter(
        quarto_site: Path) -> None:
    from bs4 import BeautifulSoup

    deck_file = quarto_site / DECK_PATH
    assert deck_file.is_file(), f"{DECK_PATH} is not in the rendered site"
    teachers = BeautifulSoup((quarto_site / TEACHERS_PAGE).read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in teachers.select("a[href]") if a["href"].endswith(DECK_PATH.split("/")[-1])]
    assert links, "the teachers' chapter does not link to the deck"
    for href in links:
        assert ((quarto_site / TEACHERS_PAGE).parent / href).resolve() == deck_file.resolve(), href
    # the deck is not a chapter: the book's table of contents does not list it
    index = BeautifulSoup((quarto_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not [a for a in index.select("#quarto-sidebar a[href]") if "slides/" in a["href"]]


def test_the_plan_adds_up_to_90_minutes_as_the_teachers_chapter_says(deck: tuple) -> None:
    page, _ = deck
    rows = page.evaluate("""() => Array.from(Reveal.getSlides()[1].querySelectorAll("tbody tr"))
        .map(tr => Array.from(tr.cells).map(td => td.textContent.trim()))""")
    parts = {row[0]: int(re.match(r"(\d+) min", row[-1]).group(1)) for row in rows if row[0]}
    assert parts == PLAN_MINUTES
    assert sum(parts.values()) == 90
    assert any(row[-1] == "90 min" for row in rows)
    chapter = (ROOT / "chapters" / "12-for-teachers.qmd").read_text(encoding="utf-8")
    assert "../slides/lstm-90-minutes.html" in chapter


def test_every_slide_renders(deck: tuple) -> None:
    page, recorder = deck
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total == _slide_count_in_source()
    problems = []
    for index in range(total):
        state = go_to(page, index)
        page.wait_for_timeout(50)
        seen = page.evaluate("""() => {
            const slide = Reveal.getCurrentSlide();
            const box = slide.getBoundingClientRect();
            const images = Array.from(slide.querySelectorAll("img"));
            return {
                visible: box.width > 0 && box.height > 0 && getComputedStyle(slide).display !== "none",
                text: slide.innerText.trim().length,
                images: images.map(i => ({loaded: i.complete && i.naturalWidth > 0,
                                          alt: (i.getAttribute("alt") || "").trim().length})),
                untypeset: Array.from(slide.querySelectorAll("span.math"))
                    .filter(m => !m.querySelector(".katex")).length,
                rawTex: (() => {
                    const copy = slide.cloneNode(true);
                    copy.querySelectorAll("aside, .katex, script, style, figure.lstm-live-explorer")
                        .forEach(e => e.remove());
                    return /\\\\(frac|sigma|tilde|odot|left|right|tanh|begin|cdot)\\b|\\$/.test(
                        copy.textContent);
                })(),
                notes: slide.querySelectorAll("aside.notes").length,
                partTitle: slide.classList.contains("part-title") || slide.id === "title-slide",
            };
        }""")
        where = f"slide {index + 1} ({state['title'][:40]!r})"
        if not state["current"] or not seen["visible"]:
            problems.append(f"{where}: not shown")
        if seen["text"] == 0 and not seen["images"]:
            problems.append(f"{where}: empty")
        for image in seen["images"]:
            if not image["loaded"]:
                problems.append(f"{where}: an image did not load")
            if not image["alt"]:
                problems.append(f"{where}: an image has no alt text")
        if seen["untypeset"] or seen["rawTex"]:
            problems.append(f"{where}: math not typeset by KaTeX")
        if not seen["partTitle"] and seen["notes"] == 0:
            problems.append(f"{where}: no speaker notes")
    assert problems == []
    assert image_problems(page) == []
    assert recorder.console_errors == []


@pytest.fixture(scope="module")
def deck_explorers(deck: tuple) -> list[tuple[dict, Any]]:
    """``[(widget, live Python explorer), ...]``: one live widget per explorer call of the deck."""
    page, _ = deck
    calls = explorer_calls(DECK_SOURCE)
    assert len(calls) >= 5, calls
    assert all("size=\"projector\"" in call for call in calls), calls
    widgets = page.evaluate("""() => Array.from(document.querySelectorAll("figure.lstm-static-explorer"))
        .map(f => ({id: f.id, live: f.classList.contains("lstm-live-explorer"), state: f.dataset.state}))""")
    assert len(widgets) == len(calls), (calls, widgets)
    assert all(widget["live"] and widget["state"] == "ready" for widget in widgets), widgets
    return [(widget, live_explorer(call)) for widget, call in zip(widgets, calls, strict=True)]


def test_every_explorer_on_a_slide_is_live(deck: tuple, deck_explorers: list) -> None:
    page, recorder = deck
    for widget, explorer in deck_explorers:
        element_id = widget["id"]
        assert go_to(page, slide_of(page, element_id))["current"]
        spec = spec_of(explorer)
        presets = spec["presetControls"]
        for control in spec["controls"]:
            name = control["name"]
            locator = page.locator(f"#{element_id}-{name}")
            values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()", element_id)
            if name in presets:
                disabled = locator.is_disabled()
                assert disabled is (values["preset"] not in presets[name]), (element_id, name)
                if disabled:
                    page.select_option(f"#{element_id}-preset", label=presets[name][0])
            before = signature(shown(page, element_id))
            if control["kind"] == "range":
                current_value = float(locator.input_value())
                locator.fill(str(control["min"] if current_value != control["min"] else control["max"]))
            else:
                options = locator.evaluate("e => Array.from(e.options).map(o => o.value)")
                locator.select_option(next(value for value in options if value != locator.input_value()))
            assert signature(shown(page, element_id)) != before, f"{element_id}: {name} changed nothing"
        page.locator(f"#{element_id} button.lstm-reset").click()
        values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()", element_id)
        assert values == spec["defaults"], element_id
        for name, scenario in (spec.get("scenarios") or {}).items():
            page.locator(f"#{element_id} select.lstm-scenario").select_option(name)
            values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()", element_id)
            assert values == scenario["values"], (element_id, name)
        page.locator(f"#{element_id} button.lstm-reset").click()
    assert recorder.console_errors == []


def test_explorers_on_slides_show_lstms_numbers(deck: tuple, deck_explorers: list) -> None:
    page, recorder = deck
    rng = np.random.default_rng(90)
    for widget, explorer in deck_explorers:
        element_id = widget["id"]
        assert go_to(page, slide_of(page, element_id))["current"]
        settings = random_settings(spec_of(explorer), rng)
        explorer.set_values(**settings)
        page.evaluate("([id, values]) => document.getElementById(id).lstmWidget.set(values)",
                      [element_id, settings])
        state = shown(page, element_id)
        assert_shows_lstms_numbers(state, explorer, f"{element_id} {settings}")
        assert state["summary"] == explorer.describe()
        page.locator(f"#{element_id} button.lstm-reset").click()
    assert recorder.console_errors == []


def test_arrow_keys_move_between_slides(deck: tuple, deck_explorers: list) -> None:
    page, _ = deck
    total = page.evaluate("() => Reveal.getTotalSlides()")
    go_to(page, 0)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for expected in range(1, total):
        page.keyboard.press("ArrowRight")
        assert current(page)["index"] == expected, f"ArrowRight did not reach slide {expected + 1}"
    assert page.evaluate("() => Reveal.isLastSlide()")
    page.keyboard.press("ArrowLeft")
    assert current(page)["index"] == total - 2

    # On an explorer's slide a focused slider keeps the arrow keys ...
    element_id = deck_explorers[0][0]["id"]
    index = slide_of(page, element_id)
    go_to(page, index)
    slider = page.locator(f"#{element_id} input[type=range]").first
    slider.focus()
    before = (slider.input_value(), signature(shown(page, element_id)))
    key = "ArrowLeft" if slider.input_value() == slider.get_attribute("max") else "ArrowRight"
    page.keyboard.press(key)
    assert current(page)["index"] == index, "a focused slider's arrow key moved the slides"
    after = (slider.input_value(), signature(shown(page, element_id)))
    assert after[0] != before[0] and after[1] != before[1]
    # ... and after a mouse move they go back to the slides.
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
    page.wait_for_function("() => !document.activeElement || document.activeElement === document.body")
    page.keyboard.press("ArrowRight")
    assert current(page)["index"] == index + 1
    page.keyboard.press("ArrowLeft")
    assert current(page)["index"] == index
    page.locator(f"#{element_id} button.lstm-reset").click()

    # A focused menu keeps its arrow keys too (the sequence explorer's scenario menu).
    menus = [widget["id"] for widget, _ in deck_explorers
             if page.locator(f"#{widget['id']} select").count()]
    assert menus
    index = slide_of(page, menus[-1])
    go_to(page, index)
    page.locator(f"#{menus[-1]} select").first.focus()
    page.keyboard.press("ArrowDown")
    assert current(page)["index"] == index, "a focused menu's arrow key moved the slides"
    page.locator(f"#{menus[-1]} button.lstm-reset").click()


def test_the_slide_menu_is_named_and_out_of_the_way_until_it_is_opened(deck: tuple) -> None:
    """reveal.js's menu button is an icon alone and its closed menu sits off the screen: the
    button has a name, and the closed menu is inert (no Tab stop, nothing a screen reader reads)."""
    page, _ = deck
    button = page.locator(".slide-menu-button a")
    assert button.get_attribute("aria-label") == "Slide menu"
    is_inert = "() => document.querySelector('.slide-menu').inert"
    assert page.evaluate(is_inert), "the closed menu is in the page for the keyboard"
    at = current(page)
    button.click()
    page.wait_for_function(f"() => !({is_inert})()")
    assert page.locator(".slide-menu .slide-menu-items li").first.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function(is_inert)
    assert current(page) == at and not page.evaluate("() => Reveal.isOverview()")


def test_no_remote_request_and_no_console_error_over_the_whole_deck(deck: tuple, site_url: str) -> None:
    page, recorder = deck
    for index in range(page.evaluate("() => Reveal.getTotalSlides()")):
        go_to(page, index)
    page.wait_for_load_state("networkidle")
    assert recorder.remote_requests(allowed_prefix=site_url) == [], "the deck asked another host"
    assert site_url + "katex/katex.min.js" in recorder.requests, "KaTeX not from the site's katex/"
    assert recorder.console_errors == []


def _minutes(cell: str) -> int | None:
    found = re.match(r"\**(\d+) min", cell.strip())
    return int(found.group(1)) if found else None


def test_the_teachers_chapter_times_add_up() -> None:
    """Both plans of chapter 12: each time column sums to its total row, and the 90-minute plan
    is the deck's (20, 20, 25, 25)."""
    text = (ROOT / "chapters" / "12-for-teachers.qmd").read_text(encoding="utf-8")
    tables = []
    for block in re.findall(r"((?:^\|.*\|\n)+)\n: [^\n]*\{#(tbl-teacher-[a-z0-9-]+)\}", text, re.M):
        rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
                for line in block[0].splitlines()[2:]]
        tables.append((block[1], rows))
    by_name = dict(tables)
    objectives, class_plan = by_name["tbl-teacher-objectives"], by_name["tbl-teacher-90-minutes"]
    body, total = objectives[:-1], objectives[-1]
    assert total[0] == "**total**"
    full = [_minutes(row[2]) for row in body]
    assert None not in full and sum(full) == _minutes(total[2]) == 360
    short = [_minutes(row[3]) for row in body if _minutes(row[3]) is not None]
    assert short == [20, 20, 25, 25] and sum(short) == _minutes(total[3]) == 90
    parts = {row[0]: _minutes(row[-1]) for row in class_plan[:-1]}
    assert parts == PLAN_MINUTES and _minutes(class_plan[-1][-1]) == 90
    assert "six hours" in text


def test_the_deck_shows_only_the_books_generated_diagrams() -> None:
    from lstm.diagram import static_diagram_names

    generated = set(static_diagram_names().values())
    images = re.findall(r"\]\(([^)\s]+\.(?:svg|png))\)(\{[^}]*\})?", DECK_SOURCE.read_text(encoding="utf-8"))
    assert len(images) >= 5
    for path, attributes in images:
        assert re.search(r'fig-alt="[^"]{40,}"', attributes), f"{path} has no alt text"
        target = (DECK_SOURCE.parent / path).resolve()
        assert target.parent == (ROOT / "images").resolve() and target.name in generated, path
        assert target.exists(), f"{path} does not exist (run tools/make_images.py)"


def test_render_slides_waits_for_a_render_of_the_whole_book(monkeypatch, capsys) -> None:
    """A single chapter's render leaves the deck alone; a relative QUARTO_PYTHON is made absolute
    without resolving the virtual environment's symlink."""
    from conftest import load_tool

    render_slides = load_tool("render_slides")
    monkeypatch.delenv("QUARTO_PROJECT_RENDER_ALL", raising=False)
    assert render_slides.main([]) == 0
    assert "not a render of the whole book" in capsys.readouterr().out
    monkeypatch.setenv("QUARTO_PYTHON", ".venv/bin/python")
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", "/somewhere/_book")
    environment = render_slides.render_environment()
    assert environment["QUARTO_PYTHON"] == str(ROOT / ".venv" / "bin" / "python")
    assert not [name for name in environment if name.startswith("QUARTO_PROJECT_")]
    assert render_slides.DECKS == (DECK_SOURCE.name,)
