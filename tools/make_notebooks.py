"""Generate one Jupyter notebook per book chapter, and check that the committed ones are current.

Usage::

    python tools/make_notebooks.py          # (re)write notebooks/NN-slug.ipynb for each chapter
    python tools/make_notebooks.py --check  # exit 1, naming every stale, missing or extra notebook

The chapters are the ``chapters/*.qmd`` files listed under ``book: chapters:`` in ``_quarto.yml``.
Each is read with jupytext's R Markdown reader (Quarto's ```` ```{python} ```` chunks become code
cells, everything else becomes Markdown) and written without outputs, with the ``python3``
kernelspec and deterministic bytes: cell ids are derived from the cell's position and no
timestamps or random values are stored, so regenerating an unchanged chapter gives the same file.

Quarto-only syntax (``#|`` cell options, ``{#eq-...}`` labels, callout fences) stays in the
notebook as plain text. Relative image paths such as ``../images/lstm-cell.svg`` work unchanged
because ``chapters/`` and ``notebooks/`` are both one level below the repository root.

The module also offers :func:`execute_notebook`, used by the tests and benchmarks to run a
chapter top to bottom in a real ``python3`` kernel.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR_NAME = "notebooks"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def book_chapters(root: Path = ROOT) -> list[Path]:
    """Return the chapter sources listed in ``_quarto.yml``, in book order.

    Parameters
    ----------
    root : Path
        Repository root holding ``_quarto.yml``.

    Returns
    -------
    list of Path
        Absolute paths of every entry of ``book: chapters:`` that lives in ``chapters/``
        (``index.qmd`` and appendices are not chapters with notebooks). The files need not exist.

    Raises
    ------
    ValueError
        If ``_quarto.yml`` has no ``book: chapters:`` list.
    """
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    entries = (config or {}).get("book", {}).get("chapters")
    if not isinstance(entries, list):
        raise ValueError(
            f"_quarto.yml: expected a list under 'book: chapters:', got {type(entries).__name__}"
        )
    chapters: list[Path] = []
    for entry in entries:
        # A "part" entry holds its own list of chapters.
        names = entry.get("chapters", []) if isinstance(entry, dict) else [entry]
        for name in names:
            if str(name).startswith("chapters/"):
                chapters.append(root / str(name))
    return chapters


def notebook_path(chapter: Path, root: Path = ROOT) -> Path:
    """Return where the notebook of ``chapter`` lives: ``notebooks/<chapter stem>.ipynb``."""
    return root / NOTEBOOK_DIR_NAME / f"{chapter.stem}.ipynb"


def chapter_to_notebook(text: str, source: str) -> nbformat.NotebookNode:
    """Convert the text of a Quarto chapter to an output-free notebook.

    Parameters
    ----------
    text : str
        The ``.qmd`` source.
    source : str
        Path of the chapter relative to the repository root, stored in the notebook metadata
        (``metadata.lstm_book.source``) so a reader knows which file to edit.

    Returns
    -------
    nbformat.NotebookNode
        A version 4 notebook with deterministic cell ids (``cell-000``, ``cell-001``, ...),
        no outputs, no execution counts and the ``python3`` kernelspec.
    """
    notebook = jupytext.reads(text, fmt="Rmd")
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
            "lstm_book": {"source": source},
        }
    )
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata = nbformat.from_dict({})
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(notebook)
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """Serialise ``notebook`` identically every time (sorted keys, indent 1, final newline)."""
    text = nbformat.writes(notebook, version=4)
    return text if text.endswith("\n") else text + "\n"


def expected_notebooks(root: Path = ROOT) -> dict[Path, str]:
    """Return ``{notebook path: expected file text}`` for every listed chapter that exists."""
    expected: dict[Path, str] = {}
    for chapter in book_chapters(root):
        if chapter.exists():
            source = chapter.relative_to(root).as_posix()
            text = chapter.read_text(encoding="utf-8")
            notebook = chapter_to_notebook(text, source)
            expected[notebook_path(chapter, root)] = notebook_text(notebook)
    return expected


def notebook_problems(root: Path = ROOT) -> list[str]:
    """List every way ``notebooks/`` differs from what the chapters would generate.

    Returns
    -------
    list of str
        One readable line per problem: a listed chapter that does not exist, a notebook that is
        missing or stale, or a notebook with no chapter behind it. Empty when all is current.
    """
    problems = [
        f"{chapter.relative_to(root).as_posix()} is listed in _quarto.yml but does not exist"
        for chapter in book_chapters(root)
        if not chapter.exists()
    ]
    expected = expected_notebooks(root)
    for path, text in expected.items():
        name = path.relative_to(root).as_posix()
        if not path.exists():
            problems.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{name} is stale (its chapter changed)")
    notebook_dir = root / NOTEBOOK_DIR_NAME
    if notebook_dir.is_dir():
        for path in sorted(notebook_dir.glob("*.ipynb")):
            if path not in expected:
                problems.append(f"{path.relative_to(root).as_posix()} has no chapter behind it")
    return problems


def write_notebooks(root: Path = ROOT) -> list[Path]:
    """Write every chapter's notebook (only files whose bytes change) and delete orphans.

    Returns
    -------
    list of Path
        The notebooks that were written or deleted.
    """
    expected = expected_notebooks(root)
    notebook_dir = root / NOTEBOOK_DIR_NAME
    notebook_dir.mkdir(exist_ok=True)
    changed: list[Path] = []
    for path, text in expected.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in sorted(notebook_dir.glob("*.ipynb")):
        if path not in expected:
            path.unlink()
            changed.append(path)
    return changed


def execute_notebook(
    notebook: nbformat.NotebookNode,
    cwd: Path,
    *,
    static: bool = False,
    timeout: int = 600,
) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom in a fresh ``python3`` kernel and return it with outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook to run (it is executed in place and also returned).
    cwd : Path
        Working directory of the kernel (``chapters/`` for a chapter, as Quarto runs it).
    static : bool
        If True the kernel sees ``LSTM_BOOK_STATIC=1`` (explorers return static HTML, as in a
        Quarto render); otherwise ``LSTM_BOOK_STATIC=0`` (live ipywidgets, as in Jupyter).
    timeout : int
        Seconds allowed for any single cell.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook. Errors do not raise: they are left in the outputs
        (``allow_errors=True``) so that callers can report every failing cell.

    Raises
    ------
    ValueError
        If ``cwd`` is not a directory or ``timeout`` is not a positive integer.
    """
    from nbclient import NotebookClient

    cwd = Path(cwd)
    if not cwd.is_dir():
        raise ValueError(f"cwd: expected an existing directory, got {str(cwd)!r}")
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout: expected a positive integer number of seconds, got {timeout!r}")
    env = dict(os.environ)
    env["LSTM_BOOK_STATIC"] = "1" if static else "0"
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=env)
    return notebook


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name every stale, missing or extra notebook",
    )
    args = parser.parse_args(argv)
    problems_before = [p for p in notebook_problems() if "does not exist" in p]
    if args.check:
        problems = notebook_problems()
        for problem in problems:
            print(f"notebooks out of date: {problem}", file=sys.stderr)
        if problems:
            print("run: python tools/make_notebooks.py", file=sys.stderr)
            return 1
        print(f"notebooks/ is up to date ({len(expected_notebooks())} notebooks)")
        return 0
    for path in write_notebooks():
        state = "wrote" if path.exists() else "deleted"
        print(f"{state} {path.relative_to(ROOT).as_posix()}")
    for problem in problems_before:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems_before else 0


if __name__ == "__main__":
    sys.exit(main())
