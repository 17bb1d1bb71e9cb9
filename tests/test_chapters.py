"""Every chapter listed in _quarto.yml runs top to bottom in a real Jupyter kernel, cleanly.

Each chapter is converted with tools/make_notebooks.py and executed with nbclient in a
``python3`` kernel whose working directory is ``chapters/`` (as Quarto runs it), twice: live
(``LSTM_BOOK_STATIC=0``, ipywidgets explorers, as in Jupyter) and static
(``LSTM_BOOK_STATIC=1``, HTML scrubbers, as in a Quarto render or the page build). A chapter
that is listed but missing fails here; nothing is skipped.
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, SOLUTION_TAG, load_make_notebooks, solution_code

CHAPTERS = [path.relative_to(ROOT).as_posix() for path in load_make_notebooks().book_chapters()]
# The preface is executed too as soon as it holds code (today it is prose only).
if "```{python}" in (ROOT / "index.qmd").read_text(encoding="utf-8"):
    CHAPTERS.insert(0, "index.qmd")
MODES = ["live", "static"]


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def without_solutions(notebook):
    """A copy of ``notebook`` without the appended solution cells."""
    cells = [cell for cell in notebook.cells if SOLUTION_TAG not in cell.metadata.get("tags", [])]
    return nbformat.v4.new_notebook(cells=cells, metadata=notebook.metadata)


def label(cell) -> str:
    """The cell's Quarto label: the notebook generator moves ``#|`` options into metadata."""
    return str(cell.metadata.get("lstm_book", {}).get("options", {}).get("label", ""))


def test_the_book_lists_chapters():
    assert [name for name in CHAPTERS if name.startswith("chapters/")] == [
        f"chapters/{name}.qmd"
        for name in (
            "01-what-is-an-lstm",
            "02-cell-diagram",
            "03-forget-gate",
            "04-input-gate",
            "05-output-gate",
            "06-cell-over-time",
            "07-how-we-train",
            "08-advantages",
            "09-disadvantages",
            "10-variants",
            "11-frameworks",
            "12-for-teachers",
        )
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_cleanly_and_shows_its_figures(chapter, mode, execute_chapter, output_problems):
    """No error, stderr or warning output; every cell ran; every fig- cell shows one image;
    every explorer cell shows a widget (live) or its static HTML widget as text/markdown (static).

    (One test per chapter and mode, so that pytest-xdist never executes a chapter twice.)
    """
    # The live run also executes the solutions' code (appended cells, checked separately below).
    notebook = execute_chapter(ROOT / chapter, static=(mode == "static"), with_solutions=(mode == "live"))
    chapter_only = without_solutions(notebook)
    assert output_problems(chapter_only) == []
    assert all(cell.execution_count is not None for cell in code_cells(chapter_only))
    for cell in code_cells(chapter_only):
        kinds = [set(output.get("data", {})) for output in cell.outputs]
        if label(cell).startswith("fig-"):
            images = [kind for kind in kinds if kind & {"image/png", "image/svg+xml"}]
            assert len(images) == 1, f"{chapter} {label(cell)}: outputs {kinds}"
        elif "_explorer(" in cell.source.splitlines()[-1]:
            expected = "text/markdown" if mode == "static" else "application/vnd.jupyter.widget-view+json"
            assert any(expected in kind for kind in kinds), f"{chapter} {label(cell)}: {kinds}"
            if mode == "static":  # raw HTML as markdown only: text/html makes Quarto load require.js
                assert not any("text/html" in kind for kind in kinds), f"{chapter} {label(cell)}: {kinds}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_code_runs(chapter, execute_chapter, output_problems):
    """The ```python blocks of the folded solutions run after the chapter, without errors."""
    notebook = execute_chapter(ROOT / chapter, static=False, with_solutions=True)
    solutions = [cell for cell in code_cells(notebook) if SOLUTION_TAG in cell.metadata.get("tags", [])]
    assert len(solutions) == len(solution_code((ROOT / chapter).read_text(encoding="utf-8")))
    only_solutions = nbformat.v4.new_notebook(cells=solutions)
    assert output_problems(only_solutions) == []
    assert all(cell.execution_count is not None for cell in solutions)


def test_output_problems_reports_errors_stderr_and_warnings(output_problems):
    notebook = nbformat.v4.new_notebook()
    clean = nbformat.v4.new_code_cell("print(1)")
    clean.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    broken = nbformat.v4.new_code_cell("1/0")
    broken.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="x", traceback=[])]
    noisy = nbformat.v4.new_code_cell("import warnings")
    noisy.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: hi\n")]
    printed = nbformat.v4.new_code_cell("print('DeprecationWarning')")
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="DeprecationWarning: x\n")]
    notebook.cells = [clean, broken, noisy, printed]
    problems = output_problems(notebook)
    assert len(problems) == 3
    assert "cell 1" in problems[0] and "ZeroDivisionError" in problems[0]
    assert "cell 2" in problems[1] and "stderr" in problems[1]
    assert "cell 3" in problems[2] and "warning" in problems[2]
