"""The chapter notebooks in a real JupyterLab 4, in Debian's Chromium, used as a reader uses them.

One JupyterLab server (bound to 127.0.0.1, a random token, a copy of ``notebooks/`` and
``images/``) serves every notebook; each test opens one notebook, runs it from the menu
(Run > Run All Cells), waits until every code cell has run and the kernel is idle, and then
reads what JupyterLab shows:

* the rendered markdown (markdown cells and Markdown outputs) holds no raw Quarto syntax;
* every figure has its caption ("Figure N.M. ...") right beneath it;
* every link to an anchor in the same notebook finds its target;
* every visible slider of an explorer, dragged with the mouse, changes the explorer's picture.

The kernel sees this checkout first on ``PYTHONPATH``. The server is stopped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, load_make_notebooks

NOTEBOOKS = [load_make_notebooks().notebook_path(chapter).name
             for chapter in load_make_notebooks().book_chapters(ROOT)]
RAW_QUARTO = ("@sec-", "@fig-", "@eq-", "[@", ":::", "{#", "{.callout")
RUN_TIMEOUT_MS = 900_000
SETTINGS = {  # user settings of the isolated server (JUPYTERLAB_SETTINGS_DIR)
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A JupyterLab server on a copy of the notebooks: ``{"url", "token", "root"}``."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "images", root / "images")
    shutil.copytree(ROOT / "data", root / "data")  # chapter 11 reads the frameworks' weights
    settings = root / ".jupyter-settings"
    for name, values in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "LSTM_BOOK_STATIC": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / ".jupyter-workspaces"),
           "JUPYTER_CONFIG_DIR": str(root / ".jupyter-config")}
    log = (root / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start: "
                                + (root / "jupyterlab.log").read_text(encoding="utf-8")[-2000:])
                time.sleep(0.5)
        yield {"url": url, "token": token, "root": root}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


CURRENT = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""() => {{
    const panel = window.jupyterapp && {CURRENT};
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return !!(kernel && kernel.status === "idle" && panel.content.widgets.length);
}}"""
ALL_RUN = f"""() => {{
    const panel = {CURRENT};
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const code = panel.content.widgets.filter(cell => cell.model.type === "code");
    return kernel && kernel.status === "idle"
        && code.every(cell => cell.model.executionCount !== null);
}}"""
# An explorer is a cell whose result (its last expression) is a widget; progress bars that
# training displays and closes again leave widget outputs that JupyterLab rightly shows as nothing.
WIDGETS_RENDERED = f"""() => Array.from({CURRENT}.content.widgets).every(cell => {{
    if (cell.model.type !== "code") {{ return true; }}
    const explorer = cell.model.outputs.toJSON().some(output => output.output_type
        === "execute_result" && output.data["application/vnd.jupyter.widget-view+json"]);
    return !explorer || cell.node.querySelectorAll(".jp-OutputArea-output .jupyter-widgets")
        .length > 0;
}})"""
CELLS = f"""() => Array.from({CURRENT}.content.widgets).map(cell => {{
    const node = cell.node;
    const markdown = Array.from(node.querySelectorAll(
        ".jp-MarkdownOutput, .jp-OutputArea-output.jp-RenderedMarkdown"));
    const figures = Array.from(node.querySelectorAll(".jp-OutputArea-output img, "
        + ".jp-OutputArea-output svg, .jp-MarkdownOutput img"))
        .filter(image => !image.closest(".jupyter-widgets")
                         && !image.closest("mjx-container, .MathJax"));
    return {{
        type: cell.model.type,
        text: markdown.map(part => part.textContent).join("\\n"),
        figures: figures.length,
        markdown_image_captions: Array.from(node.querySelectorAll(".jp-MarkdownOutput img"))
            .map(image => {{
                let next = image.closest("p") || image;
                next = next.nextElementSibling;
                return next ? next.textContent.trim().slice(0, 80) : "";
            }}),
        errors: node.querySelectorAll(".jp-OutputArea-output[data-mime-type*='error']").length,
    }};
}})"""
BROKEN_ANCHORS = f"""() => {{
    const root = {CURRENT}.content.node;
    return Array.from(root.querySelectorAll(".jp-RenderedMarkdown a[href^='#']"))
        .map(link => decodeURIComponent(link.getAttribute("href").slice(1)))
        .filter(id => id && !root.querySelector(`[data-jupyter-id="${{CSS.escape(id)}}"], `
                                                 + `#${{CSS.escape(id)}}`));
}}"""


def explorer_pictures(page: Any, cell_index: int) -> list[str]:
    """The ``src`` of every image in the widgets of one cell (an explorer's pictures)."""
    return page.evaluate(
        f"""(index) => Array.from({CURRENT}.content.widgets[index].node
            .querySelectorAll(".jupyter-widgets img")).map(image => image.src)""", cell_index)


def drag_problems(page: Any) -> tuple[int, list[str]]:
    """Drag every visible slider of every explorer; report those that leave the picture as is.

    Returns
    -------
    (int, list of str)
        How many sliders were dragged, and one line per slider that changed nothing.
    """
    problems = []
    dragged = 0
    explorer_cells = page.evaluate(
        f"""() => Array.from({CURRENT}.content.widgets).map((cell, index) => [index,
            cell.node.querySelectorAll(".jupyter-widgets").length])
            .filter(([, widgets]) => widgets > 0).map(([index]) => index)""")
    for index in explorer_cells:
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        sliders = cell.locator(".widget-slider .noUi-handle, .widget-slider .ui-slider-handle")
        for number in range(sliders.count()):
            handle = sliders.nth(number)
            if not handle.is_visible():
                continue
            label = handle.evaluate(
                "h => (h.closest('.widget-slider').querySelector('.widget-label') || {})"
                ".textContent || ''")
            # A disabled slider is allowed (it shows it does not apply); ipywidgets marks the
            # noUiSlider target with a ``disabled`` attribute.
            disabled = handle.evaluate("h => !!h.closest('[disabled], .mod-disabled')")
            if disabled:
                continue
            handle.scroll_into_view_if_needed()
            before = explorer_pictures(page, index)
            box = handle.bounding_box()
            track = handle.evaluate(
                "h => { const r = h.closest('.widget-slider').querySelector("
                "'.noUi-target, .ui-slider').getBoundingClientRect(); "
                "return [r.left, r.right]; }")
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            target = x - 60 if x - track[0] > track[1] - x else x + 60
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(target, y, steps=8)
            page.mouse.up()
            dragged += 1
            changed = False
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                page.wait_for_timeout(250)
                if explorer_pictures(page, index) != before:
                    changed = True
                    break
            if not changed:
                problems.append(f"cell {index}: dragging the slider {label.strip()!r} did not "
                                "change the picture")
    return dragged, problems


#: Chapters with no explorer (as tests/test_book.py's CHAPTERS_WITHOUT_EXPLORER): the frameworks'
#: arrays and the teachers' summary.
NOTEBOOKS_WITHOUT_EXPLORER = {"11-frameworks.ipynb", "12-for-teachers.ipynb"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab_and_reads_like_the_book(name: str, lab: dict[str, Any],
                                                              browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        # A workspace of its own, reset: no notebook of an earlier test is restored beside it.
        page.goto(f"{lab['url']}/lab/workspaces/{Path(name).stem}/tree/notebooks/{name}"
                  f"?reset&token={lab['token']}")
        page.wait_for_function(KERNEL_IDLE, timeout=180_000)
        assert page.evaluate(f"() => {CURRENT}.context.path") == f"notebooks/{name}"
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(ALL_RUN, timeout=RUN_TIMEOUT_MS, polling=1000)
        page.wait_for_function(WIDGETS_RENDERED, timeout=60_000, polling=500)
        page.wait_for_timeout(1000)  # let the last outputs and MathJax settle
        cells = page.evaluate(CELLS)

        assert [index for index, cell in enumerate(cells) if cell["errors"]] == []
        raw = [(index, token) for index, cell in enumerate(cells) for token in RAW_QUARTO
               if token in cell["text"]]
        assert raw == [], f"raw Quarto syntax in the rendered markdown: {raw}"

        figures = 0
        for index, cell in enumerate(cells):
            if cell["type"] == "code" and cell["figures"]:
                figures += 1
                following = cells[index + 1] if index + 1 < len(cells) else None
                assert following and following["type"] == "markdown" and \
                    following["text"].lstrip().startswith("Figure "), \
                    f"cell {index}: a figure without its caption beneath it"
            for caption in cell["markdown_image_captions"]:
                figures += 1
                assert caption.startswith("Figure "), f"cell {index}: image captioned {caption!r}"
        assert figures >= 1, "the notebook showed no figure"
        assert page.evaluate(BROKEN_ANCHORS) == []

        dragged, problems = drag_problems(page)
        if name in NOTEBOOKS_WITHOUT_EXPLORER:
            assert dragged == 0, f"{name} now has an explorer: update NOTEBOOKS_WITHOUT_EXPLORER"
        else:
            assert dragged >= 1, "no explorer slider to drag (this chapter has an explorer)"
        assert problems == []
    finally:
        page.evaluate(f"() => {CURRENT}.sessionContext.shutdown()")
        context.close()
