"""The book's static pages, tested in a real browser the way a reader uses them.

The pages are built once per test session by ``tools/build_pages.py`` (nbconvert, executed chapters,
``LSTM_BOOK_STATIC=1``) into ``_build/pages`` and opened from disk (``file://``) in Debian's Chromium,
driven by Playwright. Nothing is skipped: without Chromium (``apt-get install -y chromium``) or the
page assets (``npm ci``) these tests fail and say what to install.

Each page is its own test id (``[01-what-is-an-lstm]``...). Screenshots at laptop and projector size
go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from conftest import load_make_notebooks
from pages_helpers import (
    AXE_SCRIPT,
    NODE_MODULES,
    PAGES_DIR,
    ROOT,
    SCREENSHOT_DIR,
    SIZES,
    PageRecorder,
    axe_violations,
    dead_control_problems,
    explorer_calls,
    explorer_data,
    explorer_wiring_problems,
    heading_problems,
    image_problems,
    load_build_pages,
    math_problems,
    tab_stops_before_first_slider,
    wait_until_typeset,
)

build_pages = load_build_pages()
SOURCES = build_pages.read_book_order(ROOT)
PAGE_IDS = [source.stem for source in SOURCES]
SOURCE_BY_ID = dict(zip(PAGE_IDS, SOURCES, strict=True))
PAGE_WEIGHT_LIMIT_BYTES = 5_000_000  # issue 6: keep the largest page under 5 MB
EXPLORER_PAGE_IDS = [page_id for page_id in PAGE_IDS if explorer_calls(SOURCE_BY_ID[page_id])]


def html_path(page_id: str) -> Path:
    """Where the build writes a page."""
    source = SOURCE_BY_ID[page_id]
    return PAGES_DIR / source.relative_to(ROOT).with_suffix(".html")


@pytest.fixture(scope="session")
def built_book() -> Any:
    """Build every page once per session (build_pages locks the folder: xdist workers wait)."""
    if not (NODE_MODULES.is_dir() and AXE_SCRIPT.exists()):
        pytest.fail(f"{NODE_MODULES} is missing or incomplete: install the page assets with "
                    f"`npm ci` in {ROOT}, then re-run.")
    result = build_pages.build_pages(PAGES_DIR, verbose=True)  # locked against parallel builds
    print(f"\npages built in {result.seconds:.1f} s into {PAGES_DIR}")
    return result


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
    loaded = {Path(unquote(urlparse(url).path)) for url in recorder.requests
              if url.startswith("file://")}
    weight = sum(path.stat().st_size for path in loaded if path.is_file())
    assert weight < PAGE_WEIGHT_LIMIT_BYTES, f"the page loads {weight / 1e6:.2f} MB"
    assert page.title() and "None" not in page.title()
    downloads = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[download]')).map(a => a.href)")
    if SOURCE_BY_ID[page_id].parent.name == "chapters":
        expected = f"notebooks/{page_id}.ipynb"
        assert any(url.endswith(expected) for url in downloads), "no notebook download link"
    for url in downloads:
        notebook_file = Path(unquote(urlparse(url).path))
        assert notebook_file.is_file(), f"download link to a missing file {notebook_file}"
        notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4 and notebook["cells"], f"{notebook_file} is no notebook"


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_every_static_explorer_responds(page_id: str, open_page: Callable) -> None:
    page, recorder = open_page(page_id)
    calls = explorer_calls(SOURCE_BY_ID[page_id])
    shown = page.evaluate(
        "() => document.querySelectorAll('figure.lstm-static-explorer').length")
    assert shown >= len(calls), (
        f"the chapter calls {len(calls)} explorer(s) ({calls}) but the page shows "
        f"{shown} static explorer(s)")
    live = page.evaluate("() => Array.from(document.querySelectorAll("
                         "'figure.lstm-live-explorer')).map(f => f.dataset.state)")
    assert all(state == "ready" for state in live), live
    assert explorer_wiring_problems(page) == []  # the PNG scrubbers (tests/test_live_pages.py: the live ones)
    assert recorder.console_errors == []


@pytest.mark.parametrize("page_id", EXPLORER_PAGE_IDS)
def test_keyboard_reaches_the_first_explorer(page_id: str, open_page: Callable) -> None:
    """A keyboard reader gets to the first slider with Tab, passing only links, scrollable code
    and earlier sliders on the way (not every cell of the page)."""
    shared_page, _ = open_page(page_id)
    page = shared_page.context.new_page()  # a fresh load: no focus left by other tests
    page.goto(html_path(page_id).as_uri(), wait_until="load")
    wait_until_typeset(page)
    presses, visited = tab_stops_before_first_slider(page)
    assert presses is not None, f"Tab never reached an explorer's slider; visited {visited[:20]}"
    stops_allowed = page.evaluate(
        """(count) => {
            const all = Array.from(document.querySelectorAll(
                "a[href], [tabindex='0'], input, select, button, textarea, summary"));
            const slider = document.querySelector("figure.lstm-static-explorer input[type=range]");
            return all.filter(e => e.compareDocumentPosition(slider)
                & Node.DOCUMENT_POSITION_FOLLOWING).length + 1;
        }""", None)
    assert presses <= stops_allowed
    not_scrollable = page.evaluate(
        """() => Array.from(document.querySelectorAll("[tabindex='0']")).filter(e =>
            e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1).length""")
    page.close()
    assert not_scrollable == 0, f"{not_scrollable} focusable areas that do not scroll"


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


# --------------------------------------------------------------------------------------------------
# The build and the checks themselves: they must fail when a page is wrong.
# --------------------------------------------------------------------------------------------------

SMALL_BOOK = {
    "_quarto.yml": """project:
  type: book
book:
  chapters:
    - index.qmd
    - chapters/01-raises.qmd
    - chapters/02-widget.qmd
    - chapters/03-quarto-syntax.qmd
""",
    "index.qmd": "# Preface {.unnumbered}\n\nSee @sec-syntax and @eq-sum.\n",
    "chapters/01-raises.qmd": "# Raises {#sec-raises}\n\n```{python}\n1 / 0\n```\n",
    "chapters/02-widget.qmd": (
        "# Widget {#sec-widget}\n\n```{python}\nimport ipywidgets\nipywidgets.IntSlider()\n```\n"),
    "chapters/03-quarto-syntax.qmd": """# Quarto syntax {#sec-syntax}

```{python}
#| include: false
HIDDEN_SETUP_MARKER = 1
```

```{python}
answer = 6 * 7
```

The sum is @eq-sum; its picture is @fig-line. In [-@eq-sum] only the number.
The answer is `{python} answer`, an eighth of it `{python} f"{answer / 8:.2f}"`; the code
`` `{python} answer` `` in a code span is left alone.

$$
s = a + b
$$ {#eq-sum}

## A section {#sec-part}

```{python}
#| label: fig-line
#| fig-cap: "A rising line."
#| fig-alt: "A straight line rising from bottom left to top right."
import matplotlib.pyplot as plt
figure, axes = plt.subplots(figsize=(3, 2))
axes.plot([0, 1], [0, 1])
plt.show()
```

```{python}
#| echo: false
print("ECHO_FALSE_OUTPUT")
```

::: {.callout-tip collapse="true"}
## Solution

Inside the solution.

```{python}
print("CODE_IN_SOLUTION")
```

Still inside.
:::

Outside again, after @sec-part.
""",
}


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    if not NODE_MODULES.is_dir():
        pytest.fail(f"{NODE_MODULES} is missing: run `npm ci` in {ROOT}")
    root = tmp_path_factory.mktemp("small-book")
    for name, text in SMALL_BOOK.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = build_pages.build_pages(root / "_build", root=root, verbose=False)
    return root, result


def _png(image: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _pixels(data: bytes) -> Any:
    import io

    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_line_figures_shrink_to_a_palette_within_a_few_levels() -> None:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 3), dpi=100)
    for shift in range(4):
        axes.plot(range(50), [((k * (shift + 3)) % 17) / (shift + 1) for k in range(50)], label=str(shift))
    axes.legend()
    axes.set_title("four wiggly lines")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    original = buffer.getvalue()
    compressed = build_pages.compress_png(original)
    assert len(compressed) < 0.6 * len(original)
    error = abs(_pixels(compressed) - _pixels(original))
    assert error.max() <= build_pages.PNG_PALETTE_MAX_ERROR
    assert error.mean() <= build_pages.PNG_PALETTE_MAX_MEAN_ERROR
    assert build_pages.compress_png(compressed) == compressed  # already a palette: unchanged


def test_smooth_gradients_and_transparency_keep_every_colour() -> None:
    import numpy as np
    from PIL import Image

    ramp = np.stack(np.meshgrid(np.arange(256), np.arange(256)), axis=-1)
    smooth = Image.fromarray(np.dstack([ramp, (ramp[..., :1] + ramp[..., 1:]) // 2]).astype(np.uint8), "RGB")
    original = _png(smooth)
    compressed = build_pages.compress_png(original)
    assert (_pixels(compressed) == _pixels(original)).all()  # 65536 colours: no palette, lossless
    transparent = Image.new("RGBA", (20, 20), (10, 20, 30, 128))
    assert build_pages.compress_png(_png(transparent)) == _png(transparent)


def test_compress_figures_rewrites_png_outputs_and_caches_them(tmp_path: Path) -> None:
    import base64

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(image).line([(0, 0), (200, 100)], fill=(0, 114, 178), width=3)
    original = _png(image)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={
            "image/png": base64.b64encode(original).decode(), "text/plain": "<Figure>"})])])
    before, after = build_pages.compress_figures(notebook, tmp_path / "png")
    encoded = notebook.cells[0].outputs[0]["data"]["image/png"]
    assert before == len(original) and after == len(base64.b64decode(encoded)) <= before
    error = abs(_pixels(base64.b64decode(encoded)) - _pixels(original))
    assert error.max() <= build_pages.PNG_PALETTE_MAX_ERROR
    assert [path.read_bytes() for path in (tmp_path / "png").iterdir()] == [base64.b64decode(encoded)]


def test_build_reports_a_raising_cell_and_a_widget(small_book: tuple[Path, Any]) -> None:
    root, result = small_book
    raised = next(page for page in result.pages if page.source == "chapters/01-raises.qmd")
    assert raised.problems.cell_error and "ZeroDivisionError" in raised.problems.cell_error
    widget = next(page for page in result.pages if page.source == "chapters/02-widget.qmd")
    assert widget.problems.widget_outputs == 1
    assert not result.ok
    assert any("ZeroDivisionError" in error for error in result.errors)
    assert any("ipywidgets" in error for error in result.errors)
    # The command line exits with status 1 (a cell raised).
    assert build_pages.main(["--out", str(root / "_build"), "--root", str(root)]) == 1


def test_build_turns_quarto_syntax_into_html(small_book: tuple[Path, Any]) -> None:
    from bs4 import BeautifulSoup

    root, result = small_book
    page = root / "_build" / "chapters" / "03-quarto-syntax.html"
    text = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, features="html.parser")
    assert "HIDDEN_SETUP_MARKER" not in text, "include: false cell was shown"
    assert "#|" not in soup.get_text(), "cell options were shown"
    assert "ECHO_FALSE_OUTPUT" in text and 'print("ECHO_FALSE_OUTPUT")' not in soup.get_text()
    heading = soup.select_one("h1#sec-syntax")
    assert heading is not None and "{#" not in heading.get_text()
    assert soup.select_one("h2#sec-part") is not None
    assert soup.select_one("#eq-sum") is not None and "\\tag{3.1}" in text
    figure = soup.select_one("figure#fig-line")
    assert figure is not None
    assert figure.img["alt"] == "A straight line rising from bottom left to top right."
    assert figure.figcaption.get_text() == "Figure 3.1: A rising line."
    links = {a.get_text(): a["href"] for a in soup.select("a[href]")}
    assert links["Equation 3.1"] == "#eq-sum" and links["Figure 3.1"] == "#fig-line"
    assert links["3.1"] == "#eq-sum"
    assert links["Section 3.1"] == "#sec-part"
    solution = soup.select_one("details.callout-tip")
    assert solution is not None and solution.summary.get_text() == "Solution"
    assert "CODE_IN_SOLUTION" in solution.get_text() and "Still inside." in solution.get_text()
    assert "Outside again" not in solution.get_text()
    assert ":::" not in soup.get_text()
    index = BeautifulSoup((root / "_build" / "index.html").read_text(encoding="utf-8"),
                          features="html.parser")
    index_links = {a.get_text(): a["href"] for a in index.select("a[href]")}
    assert index_links["Chapter 3"] == "chapters/03-quarto-syntax.html#sec-syntax"
    assert index_links["Equation 3.1"] == "chapters/03-quarto-syntax.html#eq-sum"
    assert (root / "_build" / "notebooks" / "03-quarto-syntax.ipynb").exists()
    assert build_pages.remote_resources(text) == []


def test_inline_code_shows_the_value_on_the_page_and_in_the_notebook(
        small_book: tuple[Path, Any]) -> None:
    """Quarto inline code is evaluated after the cells before it, on the page and in the notebook."""
    from bs4 import BeautifulSoup

    root, _ = small_book
    page = root / "_build" / "chapters" / "03-quarto-syntax.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), features="html.parser")
    text = " ".join(soup.get_text().split())
    assert "The answer is 42, an eighth of it 5.25;" in text
    assert "`{python} answer`" in text  # the one inside a double-backtick code span
    notebook_file = root / "_build" / "notebooks" / "03-quarto-syntax.ipynb"
    notebook = nbformat.read(notebook_file, as_version=4)
    tools = load_make_notebooks()
    executed = tools.execute_notebook(notebook, root / "chapters", static=True, timeout=120)
    shown = [output["data"]["text/markdown"] for cell in executed.cells
             if cell.cell_type == "code" for output in cell.outputs
             if "text/markdown" in output.get("data", {})]
    assert len(shown) == 1 and "The answer is 42, an eighth of it 5.25;" in shown[0]
    assert "`{python}" not in "".join(cell.source for cell in executed.cells
                                      if cell.cell_type == "markdown").replace(
        "`` `{python} answer` ``", "")


BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<script src="http://127.0.0.1:9/remote.js"></script></head><body><main>
<h1>Broken page</h1><h3>Skipped a level</h3>
<p>Raw math left: $$ f_t = \\sigma(z) $$</p>
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
        wiring = explorer_wiring_problems(page)
        assert any("identical" in problem for problem in wiring)
        images = image_problems(page)
        assert any("placeholder" in problem for problem in images)
        assert any("without alt" in problem for problem in images)
        assert any("raw TeX" in problem for problem in math_problems(page, expects_math=True))
        assert any("MathJax typeset nothing" in problem
                   for problem in math_problems(page, expects_math=True))
        assert any("h1 to h3" in problem for problem in heading_problems(page))
        assert any("color-contrast" in violation for violation in axe_violations(page))
    finally:
        context.close()


def test_quarto_renders_execute_with_the_static_switch() -> None:
    """``quarto render`` reads ``_environment`` and passes its variables to the Jupyter kernel
    (quarto.org, "Environment Variables"): it must switch the explorers to their static form."""
    from lstm.explorers.static import STATIC_ENVIRONMENT_VARIABLE

    lines = (ROOT / "_environment").read_text(encoding="utf-8").splitlines()
    settings = dict(line.split("=", 1) for line in lines
                    if line.strip() and not line.lstrip().startswith("#"))
    assert settings.get(STATIC_ENVIRONMENT_VARIABLE, "").strip().strip('"') == "1"
    assert build_pages.STATIC_ENV == {STATIC_ENVIRONMENT_VARIABLE: "1"}
