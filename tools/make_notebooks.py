"""Generate one Jupyter notebook per book chapter, and check that the committed ones are current.

Usage::

    python tools/make_notebooks.py          # (re)write notebooks/NN-slug.ipynb for each chapter
    python tools/make_notebooks.py --check  # exit 1, naming every stale, missing or extra notebook

The chapters are the ``chapters/*.qmd`` files listed under ``book: chapters:`` in ``_quarto.yml``.
Each is read with jupytext's R Markdown reader (Quarto's ```` ```{python} ```` chunks become code
cells, everything else becomes Markdown) and written without outputs, with the ``python3``
kernelspec and deterministic bytes: cell ids are derived from the cell's position and no
timestamps or random values are stored, so regenerating an unchanged chapter gives the same file.

The Quarto syntax is rendered for JupyterLab by the book's translator (``tools/quarto_markdown.py``),
numbered as on the website over the whole book: cross-references become links to the right
notebook and anchor ("Equation 3.2", "Figure 6.1", "Section 4.2"), citations author-year links to
a "References" section at the end of the notebook, headings get their number and an
``<a id="sec-...">`` anchor, callouts become blockquotes and folded solutions ``<details>``. Code
cells lose their ``#|`` lines: ``include: false`` / ``echo: false`` (and the code of a folded
solution) become JupyterLab's ``jupyter.source_hidden`` / ``jupyter.outputs_hidden`` metadata, the
options are kept in ``metadata.lstm_book.options``, and each figure's caption follows it as a
markdown cell ("**Figure 3.2.** ...") with the figure's alt text folded under it (a notebook's
image outputs cannot carry alt text). A paragraph with Quarto inline code (`` `{python} expr` ``)
is shown once: by a code cell with hidden source that displays the paragraph with the run's
values (no markdown cell shows the expressions). Relative image paths such as ``../images/lstm-cell.svg`` work
unchanged because ``chapters/`` and ``notebooks/`` are both one level below the repository root.

The module also offers :func:`execute_notebook`, used by the tests and benchmarks to run a
chapter top to bottom in a real ``python3`` kernel.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is a folder of scripts
import quarto_markdown as qm  # noqa: E402  (the translator of Quarto markdown)
from quarto_bibliography import reference_list_html  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR_NAME = "notebooks"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
INLINE_VALUES_TAG = "lstm-inline-values"  # the hidden cell showing a paragraph's inline code


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


def chapter_number(source: str | Path) -> int | None:
    """Chapter number from a ``NN-slug.qmd`` file name (None for other names)."""
    match = re.match(r"(\d+)-", Path(source).name)
    return int(match.group(1)) if match else None


def chapter_title(text: str) -> str:
    """The text of the chapter's first level-1 heading, without its attributes."""
    match = re.search(r"^#\s+(.*?)\s*(\{[^{}]*\})?\s*$", text, re.MULTILINE)
    return match.group(1) if match else ""


def notebook_page(source: str) -> qm.Page:
    """Where the notebook of the chapter ``source`` (relative path) sits, as the translator sees it."""
    return qm.Page(f"{NOTEBOOK_DIR_NAME}/{Path(source).stem}.ipynb", chapter_number(source))


def book_references(root: Path = ROOT) -> qm.CrossReferences:
    """The book's numbering as seen from the notebooks: every chapter scanned, in book order.

    Returns
    -------
    CrossReferences
        Labels pointing at ``notebooks/NN-slug.ipynb``, and the bibliography of
        ``references.bib`` (empty if there is none).
    """
    refs = qm.CrossReferences(bibliography=qm.read_bibliography(root / "references.bib"))
    for chapter in book_chapters(root):
        if chapter.exists():
            text = chapter.read_text(encoding="utf-8")
            page = notebook_page(chapter.relative_to(root).as_posix())
            page.title = chapter_title(text)
            refs.scan(page, jupytext.reads(text, fmt="Rmd").cells)
    return refs


def code_cell_metadata(options: dict, folded: bool) -> dict:
    """Notebook metadata of a code cell with these Quarto options (``folded``: in a solution)."""
    metadata: dict = {}
    hidden = {}
    if options.get("include") is False or folded:
        hidden = {"source_hidden": True, "outputs_hidden": True}
    elif options.get("echo") is False:
        hidden = {"source_hidden": True}
    if hidden:
        metadata["jupyter"] = hidden
    if options:
        metadata["lstm_book"] = {"options": options}
    return metadata


def caption_cell_source(options: dict, refs: qm.CrossReferences,
                        translator: qm.Translator | None = None) -> str | None:
    """The markdown under a figure cell: anchor, "**Figure 3.2.** caption", folded alt text.

    With a ``translator``, cross-references and citations in the caption become links, as in
    the text around it.
    """
    label = str(options.get("label", "") or "")
    caption = options.get("fig-cap")
    if not caption:
        return None
    if translator is not None:
        caption = translator.markdown(str(caption)).strip()
    number = refs.targets[label][0] if label in refs.targets else ""
    anchor = f'<a id="{label}"></a>' if label else ""
    lines = [f"{anchor}**{number}.** {caption}" if number else f"{anchor}{caption}"]
    if options.get("fig-alt"):
        lines += ["", "<details><summary>Description of the figure</summary>", "",
                  str(options["fig-alt"]), "", "</details>"]
    return "\n".join(lines)


def chapter_to_notebook(
    text: str, source: str, refs: qm.CrossReferences | None = None, root: Path = ROOT
) -> nbformat.NotebookNode:
    """Convert the text of a Quarto chapter to an output-free notebook that reads like the book.

    Parameters
    ----------
    text : str
        The ``.qmd`` source.
    source : str
        Path of the chapter relative to the repository root, stored in the notebook metadata
        (``metadata.lstm_book.source``) so a reader knows which file to edit; its file name gives
        the chapter number (``chapters/03-forget-gate.qmd`` is chapter 3).
    refs : CrossReferences, optional
        The book's numbering (:func:`book_references`); by default that of the book in ``root``.
        ``text`` itself is scanned again, so its own labels resolve even if it is not in the book.
    root : Path
        Repository root, for the default ``refs``.

    Returns
    -------
    nbformat.NotebookNode
        A version 4 notebook with deterministic cell ids (``cell-000``, ``cell-001``, ...),
        no outputs, no execution counts and the ``python3`` kernelspec.

    Raises
    ------
    ValueError
        If a cross-reference or citation names a label or key the book does not define.
    """
    refs = copy.deepcopy(book_references(root) if refs is None else refs)
    notebook = jupytext.reads(text, fmt="Rmd")
    page = notebook_page(source)
    page.title = chapter_title(text)
    refs.scan(page, notebook.cells)
    translator = qm.Translator(page, refs)
    cells: list[nbformat.NotebookNode] = []
    cited: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cited += [key for key in translator.cited_keys(cell.source) if key not in cited]
            translated = translator.markdown(cell.source)
            # A paragraph with inline code is shown once, by a hidden cell filled in with the
            # run's values; the markdown around it stays markdown, in the same order.
            for has_inline_code, piece in qm.split_at_inline_paragraphs(translated):
                if not has_inline_code:
                    cells.append(nbformat.v4.new_markdown_cell(piece))
                    continue
                shown = nbformat.v4.new_code_cell(qm.inline_paragraph_code(piece))
                shown.metadata = nbformat.from_dict({"jupyter": {"source_hidden": True},
                                                     "tags": [INLINE_VALUES_TAG]})
                cells.append(shown)
        elif cell.cell_type == "code":
            options, code = qm.cell_options(cell.source)
            code_cell = nbformat.v4.new_code_cell(code)
            code_cell.metadata = nbformat.from_dict(
                code_cell_metadata(options, folded=translator.in_folded_fence))
            cells.append(code_cell)
            cited += [key for key in translator.cited_keys(str(options.get("fig-cap", "")))
                      if key not in cited]
            caption = caption_cell_source(options, refs, translator)
            if caption:
                cells.append(nbformat.v4.new_markdown_cell(caption))
        else:
            cells.append(cell)
    if translator.unresolved:
        raise ValueError(f"{source}: unresolved cross-references or citations "
                         f"{sorted(set(translator.unresolved))}")
    if cited:
        cells.append(nbformat.v4.new_markdown_cell(
            '## References <a id="references"></a>\n\n'
            + reference_list_html(refs.bibliography, cited)))
    notebook.cells = cells
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
    refs = book_references(root)
    for chapter in book_chapters(root):
        if chapter.exists():
            source = chapter.relative_to(root).as_posix()
            text = chapter.read_text(encoding="utf-8")
            notebook = chapter_to_notebook(text, source, refs)
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
