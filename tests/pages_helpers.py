"""Checks that a reader would make on a page of the website, for the browser tests.

The pages are the Quarto site's (``tests/site_fixtures.py`` renders and serves it; the page
checks are in ``tests/test_site_pages.py``, the live explorers' in ``tests/test_live_pages.py``).

Every ``*_problems`` function takes a Playwright page that has finished loading and returns a list of
human-readable problems (empty when the page is fine), so a failing test says what is wrong.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"
LOCAL_URL = re.compile(r"^(file://|data:|about:blank)")
RAW_TEX = re.compile(r"\$\$|\\(begin|end|frac|sigma|tilde|odot|left|right|mathrm|cdot)\b")
SIZES = {
    "laptop": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    "projector": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1.5},
}


def book_pages(root: Path = ROOT) -> list[Path]:
    """The book's page sources in ``_quarto.yml`` order: ``book: chapters:`` (the index first),
    then ``book: appendices:``."""
    import yaml

    book = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    listed = [*book["chapters"], *book.get("appendices", [])]
    return [root / entry for entry in listed]


BOOK_PAGES = book_pages()
#: A page's id is its file name without the suffix (``"03-forget-gate"``, ``"index"``).
PAGE_IDS = [source.stem for source in BOOK_PAGES]
SOURCE_BY_ID = dict(zip(PAGE_IDS, BOOK_PAGES, strict=True))


class PageRecorder:
    """Console errors, uncaught exceptions and every request a page makes."""

    def __init__(self, page: Any) -> None:
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.console_errors.append(
            f"request failed: {request.url[:120]} ({request.failure})"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"console error: {message.text}")

    def remote_requests(self, allowed_prefix: str | None = None) -> list[str]:
        """Requests to anything but local files, data URLs (or ``allowed_prefix``)."""
        return [url for url in self.requests
                if not LOCAL_URL.match(url)
                and not (allowed_prefix and url.startswith(allowed_prefix))]


def wait_until_typeset(page: Any, timeout_ms: int = 30000) -> None:
    """Wait until KaTeX has typeset every ``span.math`` of the page (Quarto's math markup)."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("span.math"))
            .every(e => e.querySelector(".katex, .katex-error"))""",
        timeout=timeout_ms,
    )


def explorer_data(page: Any) -> list[dict[str, Any]]:
    """For each PNG scrubber on the page (explorers with no browser port): id, slider state,
    shown frame and its frame table. The live widgets are tested by tests/test_live_pages.py."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            "figure.lstm-static-explorer:not(.lstm-live-explorer)")).map(f => {
            const slider = f.querySelector("input[type=range]");
            const data = f.querySelector("script.lstm-frames");
            const image = f.querySelector("img.lstm-frame");
            const output = f.querySelector("output");
            return {
                id: f.id,
                min: slider ? Number(slider.min) : null,
                max: slider ? Number(slider.max) : null,
                value: slider ? Number(slider.value) : null,
                src: image ? image.src : null,
                alt: image ? image.alt : null,
                output: output ? output.textContent : null,
                valuetext: slider ? slider.getAttribute("aria-valuetext") : null,
                data: data ? JSON.parse(data.textContent) : null,
            };
        })"""
    )


def shown_state(page: Any, explorer_id: str) -> dict[str, Any]:
    """Slider value, image src/alt and output text of one explorer, as the reader sees it now."""
    return page.evaluate(
        """(id) => {
            const f = document.getElementById(id);
            const slider = f.querySelector("input[type=range]");
            const image = f.querySelector("img.lstm-frame");
            const output = f.querySelector("output");
            return {value: Number(slider.value), src: image.src, alt: image.alt,
                    output: output ? output.textContent : null,
                    valuetext: slider.getAttribute("aria-valuetext")};
        }""",
        explorer_id,
    )


def explorer_wiring_problems(page: Any) -> list[str]:
    """Move every explorer's slider with the keyboard and check the figure follows.

    For each explorer: Home shows frame 0, End shows the last frame, ArrowLeft steps back one,
    and every time the image, its alt text, the ``<output>`` and ``aria-valuetext`` are exactly
    the frame table's entries for the slider's new position.
    """
    problems = []
    for explorer in explorer_data(page):
        name = explorer["id"] or "(explorer without id)"
        data = explorer["data"]
        if data is None or explorer["max"] is None:
            problems.append(f"{name}: no frame table or no range input")
            continue
        frames = data["frames"]
        if len(frames) != explorer["max"] - explorer["min"] + 1:
            problems.append(f"{name}: {len(frames)} frames for a slider "
                            f"{explorer['min']}..{explorer['max']}")
            continue
        if len(set(frames)) < 2:
            problems.append(f"{name}: all frames are identical, moving the slider changes nothing")
        if explorer["src"] != frames[explorer["value"]]:
            problems.append(f"{name}: initial image is not frame {explorer['value']}")
        slider = page.locator(f"#{explorer['id']} input[type=range]")
        slider.scroll_into_view_if_needed()
        slider.focus()
        before = explorer["src"]
        for key, expected in (("Home", 0), ("End", len(frames) - 1),
                              ("ArrowLeft", len(frames) - 2)):
            page.keyboard.press(key)
            state = shown_state(page, explorer["id"])
            if state["value"] != expected:
                problems.append(f"{name}: after {key} the slider is at {state['value']}, "
                                f"expected {expected}")
                continue
            if state["src"] != frames[expected]:
                problems.append(f"{name}: after {key} the image is not frame {expected}")
            if state["alt"] != data["alts"][expected]:
                problems.append(f"{name}: after {key} the alt text is {state['alt']!r}, expected "
                                f"{data['alts'][expected]!r}")
            if state["output"] != data["labels"][expected]:
                problems.append(f"{name}: after {key} the output reads {state['output']!r}, "
                                f"expected {data['labels'][expected]!r}")
            if state["valuetext"] != data["labels"][expected]:
                problems.append(f"{name}: after {key} aria-valuetext is {state['valuetext']!r}")
        if shown_state(page, explorer["id"])["src"] == before and frames[-2] != before:
            problems.append(f"{name}: the image never changed while the slider moved")
        # Leave it where the reader found it.
        slider.fill(str(explorer["value"]))
    return problems


def dead_control_problems(page: Any) -> list[str]:
    """Controls that do nothing: anything operable in the chapter's text outside an explorer
    (Quarto's own buttons aside: code-copy copies a cell, code-tools shows the chapter's source),
    ipywidgets, or a control inside an explorer whose change leaves the figure as it was.
    Quarto's navigation, search and colour-scheme toggle sit outside ``#quarto-document-content``."""
    outside = page.evaluate(
        """() => Array.from(document.querySelectorAll("#quarto-document-content :is("
                + "input, select, button, textarea, [role=slider], [contenteditable=true])"))
            .filter(e => !e.closest("figure.lstm-static-explorer")
                && !e.matches("button.code-copy-button, #quarto-code-tools-source"))
            .map(e => e.outerHTML.slice(0, 160))"""
    )
    problems = [f"control outside any static explorer: {html}" for html in outside]
    widgets = page.evaluate(
        """() => document.querySelectorAll('.jupyter-widgets, .widget-slider, '
            + 'script[type="application/vnd.jupyter.widget-view+json"], '
            + 'script[type="application/vnd.jupyter.widget-state+json"]').length"""
    )
    if widgets:
        problems.append(f"{widgets} ipywidgets element(s) on a static page (no kernel drives them)")
    for explorer in explorer_data(page):
        controls = page.locator(f"#{explorer['id']} input, #{explorer['id']} select, "
                                f"#{explorer['id']} button")
        for index in range(controls.count()):
            control = controls.nth(index)
            kind = control.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            before = shown_state(page, explorer["id"])["src"]
            if kind == "input:range":
                current = int(control.input_value())
                target = explorer["min"] if current != explorer["min"] else explorer["max"]
                control.fill(str(target))
            elif kind.startswith("select"):
                options = control.evaluate("e => Array.from(e.options).map(o => o.value)")
                current = control.input_value()
                other = next((value for value in options if value != current), None)
                if other is None:
                    problems.append(f"{explorer['id']}: a select with a single option")
                    continue
                control.select_option(other)
            else:
                control.click()
            after = shown_state(page, explorer["id"])["src"]
            if after == before:
                problems.append(f"{explorer['id']}: changing its {kind} did not change the figure")
            if kind == "input:range":
                control.fill(str(explorer["value"]))
    return problems


def math_problems(page: Any, expects_math: bool) -> list[str]:
    """Equations typeset by KaTeX and no raw TeX left in the text a reader sees."""
    typeset = page.evaluate("() => document.querySelectorAll('.katex').length")
    problems = []
    if expects_math and typeset == 0:
        problems.append("the chapter has math but KaTeX typeset nothing")
    errors = page.evaluate(
        "() => Array.from(document.querySelectorAll('.katex-error')).map(e => e.title || e.textContent)")
    problems += [f"KaTeX error: {text}" for text in errors]
    visible_text = page.evaluate(
        """() => {
            const clone = document.body.cloneNode(true);
            clone.querySelectorAll("script, style, pre, code, .katex-mathml").forEach(e => e.remove());
            return clone.textContent;
        }"""
    )
    for match in RAW_TEX.finditer(visible_text):
        context = visible_text[max(0, match.start() - 40): match.end() + 40].replace("\n", " ")
        problems.append(f"raw TeX visible: ...{context}...")
    return problems


def image_problems(page: Any) -> list[str]:
    """Every image has a real alt text (not empty, not nbconvert's placeholder)."""
    images = page.evaluate(
        """() => Array.from(document.images).map(i => ({
            alt: i.getAttribute("alt"), src: (i.getAttribute("src") || "").slice(0, 80),
            hidden: i.getAttribute("aria-hidden") === "true" || i.getAttribute("role") === "presentation"
        }))"""  # noqa: E501
    )
    problems = []
    for image in images:
        if image["hidden"]:
            continue
        alt = (image["alt"] or "").strip()
        if not alt:
            problems.append(f"image without alt text: {image['src']}")
        elif alt == NBCONVERT_PLACEHOLDER_ALT:
            problems.append(f"image with nbconvert's placeholder alt text: {image['src']}")
    return problems


def heading_problems(page: Any) -> list[str]:
    """In the page's main content: an h1 first, at most one h1 in the text besides the title
    block's (the book's index has both the book's title and its preface's heading), and no
    heading level skipped going down (h2 -> h4). Hidden headings (a closed dialog, the notebook
    box shown only on narrow screens) and the navigation around the content are not counted."""
    headings = page.evaluate(
        """() => Array.from((document.querySelector("main") || document.body)
                .querySelectorAll("h1, h2, h3, h4, h5, h6"))
            .filter(h => h.getClientRects().length > 0)
            .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60),
                       !!h.closest("#title-block-header, .quarto-title-block")])"""
    )
    if not headings:
        return ["the page has no heading"]
    problems = []
    if headings[0][0] != 1:
        problems.append(f"first heading is h{headings[0][0]} ({headings[0][1]!r}), not h1")
    if sum(1 for level, _, in_title in headings if level == 1 and not in_title) > 1:
        problems.append("the page's text has more than one h1")
    for (previous, _, _), (level, text, _) in zip(headings, headings[1:], strict=False):
        if level > previous + 1:
            problems.append(f"heading level skips from h{previous} to h{level} at {text!r}")
    return problems


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts, one line per rule with a few targets."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: "
                    + (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 200))}));
        }"""
    )
    return [f"{v['impact']}: {v['id']} ({v['help']}): {v['targets']}"
            for v in results if v["impact"] in impacts]


#: Every impact axe-core gives a finding, from least to most severe.
AXE_IMPACTS = ("minor", "moderate", "serious", "critical")


def scrolling_boxes(page: Any) -> list[dict[str, Any]]:
    """Every box of the page's content (``main``, or a deck's slides) that scrolls: its
    ``overflow`` is auto or scroll and it has more to show than fits.

    Returns
    -------
    list of dict
        ``{"element", "box", "sideways", "takes_focus", "holds_focus", "name"}``: the element (a
        Playwright ElementHandle), a short description (tag, id, classes), whether it scrolls
        sideways, whether Tab stops on the box itself, whether it holds something Tab stops on (a
        code block's copy button), and its ``aria-label``.
    """
    found = page.evaluate_handle(
        """() => {
            const content = document.querySelector("main") || document.querySelector(".reveal .slides");
            return Array.from(content ? content.querySelectorAll("*") : []).filter(e => {
                if (e.closest("svg")) { return false; }
                const style = getComputedStyle(e);
                return /auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1
                    || /auto|scroll/.test(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
            });
        }"""
    )
    boxes = []
    for handle in found.get_properties().values():
        element = handle.as_element()
        box = element.evaluate(
            """(e) => ({
                box: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                    + (e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : ""),
                sideways: e.scrollWidth > e.clientWidth + 1
                    && /auto|scroll/.test(getComputedStyle(e).overflowX),
                takes_focus: e.tabIndex >= 0 && e.hasAttribute("tabindex"),
                holds_focus: Array.from(e.querySelectorAll(
                    "a[href], button, input, select, textarea, [tabindex]"))
                    .some(inner => inner.tabIndex >= 0),
                name: e.getAttribute("aria-label"),
            })"""
        )
        boxes.append({"element": element, **box})
    found.dispose()
    return boxes


def decode_png_data_url(url: str) -> bytes:
    """The PNG file inside a ``data:image/png;base64,`` URL."""
    prefix = "data:image/png;base64,"
    if not url.startswith(prefix):
        raise ValueError(f"url must be a PNG data URL; got {url[:40]!r}")
    return base64.b64decode(url[len(prefix):])


def same_picture(first_png: bytes, second_png: bytes) -> bool:
    """True if two PNG files are byte-identical or decode to exactly the same pixels."""
    if first_png == second_png:
        return True
    import numpy as np
    from PIL import Image

    first = np.asarray(Image.open(io.BytesIO(first_png)).convert("RGBA"))
    second = np.asarray(Image.open(io.BytesIO(second_png)).convert("RGBA"))
    return first.shape == second.shape and bool(np.array_equal(first, second))


def explorer_calls(chapter_source: Path) -> list[str]:
    """The explorer call of each explorer cell of a chapter, in order (e.g. ``step_explorer("forget")``).

    An explorer cell is a code cell whose last line calls one of the ``*_explorer`` functions of
    ``lstm.explorers`` (the book's convention: one call per explorer, last expression of its cell).
    """  # noqa: E501
    import jupytext

    import lstm.explorers

    names = {name for name in dir(lstm.explorers) if name.endswith("_explorer")}

    notebook = jupytext.reads(chapter_source.read_text(encoding="utf-8"), fmt="Rmd")
    calls = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or re.search(r"^#\|\s*eval:\s*false", cell.source, re.M):
            continue
        lines = [line for line in cell.source.splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
        call = re.match(r"^(\w+_explorer)\(.*\)\s*$", lines[-1]) if lines else None
        if call and call.group(1) in names:
            calls.append(lines[-1].strip())
    return calls


def frames_json(page: Any, explorer_id: str) -> dict[str, Any]:
    """The frame table of one explorer."""
    return json.loads(page.locator(f"#{explorer_id} script.lstm-frames").text_content())


def tab_stops_before_first_slider(page: Any, limit: int = 200) -> tuple[int | None, list[str]]:
    """Press Tab from the top of the page until an explorer's slider has the focus.

    Returns
    -------
    (int or None, list of str)
        How many Tab presses it took (None if no slider was reached within ``limit``) and a
        description of each element that took the focus on the way.
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    visited = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                return e ? [e.tagName.toLowerCase(), e.getAttribute("type") || "",
                            (e.className || "").toString().slice(0, 40),
                            !!e.closest("figure.lstm-static-explorer")] : null; }""")
        if focused is None:
            continue
        visited.append(" ".join(str(part) for part in focused[:3]))
        if focused[0] == "input" and focused[1] == "range" and focused[3]:
            return presses, visited
    return None, visited


def show_colour_scheme(page: Any, scheme: str) -> None:
    """Show the Quarto page in ``scheme`` (``"light"`` or ``"dark"``), with Quarto's own toggle
    if it shows the other one (Quarto remembers the reader's choice from page to page)."""
    dark = scheme == "dark"
    if page.evaluate("() => document.body.classList.contains('quarto-dark')") != dark:
        page.locator(".quarto-color-scheme-toggle:visible").first.click()
    # The class flips first; the dark stylesheet may apply a moment later (on a busy machine):
    # wait until the page's background is dark (or light) too.
    page.wait_for_function(
        """(dark) => {
            const rgb = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
            const isDark = rgb[0] + rgb[1] + rgb[2] < 3 * 128;
            return document.body.classList.contains('quarto-dark') === dark && isDark === dark;
        }""", arg=dark)
