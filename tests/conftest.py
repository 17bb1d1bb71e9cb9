"""Shared fixtures: the book's chapter list and chapters executed in a real Jupyter kernel.

Executing a chapter takes a few seconds, so executed notebooks are cached for the whole pytest
session (per worker under pytest-xdist): every test that asks for the same chapter in the same
mode gets the same executed notebook.

Fixtures
--------
book_root : Path
    The repository root.
book_chapters : list[Path]
    Chapter sources listed in ``_quarto.yml`` (``chapters/NN-slug.qmd``), in book order.
execute_chapter : callable
    ``execute_chapter(chapter, static=False, with_solutions=False) -> nbformat.NotebookNode``:
    the chapter converted with ``tools/make_notebooks.py`` and run top to bottom in a ``python3``
    kernel with cwd = ``chapters/`` (cached per chapter and arguments). ``static=True`` sets
    ``LSTM_BOOK_STATIC=1`` as a Quarto render does; ``with_solutions=True`` appends the code of
    the exercise solutions as extra cells tagged ``"solution"``.
output_problems : callable
    ``output_problems(notebook) -> list[str]``: every error output, stderr stream and printed
    warning in an executed notebook, each naming its cell.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from pages_helpers import CHROMIUM, CHROMIUM_ARGS  # tests/ is on sys.path (no __init__.py)

#: The Quarto site's fixtures (``quarto_site``, ``site_url``, ``open_page``) for every module.
pytest_plugins = ("site_fixtures",)

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_SECONDS = 600


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` (``tools/`` is a folder of scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_make_notebooks() -> ModuleType:
    """Import ``tools/make_notebooks.py``."""
    return load_tool("make_notebooks")


SOLUTION_TAG = "solution"


def solution_code(text: str) -> list[str]:
    """The ```python blocks (shown, not executed by Quarto) after a chapter's ``## Exercises``."""
    if "\n## Exercises\n" not in text:
        return []
    exercises = text.split("\n## Exercises\n", 1)[1]
    return [block.strip() for block in re.findall(r"^```python\n(.*?)^```\s*$", exercises, re.M | re.S)]


def run_chapter(
    chapter: Path, *, static: bool = False, with_solutions: bool = False
) -> nbformat.NotebookNode:
    """Convert ``chapter`` to a notebook and execute it (uncached; see ``execute_chapter``).

    Parameters
    ----------
    chapter : Path
        The ``.qmd`` file.
    static : bool
        Run with ``LSTM_BOOK_STATIC=1`` (explorers return static HTML).
    with_solutions : bool
        Also run the code of the exercise solutions, as extra code cells at the end tagged
        ``"solution"`` (a reader copies them into the notebook after running the chapter).

    Raises
    ------
    FileNotFoundError
        If the chapter file does not exist.
    """
    tools = load_make_notebooks()
    chapter = Path(chapter)
    if not chapter.exists():
        raise FileNotFoundError(f"chapter {chapter} is listed in _quarto.yml but does not exist")
    source = chapter.resolve().relative_to(ROOT).as_posix()
    text = chapter.read_text(encoding="utf-8")
    notebook = tools.chapter_to_notebook(text, source)
    if with_solutions:
        for code in solution_code(text):
            cell = nbformat.v4.new_code_cell(code)
            cell.id = f"cell-{len(notebook.cells):03d}"
            cell.metadata["tags"] = [SOLUTION_TAG]
            notebook.cells.append(cell)
    return tools.execute_notebook(
        notebook, chapter.resolve().parent, static=static, timeout=CELL_TIMEOUT_SECONDS
    )


#: A progress bar's text as tqdm writes it ("training:  64%|######4   | 320/500 ..."), caught
#: below 100 %: a saved output must show a bar's final state, or no bar.
UNFINISHED_PROGRESS_BAR = re.compile(r"(?<![\d.])(\d|[1-9]\d)%\|")


def find_output_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """Describe every error, stderr output, printed warning and unfinished progress bar of a notebook.

    A progress bar counts when an output's text (a stream, or the ``text/plain`` or ``text/html``
    of displayed data, which is what a saved widget leaves behind) shows one below 100 %, or when
    a stream rewrites its line with a carriage return (a text bar's updates).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    list of str
        One line per problem, naming the cell (index and first source line). Empty if clean.
    """
    problems: list[str] = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
        where = f"cell {index} ({first_line[:60]!r})"
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"{where}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream":
                if output.name == "stderr":
                    problems.append(f"{where}: wrote to stderr: {output.text[:300]!r}")
                elif "Warning" in output.text:
                    problems.append(f"{where}: printed a warning: {output.text[:300]!r}")
                if "\r" in output.text:
                    problems.append(f"{where}: rewrote a line with carriage returns: {output.text[:300]!r}")
            texts = [output.get("text", "")] + [str(output.get("data", {}).get(kind, ""))
                                                for kind in ("text/plain", "text/html")]
            for text in texts:
                bar = UNFINISHED_PROGRESS_BAR.search(text)
                if bar:
                    problems.append(f"{where}: saved a progress bar mid-way: {text[:120]!r}")
                    break
    return problems


@pytest.fixture(scope="session")
def book_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_chapters() -> list[Path]:
    return load_make_notebooks().book_chapters(ROOT)


@pytest.fixture(scope="session")
def execute_chapter() -> Callable[..., nbformat.NotebookNode]:
    cache: dict[tuple[Path, bool, bool], nbformat.NotebookNode] = {}

    def execute(chapter: Path, static: bool = False, with_solutions: bool = False) -> nbformat.NotebookNode:
        key = (Path(chapter).resolve(), bool(static), bool(with_solutions))
        if key not in cache:
            cache[key] = run_chapter(key[0], static=key[1], with_solutions=key[2])
        return cache[key]

    return execute


@pytest.fixture(scope="session")
def output_problems() -> Callable[[nbformat.NotebookNode], list[str]]:
    return find_output_problems


#: Axis labels that name a count of steps: time steps of a sequence, steps back from the loss,
#: training steps or updates. Every such axis must have whole-number ticks.
TIME_STEP_LABEL = re.compile(r"time step|steps? back|training step|\bstep\b|\bupdates?\b|"
                             r"distance from the loss", re.IGNORECASE)


def find_time_axis_problems(figure: Any) -> list[str]:
    """Describe every time-step axis of a matplotlib figure whose visible ticks are not whole numbers.

    An axis counts as a time-step axis when its label matches :data:`TIME_STEP_LABEL` and it is
    linear (a log axis has ticks at powers of ten). The figure is drawn first, so the ticks are
    the ones a reader sees.

    Returns
    -------
    list of str
        One line per bad axis (its label and its ticks). Empty if every such axis is right.
    """
    figure.canvas.draw()
    problems = []
    for ax in figure.axes:
        for axis, (low, high) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            label = axis.get_label().get_text()
            if not TIME_STEP_LABEL.search(label) or axis.get_scale() != "linear":
                continue
            ticks = [tick for tick in axis.get_majorticklocs() if low - 1e-9 <= tick <= high + 1e-9]
            if not ticks or any(abs(tick - round(tick)) > 1e-9 for tick in ticks):
                problems.append(f"{label!r} (axes {ax.get_title()!r}): ticks {ticks}")
    return problems


@pytest.fixture(scope="session")
def time_axis_problems() -> Callable[[Any], list[str]]:
    return find_time_axis_problems


# ---------------------------------------------------------------- Chromium
# One Playwright session per test process: Playwright's sync API cannot start a second
# session while one is open in the same process (it sees the first one's event loop), so
# every browser test asks for these fixtures instead of calling sync_playwright() itself.


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium; the browser tests fail (never skip) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it "
                    "with `apt-get install -y chromium` (as root), then re-run.")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_executable: Path):
    """A headless Chromium driven by Playwright, shared by every browser test of the process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_executable),
                                              headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------------------------
# the Quarto render's time (tests/site_fixtures.py renders the site once per run), printed
# at the end of the run; pytest-xdist's workers write it, the controller prints it.
_SESSION_START = {"time": 0.0}


def pytest_sessionstart(session: pytest.Session) -> None:
    import time

    _SESSION_START["time"] = time.time()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    import json

    stamp = ROOT / "_build" / "quarto-render.stamp"
    if stamp.exists() and stamp.stat().st_mtime >= _SESSION_START["time"]:
        seconds = json.loads(stamp.read_text(encoding="utf-8"))["seconds"]
        terminalreporter.write_line(f"quarto render of the website: {seconds:.1f} s")
