"""The book's static pages, tested in a real browser the way a reader uses them.

The pages are built once per test session by ``tools/build_pages.py`` (nbconvert, executed chapters,
``LSTM_BOOK_STATIC=1``) into ``_build/pages`` and opened from disk (``file://``) in Debian's Chromium,
driven by Playwright. Nothing is skipped: without Chromium (``apt-get install -y chromium``) or the
page assets (``npm ci``) these tests fail and say what to install.

Each page is its own test id (``[01-what-is-an-lstm]``...). Screenshots at laptop and projector size
go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_helpers import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    NODE_MODULES,
    PAGES_DIR,
    ROOT,
    SCREENSHOT_DIR,
    SIZES,
    PageRecorder,
    axe_violations,
    dead_control_problems,
    decode_png_data_url,
    explorer_calls,
    explorer_data,
    explorer_wiring_problems,
    heading_problems,
    image_problems,
    load_build_pages,
    math_problems,
    same_picture,
    shown_state,
    wait_until_typeset,
)

build_pages = load_build_pages()
SOURCES = build_pages.read_book_order(ROOT)
PAGE_IDS = [source.stem for source in SOURCES]
SOURCE_BY_ID = dict(zip(PAGE_IDS, SOURCES, strict=True))
EXPLORER_PAGE_IDS = [page_id for page_id in PAGE_IDS if explorer_calls(SOURCE_BY_ID[page_id])]


def html_path(page_id: str) -> Path:
    """Where the build writes a page."""
    source = SOURCE_BY_ID[page_id]
    return PAGES_DIR / source.relative_to(ROOT).with_suffix(".html")


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it "
                    "with `apt-get install -y chromium` (as root), then re-run.")
    return CHROMIUM


@pytest.fixture(scope="session")
def built_book() -> Any:
    """Build every page once per session (a lock keeps pytest-xdist workers from racing)."""
    if not (NODE_MODULES.is_dir() and AXE_SCRIPT.exists()):
        pytest.fail(f"{NODE_MODULES} is missing or incomplete: install the page assets with "
                    f"`npm ci` in {ROOT}, then re-run.")
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    with open(PAGES_DIR.parent / "pages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            result = build_pages.build_pages(PAGES_DIR, verbose=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    print(f"\npages built in {result.seconds:.1f} s into {PAGES_DIR}")
    return result


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_executable),
                                              headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def open_page(browser: Any, built_book: Any) -> Iterator[Callable[[str], tuple[Any, PageRecorder]]]:
    """``open_page(page_id) -> (page, recorder)``: the page loaded at laptop size, once per session."""  # noqa: E501
    opened: dict[str, tuple[Any, PageRecorder]] = {}
    context = browser.new_context(**SIZES["laptop"])

    def open_(page_id: str) -> tuple[Any, PageRecorder]:
        if page_id not in opened:
            path = html_path(page_id)
            assert path.exists(), f"the build wrote no page {path}: {built_book.errors}"
            page = context.new_page()
            recorder = PageRecorder(page)
            page.goto(path.as_uri(), wait_until="load")
            wait_until_typeset(page)
            opened[page_id] = (page, recorder)
        return opened[page_id]

    yield open_
    context.close()


def page_report(built_book: Any, page_id: str) -> Any:
    relative = html_path(page_id).relative_to(PAGES_DIR).as_posix()
    return next(report for report in built_book.pages if report.html == relative)


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_page_builds_and_loads_offline_without_errors(page_id: str, built_book: Any,
                                                      open_page: Callable) -> None:
    report = page_report(built_book, page_id)
    assert report.problems.cell_error is None, report.problems.cell_error
    assert report.problems.widget_outputs == 0, "ipywidgets outputs on a static page"
    assert not report.problems.remote_resources, report.problems.remote_resources
    assert not report.problems.unresolved_references, report.problems.unresolved_references
    page, recorder = open_page(page_id)
    assert recorder.console_errors == []
    assert recorder.remote_requests() == [], "the page asked another site for something"
    assert len(recorder.requests) >= 2, "the page loaded none of its local assets"
    assert page.title() and "None" not in page.title()


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_every_static_explorer_responds(page_id: str, open_page: Callable) -> None:
    page, recorder = open_page(page_id)
    explorers = explorer_data(page)
    calls = explorer_calls(SOURCE_BY_ID[page_id])
    assert len(explorers) == len(calls), (
        f"the chapter calls {len(calls)} explorer(s) ({calls}) but the page shows "
        f"{len(explorers)} static scrubber(s)")
    assert explorer_wiring_problems(page) == []
    assert recorder.console_errors == []


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_stepping_an_explorer_shows_what_lstm_computes(page_id: str, open_page: Callable,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Step each scrubber to a few positions: the picture is the frame ``lstm`` draws for that
    value (same explorer, same parameter value, rendered again here by lstm.static.render_frame).
    """
    import matplotlib
    import matplotlib.pyplot as plt

    import lstm.explorers as explorers_module
    from lstm.static import render_frame
    from lstm.style import apply_book_style

    page, _ = open_page(page_id)
    calls = explorer_calls(SOURCE_BY_ID[page_id])
    explorers = explorer_data(page)
    assert len(explorers) == len(calls)
    monkeypatch.setenv("LSTM_BOOK_STATIC", "0")  # the live explorer object, not its scrubber
    namespace = {name: getattr(explorers_module, name) for name in dir(explorers_module)
                 if name.endswith("_explorer")}
    with matplotlib.rc_context():
        apply_book_style()
        for call, explorer in zip(calls, explorers, strict=True):
            live = eval(call, {"__builtins__": {}}, namespace)  # e.g. step_explorer("forget")
            values = explorer["data"]["values"]
            slider = page.locator(f"#{explorer['id']} input[type=range]")
            try:
                for position in sorted({0, len(values) // 2, len(values) - 1}):
                    slider.fill(str(position))
                    shown = shown_state(page, explorer["id"])
                    assert shown["value"] == position
                    expected = render_frame(live, values[position])
                    assert same_picture(decode_png_data_url(shown["src"]), expected), (
                        f"{explorer['id']} at {explorer['data']['labels'][position]} does not show "
                        f"what {call} draws for {values[position]!r}")
            finally:
                slider.fill(str(explorer["value"]))
                figure = getattr(live, "figure", None)
                if figure is not None:
                    plt.close(figure)


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
def test_every_image_has_real_alt_text(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    assert image_problems(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_headings_are_in_order(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    assert heading_problems(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_axe_finds_no_serious_or_critical_violation(page_id: str, open_page: Callable) -> None:
    page, _ = open_page(page_id)
    assert axe_violations(page) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_screenshots_at_laptop_and_projector_size(page_id: str, browser: Any, built_book: Any,
                                                  capsys: pytest.CaptureFixture) -> None:
    """Full page at laptop size, first screen and each explorer at projector size."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for size_name, size in SIZES.items():
        context = browser.new_context(**size)
        try:
            page = context.new_page()
            page.goto(html_path(page_id).as_uri(), wait_until="load")
            wait_until_typeset(page)
            target = SCREENSHOT_DIR / f"{page_id}-{size_name}.png"
            page.screenshot(path=str(target), full_page=size_name == "laptop")
            written.append(target)
            if size_name == "projector":
                for index, explorer in enumerate(explorer_data(page)):
                    target = SCREENSHOT_DIR / f"{page_id}-{size_name}-explorer{index + 1}.png"
                    page.locator(f"#{explorer['id']}").screenshot(path=str(target))
                    written.append(target)
        finally:
            context.close()
    from PIL import Image

    for target in written:
        with Image.open(target) as image:
            assert image.width >= 300 and image.height >= 200, f"{target} is {image.size}"
            colours = image.convert("L").getextrema()
            assert colours[1] - colours[0] > 50, f"{target} is blank"
    with capsys.disabled():
        print(f"\nscreenshots of {page_id}: {SCREENSHOT_DIR}")
