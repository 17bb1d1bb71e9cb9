"""Every page of the Quarto site, checked in Chromium the way a reader uses it.

The site is the real Quarto render served on loopback (tests/site_fixtures.py). Each page is its
own test id (``[01-what-is-an-lstm]``, ...): its explorers are drawn and ready, the keyboard
reaches the first one, no control is dead, every equation is typeset by KaTeX with no raw TeX
left, the headings do not skip a level, and screenshots at laptop and projector size (light and
dark) are not blank; they go to ``test-artifacts/screenshots/`` for a look by eye. The last test
makes sure the checks themselves find what is wrong with a page built to be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pages_helpers import (
    PAGE_IDS,
    SCREENSHOT_DIR,
    SIZES,
    SOURCE_BY_ID,
    PageRecorder,
    axe_violations,
    dead_control_problems,
    explorer_calls,
    explorer_data,
    explorer_wiring_problems,
    heading_problems,
    image_problems,
    math_problems,
    show_colour_scheme,
    tab_stops_before_first_slider,
    wait_until_typeset,
)
from site_fixtures import page_path

EXPLORER_PAGE_IDS = [page_id for page_id in PAGE_IDS if explorer_calls(SOURCE_BY_ID[page_id])]


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_every_explorer_is_drawn_and_ready(page_id: str, open_page: Callable) -> None:
    page, recorder = open_page(page_id)
    calls = explorer_calls(SOURCE_BY_ID[page_id])
    shown = page.evaluate(
        "() => document.querySelectorAll('figure.lstm-static-explorer').length")
    assert shown == len(calls), (
        f"the chapter calls {len(calls)} explorer(s) ({calls}) but the page shows {shown}")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("figure.lstm-live-explorer"))
            .every(f => f.dataset.state === "ready")""", timeout=20000)
    assert explorer_wiring_problems(page) == []  # PNG scrubbers, if any (none today)
    assert recorder.console_errors == []


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_keyboard_reaches_the_first_explorer(page_id: str, open_page: Callable, site_url: str) -> None:
    """A keyboard reader gets to the first slider with Tab, passing only links, buttons,
    scrollable outputs and earlier controls on the way, and every focusable area that is not a
    control (a collapsed callout's title is a button) scrolls."""
    shared_page, _ = open_page(page_id)
    page = shared_page.context.new_page()  # a fresh load: no focus left by other tests
    try:
        page.goto(site_url + page_path(page_id), wait_until="load")
        wait_until_typeset(page)
        page.wait_for_selector("figure.lstm-static-explorer input[type=range]")
        presses, visited = tab_stops_before_first_slider(page, limit=400)
        assert presses is not None, f"Tab never reached an explorer's slider; visited {visited[:20]}"
        stops_allowed = page.evaluate(
            """() => {
                const all = Array.from(document.querySelectorAll(
                    "a[href], [tabindex='0'], input, select, button, textarea, summary"));
                const slider = document.querySelector(
                    "figure.lstm-static-explorer input[type=range]");
                return all.filter(e => e.compareDocumentPosition(slider)
                    & Node.DOCUMENT_POSITION_FOLLOWING).length + 1;
            }""")
        assert presses <= stops_allowed
        not_scrollable = page.evaluate(
            """() => Array.from(document.querySelectorAll("#quarto-document-content [tabindex='0']"))
                .filter(e => e.getAttribute("role") !== "button" && e.getClientRects().length > 0
                    && e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1)
                .map(e => e.outerHTML.slice(0, 120))""")
        assert not_scrollable == [], f"focusable areas that do not scroll: {not_scrollable}"
    finally:
        page.close()


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_no_dead_control(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    assert dead_control_problems(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_equations_are_typeset(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    source_text = SOURCE_BY_ID[page_id].read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", source_text, flags=re.DOTALL)
    assert math_problems(page, expects_math="$" in prose) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_headings_are_in_order(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    assert heading_problems(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_screenshots_at_laptop_and_projector_size(page_id: str, browser: Any, site_url: str,
                                                  capsys: pytest.CaptureFixture) -> None:
    """The full page at laptop size in light and dark; the first screen and each explorer at
    projector size."""
    from PIL import Image

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for size_name, size in SIZES.items():
        for scheme in ("light", "dark") if size_name == "laptop" else ("light",):
            context = browser.new_context(**size, color_scheme=scheme)
            try:
                page = context.new_page()
                page.goto(site_url + page_path(page_id), wait_until="load")
                page.wait_for_load_state("networkidle")
                wait_until_typeset(page)
                show_colour_scheme(page, scheme)   # Quarto opens in light whatever the browser prefers
                target = SCREENSHOT_DIR / f"{page_id}-{size_name}-{scheme}.png"
                page.screenshot(path=str(target), full_page=size_name == "laptop")
                written.append(target)
                if size_name == "projector":
                    figures = page.locator("figure.lstm-static-explorer")
                    for index in range(figures.count()):
                        target = SCREENSHOT_DIR / f"{page_id}-{size_name}-explorer{index + 1}.png"
                        figures.nth(index).screenshot(path=str(target))
                        written.append(target)
            finally:
                context.close()
    for target in written:
        with Image.open(target) as image:
            assert image.width >= 300 and image.height >= 200, f"{target} is {image.size}"
            darkest, lightest = image.convert("L").getextrema()
            assert lightest - darkest > 50, f"{target} is blank"
    with capsys.disabled():
        print(f"\nscreenshots of {page_id}: {SCREENSHOT_DIR}")


# --------------------------------------------------------------------------------------------------
# The checks themselves: they must fail when a page is wrong.
# --------------------------------------------------------------------------------------------------
BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<script src="http://127.0.0.1:9/remote.js"></script></head><body>
<main id="quarto-document-content">
<h1>Broken page</h1><h3>Skipped a level</h3>
<p>Raw math left: $$ f_t = \\sigma(z) $$</p>
<p>A KaTeX error: <span class="katex-error" title="ParseError: Undefined control sequence">\\sgima</span></p>
<img src="data:image/png;base64,{png}" alt="No description has been provided for this image">
<img src="data:image/png;base64,{png}">
<input type="range" aria-label="a slider wired to nothing">
<figure class="lstm-static-explorer" id="stuck">
<img class="lstm-frame" src="data:image/png;base64,{png}" alt="frame">
<div class="lstm-static-controls"><input id="stuck-slider" type="range" min="0" max="1" value="0">
<output for="stuck-slider">x</output></div>
<script type="application/json" class="lstm-frames">{{"parameter": "x", "values": [0, 1],
"labels": ["x = 0", "x = 1"], "alts": ["frame", "frame"],
"frames": ["data:image/png;base64,{png}", "data:image/png;base64,{png}"]}}</script>
</figure>
<p style="color:#bbbbbb">Low contrast text.</p>
</main></body></html>
"""


def test_checks_fail_on_a_broken_page(browser: Any, tmp_path: Path) -> None:
    """Each reader check finds what is wrong with a page made to be wrong in every way."""
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, format="PNG")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    page_file = tmp_path / "broken.html"
    page_file.write_text(BROKEN_PAGE.format(png=png), encoding="utf-8")
    context = browser.new_context(**SIZES["laptop"])
    try:
        page = context.new_page()
        recorder = PageRecorder(page)
        page.goto(page_file.as_uri(), wait_until="load")
        assert recorder.remote_requests() == ["http://127.0.0.1:9/remote.js"]
        assert recorder.console_errors, "the failed remote script was not reported"
        dead = dead_control_problems(page)
        assert any("outside any static explorer" in problem for problem in dead)
        assert any("did not change the figure" in problem for problem in dead)
        assert explorer_data(page) and any(
            "identical" in problem for problem in explorer_wiring_problems(page))
        images = image_problems(page)
        assert any("placeholder" in problem for problem in images)
        assert any("without alt" in problem for problem in images)
        math = math_problems(page, expects_math=True)
        assert any("raw TeX" in problem for problem in math)
        assert any("KaTeX error" in problem for problem in math)
        assert any("h1 to h3" in problem for problem in heading_problems(page))
        assert any("color-contrast" in violation for violation in axe_violations(page))
    finally:
        context.close()
