"""Build the book's chapters as static HTML pages that work without a server and without any CDN.

Usage::

    python tools/build_pages.py [--out _build/pages] [--chapters 03 04 ...] [--force] [--jobs 2]

For every chapter listed in ``_quarto.yml`` (and ``index.qmd``) this script

1. reads the ``.qmd`` with jupytext's Rmd reader (``jupytext.reads(text, fmt="Rmd")``),
2. translates the Quarto markdown nbconvert does not know (heading ids, numbered equations,
   cross-references, citations, callouts, figures, ``#|`` cell options) with the book's
   translator, ``tools/quarto_markdown.py``; a markdown cell with Quarto inline code
   (`` `{python} expr` ``) gets a hidden code cell before it that evaluates the expressions,
   and their values replace the spans after execution (:func:`fill_inline_values`),
3. executes it with nbclient in the ``python3`` kernel, with ``LSTM_BOOK_STATIC=1`` in the kernel's
   environment (so every explorer returns its self-contained HTML scrubber, never ipywidgets) and
   ``chapters/`` as the working directory,
4. exports it with nbconvert's ``HTMLExporter`` (lab template) into ``<out>/chapters/NN-slug.html``,
   with require.js, MathJax 2 (local ``TeX-AMS_CHTML`` config), jQuery, the widget renderer and Font
   Awesome all served from ``<out>/assets`` (copied from ``node_modules``, installed by ``npm ci``),
5. writes ``<out>/index.html`` linking every chapter and its notebook download
   (``<out>/notebooks/NN-slug.ipynb``), copies ``images/`` so ``../images/..`` paths resolve, and
   refuses to finish if a page would still load anything from another site. The translator's
   page half, ``tools/quarto_html.py``, completes the exported HTML (figures, callouts, ids).

The executed notebooks are cached in ``<out>/.cache``, keyed on the chapter's code cells, the
``lstm`` package's source and the Python/NumPy/Matplotlib versions, so a second build (or a prose
edit) only re-exports.
Exit status: 0 on success, 1 if a cell raised, 2 on a setup problem (missing ``node_modules``),
3 if a page would show ipywidgets (dead controls on a static page) or load a remote resource.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is a folder of scripts
import quarto_html  # noqa: E402  (the translator's second half: the page's HTML)
import quarto_markdown as qm  # noqa: E402  (the translator of Quarto markdown)
from book_structure import (  # noqa: E402  (re-exported: the tests read the book order here)
    REPO_ROOT,
    Chapter,
    chapter_number,
    read_book_order,
    select_pages,
)

DEFAULT_OUT = REPO_ROOT / "_build" / "pages"
NODE_MODULES = REPO_ROOT / "node_modules"
STATIC_ENV = {"LSTM_BOOK_STATIC": "1"}
PAGE_ASSETS = Path(__file__).resolve().parent / "page_assets"
BOOK_CSS = PAGE_ASSETS / "lstm-book.css"  # copied to <out>/assets
INLINE_VALUES_TAG = "lstm-inline-values"
CELL_TIMEOUT_SECONDS = 600
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

# Files copied from node_modules into <out>/assets (source relative to node_modules -> target).
NODE_ASSETS = {
    "requirejs/require.js": "require.js",
    "jquery/dist/jquery.min.js": "jquery.min.js",
    "@jupyter-widgets/html-manager/dist": "html-manager",
    "font-awesome/css": "font-awesome/css",
    "font-awesome/fonts": "font-awesome/fonts",
    "axe-core/axe.min.js": "axe.min.js",
}
# Only the parts of MathJax 2 that the TeX-AMS_CHTML configuration loads.
MATHJAX_PARTS = [
    "MathJax.js",
    "config/TeX-AMS_CHTML.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "jax/element",
    "fonts/HTML-CSS/TeX/woff",
    "localization/en",
]
MATHJAX_QUERY = "config=TeX-AMS_CHTML,Safe"


# The page template (a cell marker before every cell, for finish_page_html), the script that
# keeps Tab stops only on areas that scroll (nbconvert makes every input and output area
# focusable, so a keyboard reader would Tab through every cell before reaching a slider) and
# MathJax's local configuration, all in tools/page_assets/.
PAGE_TEMPLATE = (PAGE_ASSETS / "page.html.j2").read_text(encoding="utf-8")
FOCUS_TRIM_SCRIPT = (PAGE_ASSETS / "focus-trim.html").read_text(encoding="utf-8")
MATHJAX_LOCAL_CONFIG = (PAGE_ASSETS / "mathjax-config.html").read_text(encoding="utf-8")


@dataclass
class PageProblems:
    """Things the build found wrong in one page (reported; some make the build fail)."""

    unresolved_references: list[str] = field(default_factory=list)
    widget_outputs: int = 0
    remote_resources: list[str] = field(default_factory=list)
    cell_error: str | None = None


def qmd_to_notebook(chapter: Chapter, refs: qm.CrossReferences | None
                    ) -> tuple[Any, PageProblems]:
    """Read a chapter with jupytext and prepare it (with the translator) for execution and export.

    With ``refs`` None only the title is read (the first pass, before the book is numbered).
    A markdown cell with Quarto inline code gets a code cell before it, tagged
    ``lstm-inline-values``, that evaluates the expressions (see :func:`fill_inline_values`).
    """
    import jupytext
    import nbformat

    notebook = jupytext.reads(chapter.source.read_text(encoding="utf-8"), fmt="Rmd")
    problems = PageProblems()
    # A YAML header becomes a leading raw cell: take its title and drop it.
    if notebook.cells and notebook.cells[0].cell_type == "raw":
        header = notebook.cells[0].source
        match = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", header, re.MULTILINE)
        if match:
            chapter.title = match.group(1)
        notebook.cells = notebook.cells[1:]
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not chapter.title:
            match = re.search(r"^#\s+(.*?)\s*(\{[^{}]*\})?\s*$", cell.source, re.MULTILINE)
            if match:
                chapter.title = match.group(1)
    chapter.slug = chapter.source.stem
    if refs is None:
        return notebook, problems

    translator = qm.Translator(chapter.page, refs, target="page")
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            expressions = qm.inline_expressions(cell.source)
            cell.source = translator.markdown(cell.source)
            if expressions:
                helper = nbformat.v4.new_code_cell(qm.inline_values_code(expressions))
                helper.metadata["tags"] = [INLINE_VALUES_TAG, "remove_cell"]
                cells.append(helper)
        elif cell.cell_type == "code":
            options, code = qm.cell_options(cell.source)
            cell.metadata["lstm_options"] = options
            cell.metadata["tags"] = list(cell.metadata.get("tags", [])) + qm.option_tags(options)
            cell.source = code
        cells.append(cell)
    for index, cell in enumerate(cells):
        cell.metadata["lstm_index"] = index
    notebook.cells = cells
    problems.unresolved_references += translator.unresolved
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["title"] = chapter.title
    return notebook, problems


def fill_inline_values(notebook: Any) -> None:
    """Put the values computed by the ``lstm-inline-values`` cells into the markdown after them,
    and drop those cells (in place)."""
    kept = []
    values: list[str] | None = None
    for cell in notebook.cells:
        if INLINE_VALUES_TAG in cell.metadata.get("tags", []):
            values = next(output["data"][qm.INLINE_VALUES_MIME] for output in cell.outputs
                          if qm.INLINE_VALUES_MIME in output.get("data", {}))
            continue
        if values is not None and cell.cell_type == "markdown":
            cell.source = qm.fill_inline_values(cell.source, [str(value) for value in values])
            values = None
        kept.append(cell)
    notebook.cells = kept


# --------------------------------------------------------------------------------------------------
# Execution (in worker processes) with a cache
# --------------------------------------------------------------------------------------------------


def dependency_digest(root: Path = REPO_ROOT) -> str:
    """Hash of everything a chapter's execution depends on besides its own code: the ``lstm``
    package, the ``web/`` modules the static explorers bundle, and the versions of Python,
    NumPy and Matplotlib. (Images are only copied, and this script's own changes reach the cache
    key through the prepared notebook.)"""
    digest = hashlib.sha256()
    # web/*.mjs: the static explorers bundle these modules into the outputs (lstm/explorers/bundle.py)
    for path in [*sorted((REPO_ROOT / "lstm").rglob("*.py")), *sorted((REPO_ROOT / "web").glob("*.mjs"))]:
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    import matplotlib
    import numpy

    digest.update(f"{matplotlib.__version__} {numpy.__version__} {sys.version}".encode())
    digest.update(str(root).encode())
    return digest.hexdigest()


def execute_notebook_json(notebook_json: str, cwd: str, timeout: int) -> dict[str, Any]:
    """Execute a notebook (given as JSON) in a fresh python3 kernel with ``LSTM_BOOK_STATIC=1``.

    Returns a dict with ``notebook`` (executed JSON), ``seconds`` and ``error`` (None or text).
    Runs in a worker process.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.reads(notebook_json, as_version=4)
    environment = {**os.environ, **STATIC_ENV, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    # No widget state on a static page: explorers build their controls as ipywidgets even when
    # they render a scrubber; saving that state would make nbconvert load the widget renderer.
    # Widgets actually displayed still show up as widget-view outputs, which the build rejects.
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": cwd}}, allow_errors=False,
                            store_widget_state=False)
    start = time.perf_counter()
    error = None
    try:
        client.execute(env=environment, cwd=cwd)
    except CellExecutionError as exc:
        error = str(exc)
    except Exception as exc:  # kernel died, timeout, ...: report, never hide  # noqa: BLE001
        error = f"{type(exc).__name__}: {exc}"
    return {"notebook": nbformat.writes(notebook), "seconds": time.perf_counter() - start,
            "error": error}


# --------------------------------------------------------------------------------------------------
# Export and HTML post-processing
# --------------------------------------------------------------------------------------------------


def make_exporter(prefix: str):
    """nbconvert HTMLExporter (lab template) whose scripts and styles all come from ``assets/``."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"lstm_page.html.j2": PAGE_TEMPLATE.replace("__PREFIX__",
                                                                               prefix)})],
        template_file="lstm_page.html.j2",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        require_js_url=f"{prefix}assets/require.js",
        mathjax_url=f"{prefix}assets/mathjax/MathJax.js?{MATHJAX_QUERY}",
        jquery_url=f"{prefix}assets/jquery.min.js",
        widget_renderer_url=f"{prefix}assets/html-manager/embed-amd.js",
        jupyter_widgets_base_url=f"{prefix}assets/",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
    )
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"remove_cell"}, remove_input_tags={"remove_input"},
        remove_all_outputs_tags={"remove_output"}, enabled=True))
    return exporter


def drop_unwanted_outputs(notebook: Any) -> int:
    """Apply ``warning: false`` and count ipywidgets outputs (dead controls on a static page)."""
    widget_outputs = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        options = cell.metadata.get("lstm_options", {})
        if options.get("warning") is False:
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "stream" and o.name == "stderr")]
        for output in cell.outputs:
            if WIDGET_VIEW_MIME in output.get("data", {}):
                widget_outputs += 1
    return widget_outputs


#: A figure's 256-colour version is used only if no pixel's channel moves by more than this
#: (0-255) and the mean move is at most :data:`PNG_PALETTE_MAX_MEAN_ERROR`: figures with a
#: continuous colour bar or heat map hold more shades than a palette can without banding, and
#: keep every colour (losslessly recompressed).
PNG_PALETTE_MAX_ERROR = 16
PNG_PALETTE_MAX_MEAN_ERROR = 0.5


def compress_png(data: bytes) -> bytes:
    """A smaller PNG of an opaque figure: 256 colours (no dithering) if that loses nothing
    visible, else every colour; zlib at its best either way.

    Matplotlib's line plots hold a few thousand colours, almost all of them anti-aliasing shades
    of the palette's few; a palette of the 256 that cover the figure best (Pillow's
    ``MAXCOVERAGE``) keeps every pixel within a few levels of the original at about a third
    of the bytes (see :data:`PNG_PALETTE_MAX_ERROR` for when it is not used).

    Parameters
    ----------
    data : bytes
        A PNG file.

    Returns
    -------
    bytes
        The smallest of the 256-colour PNG (when used), the lossless RGB recompression and
        ``data`` itself. Images that are not opaque RGB(A) are returned unchanged (a palette
        here keeps no partial transparency).
    """
    import io

    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.mode not in ("RGB", "RGBA"):
            return data
        if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
            return data
        rgb = image.convert("RGB")
    palette = rgb.quantize(256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    error = np.abs(np.asarray(palette.convert("RGB"), dtype=np.int16) - np.asarray(rgb, dtype=np.int16))
    if error.max() <= PNG_PALETTE_MAX_ERROR and error.mean() <= PNG_PALETTE_MAX_MEAN_ERROR:
        chosen = palette
    else:
        chosen = rgb
    buffer = io.BytesIO()
    chosen.save(buffer, "PNG", optimize=True)
    smaller = buffer.getvalue()
    return smaller if len(smaller) < len(data) else data


def compress_figures(notebook: Any, cache_dir: Path | None = None) -> tuple[int, int]:
    """Replace every ``image/png`` output by :func:`compress_png`'s version, in place.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.
    cache_dir : Path, optional
        Folder of compressed PNGs named by the SHA-256 of the original (a rebuild does not
        quantise again); nothing is cached if omitted.

    Returns
    -------
    (int, int)
        Bytes of the PNGs before and after.
    """
    import base64

    before = after = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            encoded = output.get("data", {}).get("image/png")
            if not encoded:
                continue
            original = base64.b64decode(encoded)
            cached = None
            if cache_dir is not None:
                cached = cache_dir / f"{hashlib.sha256(original).hexdigest()}.png"
            if cached is not None and cached.is_file():
                compressed = cached.read_bytes()
            else:
                compressed = compress_png(original)
                if cached is not None:
                    cache_dir.mkdir(parents=True, exist_ok=True)
                    cached.write_bytes(compressed)
            output["data"]["image/png"] = base64.b64encode(compressed).decode("ascii")
            before += len(original)
            after += len(compressed)
    return before, after


def postprocess_html(page_html: str, notebook: Any, chapter: Chapter, prefix: str,
                     navigation: str, footer: str, refs: qm.CrossReferences) -> str:
    """Fix what nbconvert leaves: ids, figures and alt text, callouts, remote links, navigation."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, features="html.parser")
    cells_by_index = {cell.metadata.get("lstm_index"): cell for cell in notebook.cells}

    quarto_html.finish_page_html(soup, cells_by_index, refs)

    # Anything still pointing at a CDN: Font Awesome (matplotlib's to_jshtml), stray scripts.
    for link in soup.select('link[href*="font-awesome"]'):
        link["href"] = f"{prefix}assets/font-awesome/css/font-awesome.min.css"
    for tag in soup.select("script[src], link[href], img[src], iframe[src], source[src]"):
        attribute = "href" if tag.name == "link" else "src"
        if re.match(r"^(https?:)?//", tag.get(attribute, "")):
            tag.decompose()  # a remote load we cannot serve; reported below if it mattered

    # MathJax: keep nbconvert's loader (now local) but use our config (no CDN fallbacks).
    for script in soup.select('script[type="text/x-mathjax-config"]'):
        script.replace_with(BeautifulSoup(MATHJAX_LOCAL_CONFIG, features="html.parser"))
    loader = soup.select_one('script[src*="MathJax.js"]')
    if loader is not None:
        loader.insert_before(BeautifulSoup(MATHJAX_LOCAL_CONFIG, features="html.parser"))
        for duplicate in soup.select('script[type="text/x-mathjax-config"]')[1:]:
            duplicate.decompose()

    soup.body.append(BeautifulSoup(FOCUS_TRIM_SCRIPT, features="html.parser"))
    main = soup.select_one("main") or soup.body
    main.insert(0, BeautifulSoup(navigation, features="html.parser"))
    main.append(BeautifulSoup(footer, features="html.parser"))
    if soup.title is not None:
        book_title = "Understanding the LSTM cell"
        soup.title.string = (f"{chapter.label} · {book_title}" if not chapter.is_index
                             else book_title)
    return str(soup)


def remote_resources(page_html: str) -> list[str]:
    """URLs of anything a page would load from another site (links to read are fine)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, features="html.parser")
    found = []
    for tag in soup.select("script[src], link[href], img[src], iframe[src], source[src], "
                           "video[src], audio[src], embed[src], object[data]"):
        for attribute in ("src", "href", "data"):
            value = tag.get(attribute) or ""
            if re.match(r"^(https?:)?//", value):
                found.append(value)
    for style in soup.select("style"):
        found += re.findall(r"(?:url\(|@import\s+)[\"']?((?:https?:)?//[^\"')\s]+)", style.text)
    return found


def local_page_weight(page: Path) -> int:
    """Bytes of a page plus every local file it references directly (scripts, styles, images)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), features="html.parser")
    total = page.stat().st_size
    seen = set()
    for tag in soup.select("script[src], link[rel=stylesheet][href], img[src]"):
        reference = (tag.get("src") or tag.get("href") or "").split("?")[0]
        if not reference or reference.startswith(("data:", "#")) or reference in seen:
            continue
        seen.add(reference)
        target = (page.parent / reference).resolve()
        if target.is_file():
            total += target.stat().st_size
    return total


# --------------------------------------------------------------------------------------------------
# Assets, navigation, index
# --------------------------------------------------------------------------------------------------


def copy_assets(out_dir: Path) -> None:
    """Copy scripts, fonts and styles from node_modules into ``<out>/assets``."""
    if not NODE_MODULES.is_dir():
        raise FileNotFoundError(
            f"{NODE_MODULES} is missing: run `npm ci` in {REPO_ROOT} to install the page assets")
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for source_name, target_name in NODE_ASSETS.items():
        copy_path(NODE_MODULES / source_name, assets / target_name)
    for part in MATHJAX_PARTS:
        copy_path(NODE_MODULES / "mathjax" / part, assets / "mathjax" / part)
    (assets / "lstm-book.css").write_text(BOOK_CSS.read_text(encoding="utf-8"), encoding="utf-8")


def copy_path(source: Path, target: Path) -> None:
    """Copy a file or folder unless an identical copy is already there."""
    if not source.exists():
        raise FileNotFoundError(f"{source} is missing: run `npm ci` in {REPO_ROOT}")
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copy2(source, target)


def navigation_html(pages: list[Chapter], index: int, prefix: str, footer: bool = False) -> str:
    """Home / previous / next links and the notebook download of one page."""
    chapter = pages[index]
    links = [f'<a href="{prefix}index.html">Contents</a>']
    if index > 0 and not pages[index - 1].is_index:
        previous = pages[index - 1]
        links.append(f'<a href="{prefix}{previous.relative_html}" rel="prev">&larr; '
                     f"{html.escape(previous.label)}</a>")
    if index + 1 < len(pages):
        following = pages[index + 1]
        links.append(f'<a href="{prefix}{following.relative_html}" rel="next">'
                     f"{html.escape(following.label)} &rarr;</a>")
    if chapter.number is not None:
        links.append(f'<a class="lstm-download" href="{prefix}notebooks/{chapter.notebook_name}" '
                     f'download>Download this chapter as a notebook (.ipynb)</a>')
    css_class = "lstm-book-nav lstm-book-footer" if footer else "lstm-book-nav"
    label = "Chapter navigation (end of page)" if footer else "Chapter navigation"
    return f'<nav class="{css_class}" aria-label="{label}">{" ".join(links)}</nav>'


def table_of_contents(pages: list[Chapter]) -> str:
    """The list of chapters with their notebook downloads (for the index page)."""
    items = []
    for chapter in pages:
        if chapter.is_index:
            continue
        download = ""
        if chapter.number is not None:
            download = (f' &middot; <a href="notebooks/{chapter.notebook_name}" download '
                        f'aria-label="Download chapter {chapter.number} as a notebook">'
                        "notebook</a>")
        items.append(f'<li><a href="{chapter.relative_html}">{html.escape(chapter.label)}</a>'
                     f"{download}</li>")
    return ('<section class="lstm-toc" aria-labelledby="lstm-contents"><h2 id="lstm-contents">'
            f"Contents</h2><ul>{''.join(items)}</ul></section>")


def insert_table_of_contents(page_html: str, contents_html: str) -> str:
    """Put the contents right after the index page's introduction (before its first h2)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, features="html.parser")
    contents = BeautifulSoup(contents_html, features="html.parser")
    first_section = soup.select_one("main h2")
    if first_section is not None:
        cell = first_section.find_parent(class_="jp-Cell")
        if cell is not None and cell.find("h2") is first_section and \
                first_section.find_previous_sibling() is None:
            cell.insert_before(contents)
        else:
            first_section.insert_before(contents)
    else:
        footer = soup.select_one("nav.lstm-book-footer")
        (footer.insert_before if footer is not None else soup.main.append)(contents)
    return str(soup)


def standalone_index(pages: list[Chapter]) -> str:
    """A simple index page, used when the book has no ``index.qmd``."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Understanding the LSTM cell</title>
<link rel="stylesheet" href="assets/lstm-book.css"></head>
<body class="jp-Notebook"><main>
<h1>Understanding the LSTM cell</h1>
<p>An interactive book that computes the LSTM cell step by step. Every page works offline:
move the sliders under the figures to explore. Each chapter is also a Jupyter notebook you can
download and run.</p>
{table_of_contents(pages)}
</main></body></html>
"""


def copy_notebook(chapter: Chapter, out_dir: Path) -> None:
    """Put the chapter's notebook (``notebooks/NN-slug.ipynb``) in the build, for its download link.

    If ``tools/make_notebooks.py`` has not written it yet, the notebook is made here with that
    script's own conversion, so the download is the same file either way.
    """
    target = out_dir / "notebooks" / chapter.notebook_name
    target.parent.mkdir(parents=True, exist_ok=True)
    generated = chapter.root / "notebooks" / chapter.notebook_name
    if generated.exists():
        shutil.copy2(generated, target)
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks",
                                                  REPO_ROOT / "tools" / "make_notebooks.py")
    make_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_notebooks)
    notebook = make_notebooks.chapter_to_notebook(chapter.source.read_text(encoding="utf-8"),
                                                  chapter.relative_source, root=chapter.root)
    target.write_text(make_notebooks.notebook_text(notebook), encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------------


@dataclass
class PageReport:
    """What the build measured for one page."""

    source: str
    html: str
    execute_seconds: float
    cached: bool
    weight_bytes: int
    problems: PageProblems


@dataclass
class BuildResult:
    """Result of :func:`build_pages`."""

    out_dir: Path
    pages: list[PageReport]
    seconds: float
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def build_pages(out_dir: Path | str = DEFAULT_OUT, chapters: list[str] | None = None, *,
                force: bool = False, jobs: int = 2, timeout: int = CELL_TIMEOUT_SECONDS,
                allow_widgets: bool = False, verbose: bool = True,
                root: Path | str = REPO_ROOT) -> BuildResult:
    """Execute and export the book's pages into ``out_dir``.

    Parameters
    ----------
    out_dir
        Output folder (created). Pages go to ``out_dir/chapters/NN-slug.html`` and
        ``out_dir/index.html``, scripts and styles to ``out_dir/assets``; executed notebooks are
        cached in ``<out_dir>.cache`` beside it.
    chapters
        Restrict to these chapters (file names, stems or numbers). ``None`` builds every page
        ``_quarto.yml`` lists that exists.
    force
        Re-execute even when the cached executed notebook is up to date.
    jobs
        Number of chapters executed at the same time (one kernel each).
    timeout
        Seconds allowed per cell.
    allow_widgets
        Accept ipywidgets outputs on the pages (they are dead controls without a kernel).
    verbose
        Print progress, the build time and each page's weight.
    root
        The book's folder (with ``_quarto.yml``, ``chapters/``, ``images/``, ``notebooks/``).

    Returns
    -------
    BuildResult
        Per-page reports and the list of errors (empty when everything built).

    Raises
    ------
    FileNotFoundError
        If ``node_modules`` (installed by ``npm ci``) is missing.
    """
    import fcntl

    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # One build at a time per output folder (pytest-xdist workers, a test run and the command).
    with open(out_dir.parent / f"{out_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _build_pages(out_dir, chapters, force=force, jobs=jobs, timeout=timeout,
                                allow_widgets=allow_widgets, verbose=verbose, root=root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_pages(out_dir: Path | str = DEFAULT_OUT, chapters: list[str] | None = None, *,
                force: bool = False, jobs: int = 2, timeout: int = CELL_TIMEOUT_SECONDS,
                allow_widgets: bool = False, verbose: bool = True,
                root: Path | str = REPO_ROOT) -> BuildResult:
    """:func:`build_pages` without the lock."""
    import nbformat

    start = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    root = Path(root).resolve()
    copy_assets(out_dir)
    if (root / "images").is_dir():
        shutil.copytree(root / "images", out_dir / "images", dirs_exist_ok=True)

    all_sources = read_book_order(root)
    pages = [Chapter(source, chapter_number(source), root) for source in all_sources]
    selected = set(select_pages(chapters, root))
    # Numbering needs the whole book, built or not.
    refs = qm.CrossReferences(bibliography=qm.read_bibliography(root / "references.bib"))
    prepared: dict[Path, tuple[Any, PageProblems]] = {}
    for chapter in pages:
        notebook, _ = qmd_to_notebook(chapter, None)
        refs.scan(chapter.page, notebook.cells)
    for chapter in pages:
        if chapter.source in selected:
            prepared[chapter.source] = qmd_to_notebook(chapter, refs)

    cache_dir = out_dir.parent / f"{out_dir.name}.cache"  # beside the site, not published with it
    cache_dir.mkdir(parents=True, exist_ok=True)
    dependencies = dependency_digest(root)
    executed: dict[Path, dict[str, Any]] = {}
    to_run = {}
    for chapter in pages:
        if chapter.source not in selected:
            continue
        notebook, _ = prepared[chapter.source]
        notebook_json = nbformat.writes(notebook)
        # Only code (and its tags) decides what execution produces: prose edits re-export only.
        code = json.dumps([[cell.source, cell.metadata.get("tags", [])]
                           for cell in notebook.cells if cell.cell_type == "code"])
        key = hashlib.sha256((code + dependencies).encode()).hexdigest()
        cached = cache_dir / f"{chapter.source.stem}.json"
        if not force and cached.exists():
            record = json.loads(cached.read_text(encoding="utf-8"))
            if record.get("key") == key and record.get("error") is None:
                executed[chapter.source] = {**record, "cached": True,
                                            "notebook": with_cached_outputs(notebook,
                                                                            record["notebook"])}
                continue
        to_run[chapter.source] = (notebook_json, key, cached)

    if to_run:
        # One worker process per running chapter (each drives its own kernel). "fork" lets the
        # workers find this module even when it was imported from a file path (tests).
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, jobs),
                                                    mp_context=context) as pool:
            # Slowest chapters first (by their last run, else by length) so workers end together.
            order = sorted(to_run, key=lambda source: -previous_seconds(to_run[source][2],
                                                                          len(to_run[source][0])))
            futures = {pool.submit(execute_notebook_json, to_run[s][0], str(s.parent), timeout): s
                       for s in order}
            for future in concurrent.futures.as_completed(futures):
                source = futures[future]
                result = future.result()
                _, key, cached = to_run[source]
                record = {"key": key, **result}
                cached.write_text(json.dumps(record), encoding="utf-8")
                executed[source] = {**record, "cached": False}
                if verbose:
                    state = "FAILED" if result["error"] else "ok"
                    print(f"  executed {source.relative_to(root)} in "
                          f"{result['seconds']:.1f} s: {state}", flush=True)

    reports: list[PageReport] = []
    errors: list[str] = []
    for position, chapter in enumerate(pages):
        if chapter.source not in selected:
            continue
        record = executed[chapter.source]
        _, problems = prepared[chapter.source]
        relative = chapter.relative_html
        target = out_dir / relative
        if record["error"]:
            problems.cell_error = record["error"]
            errors.append(f"{chapter.relative_source}: a cell raised:\n"
                          f"{record['error']}")
            reports.append(PageReport(chapter.relative_source, relative,
                                      record["seconds"], record["cached"], 0, problems))
            continue
        notebook = nbformat.reads(record["notebook"], as_version=4)
        fill_inline_values(notebook)
        problems.widget_outputs = drop_unwanted_outputs(notebook)
        compress_figures(notebook, cache_dir / "png")
        notebook.metadata.pop("widgets", None)
        prefix = "../" * relative.count("/")
        exporter = make_exporter(prefix)
        body, _ = exporter.from_notebook_node(notebook)
        navigation = navigation_html(pages, position, prefix)
        footer = navigation_html(pages, position, prefix, footer=True)
        body = postprocess_html(body, notebook, chapter, prefix, navigation, footer, refs)
        if chapter.is_index:
            body = insert_table_of_contents(body, table_of_contents(pages))
        problems.remote_resources = remote_resources(body)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        if chapter.number is not None:
            copy_notebook(chapter, out_dir)
        if problems.unresolved_references:
            errors.append(f"{relative}: unresolved cross-references "
                          f"{sorted(set(problems.unresolved_references))}")
        if problems.widget_outputs and not allow_widgets:
            errors.append(f"{relative}: {problems.widget_outputs} ipywidgets output(s): they would "
                          "be dead controls on a static page (is LSTM_BOOK_STATIC honoured?)")
        if problems.remote_resources:
            errors.append(f"{relative}: loads remote resources {problems.remote_resources}")
        reports.append(PageReport(chapter.relative_source, relative,
                                  record["seconds"], record["cached"], local_page_weight(target),
                                  problems))

    if not any(chapter.is_index for chapter in pages):
        (out_dir / "index.html").write_text(standalone_index(pages), encoding="utf-8")
    elapsed = time.perf_counter() - start
    result = BuildResult(out_dir, reports, elapsed, errors)
    if verbose:
        print_summary(result)
    return result


def previous_seconds(cache_file: Path, default: float) -> float:
    """How long the last execution recorded in ``cache_file`` took (``default / 1e4`` if none)."""
    try:
        return float(json.loads(cache_file.read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return default / 1e4


def with_cached_outputs(notebook: Any, executed_json: str) -> str:
    """The freshly prepared ``notebook`` with the outputs of an earlier execution of its code."""
    import nbformat

    executed = nbformat.reads(executed_json, as_version=4)
    fresh = nbformat.from_dict(json.loads(nbformat.writes(notebook)))
    old_code = [cell for cell in executed.cells if cell.cell_type == "code"]
    new_code = [cell for cell in fresh.cells if cell.cell_type == "code"]
    for old, new in zip(old_code, new_code, strict=True):
        new.outputs = old.outputs
        new.execution_count = old.execution_count
    fresh.metadata = executed.metadata
    return nbformat.writes(fresh)


def print_summary(result: BuildResult) -> None:
    """Print the build time and each page's weight."""
    print(f"\nBuilt {len(result.pages)} page(s) into {result.out_dir} in {result.seconds:.1f} s")
    print(f"{'page':<40} {'execute s':>10} {'cached':>7} {'weight':>10}")
    for page in result.pages:
        weight = f"{page.weight_bytes / 1e6:.2f} MB" if page.weight_bytes else "-"
        print(f"{page.html:<40} {page.execute_seconds:>10.1f} {str(page.cached):>7} {weight:>10}")
    for error in result.errors:
        print(f"ERROR: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (_build/pages)")
    parser.add_argument("--chapters", nargs="*", help="only these chapters (names or numbers)")
    parser.add_argument("--force", action="store_true", help="re-execute every chapter")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at once")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_SECONDS,
                        help="seconds allowed per cell")
    parser.add_argument("--root", default=str(REPO_ROOT),
                        help="the book's folder (with _quarto.yml); default: this repository")
    parser.add_argument("--allow-widgets", action="store_true",
                        help="do not fail on ipywidgets outputs")
    arguments = parser.parse_args(argv)
    try:
        result = build_pages(arguments.out, arguments.chapters, force=arguments.force,
                             jobs=arguments.jobs, timeout=arguments.timeout,
                             allow_widgets=arguments.allow_widgets, root=arguments.root)
    except FileNotFoundError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    if any(page.problems.cell_error for page in result.pages):
        return 1
    return 3 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
