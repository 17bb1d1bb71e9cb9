"""Build the book's chapters as static HTML pages that work without a server and without any CDN.

Usage::

    python tools/build_pages.py [--out _build/pages] [--chapters 03 04 ...] [--force] [--jobs 2]

For every chapter listed in ``_quarto.yml`` (and ``index.qmd``) this script

1. reads the ``.qmd`` with jupytext's Rmd reader (``jupytext.reads(text, fmt="Rmd")``),
2. turns the Quarto markdown nbconvert does not know (``{#sec-..}`` heading ids,
   ``$$ .. $$ {#eq-..}`` numbered equations, ``@eq-..``/``@fig-..``/``@sec-..`` cross-references,
   ``::: {.callout-..}`` blocks, ``![..](..){#fig-.. fig-alt=".."}`` figures, ``#|`` cell
   options) into plain HTML and markdown,
3. executes it with nbclient in the ``python3`` kernel, with ``LSTM_BOOK_STATIC=1`` in the kernel's
   environment (so every explorer returns its self-contained HTML scrubber, never ipywidgets) and
   ``chapters/`` as the working directory,
4. exports it with nbconvert's ``HTMLExporter`` (lab template) into ``<out>/chapters/NN-slug.html``,
   with require.js, MathJax 2 (local ``TeX-AMS_CHTML`` config), jQuery, the widget renderer and Font
   Awesome all served from ``<out>/assets`` (copied from ``node_modules``, installed by ``npm ci``),
5. writes ``<out>/index.html`` linking every chapter and its notebook download
   (``<out>/notebooks/NN-slug.ipynb``), copies ``images/`` so ``../images/..`` paths resolve, and
   refuses to finish if a page would still load anything from another site.

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
import posixpath
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "_build" / "pages"
NODE_MODULES = REPO_ROOT / "node_modules"
STATIC_ENV = {"LSTM_BOOK_STATIC": "1"}
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"
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

CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
XREF_PREFIXES = {"eq": "Equation", "fig": "Figure", "sec": "Section", "tbl": "Table"}

BOOK_CSS = """\
/* Local overrides for the static pages of the LSTM book (tools/build_pages.py). */
body.jp-Notebook {
  /* Set on body so they win over the lab theme's :root values (inlined later in the page). */
  --jp-content-font-size1: 17px;
  --jp-code-font-size: 15px;
  --jp-content-font-color1: #1a1a1a;
  --jp-content-font-color2: #333333;
  --jp-ui-font-color1: #1a1a1a;
  --jp-ui-font-color2: #333333;
  --jp-content-link-color: #0b5394;
  /* Code colours with at least 6:1 contrast on the code background (axe: color-contrast). */
  --jp-mirror-editor-keyword-color: #006000;
  --jp-mirror-editor-atom-color: #3a3aa8;
  --jp-mirror-editor-number-color: #006000;
  --jp-mirror-editor-def-color: #0000cc;
  --jp-mirror-editor-variable-2-color: #00366d;
  --jp-mirror-editor-variable-3-color: #006644;
  --jp-mirror-editor-punctuation-color: #004f99;
  --jp-mirror-editor-property-color: #004f99;
  --jp-mirror-editor-operator-color: #7a1fa8;
  --jp-mirror-editor-comment-color: #2f5f5f;
  --jp-mirror-editor-string-color: #a31515;
  --jp-mirror-editor-string-2-color: #6a0077;
  --jp-mirror-editor-meta-color: #7a1fa8;
  --jp-mirror-editor-qualifier-color: #444444;
  --jp-mirror-editor-builtin-color: #006000;
  --jp-mirror-editor-bracket-color: #5c5c3d;
  --jp-mirror-editor-tag-color: #116600;
  --jp-mirror-editor-attribute-color: #0000b3;
  --jp-mirror-editor-header-color: #0000cc;
  --jp-mirror-editor-quote-color: #006600;
  --jp-mirror-editor-link-color: #0000b3;
  --jp-mirror-editor-error-color: #c00000;
  --jp-mirror-editor-hr-color: #666666;
}
body.jp-Notebook .jp-RenderedHTMLCommon a, .lstm-book-nav a {
  text-decoration: underline; }  /* axe: link-in-text-block */
body.jp-Notebook { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem 4rem; }
.jp-InputPrompt, .jp-OutputPrompt { color: #1a1a1a; }   /* readable prompts (axe: contrast) */
.jp-RenderedHTMLCommon { font-size: 17px; line-height: 1.6; }
.jp-RenderedHTMLCommon a { color: #0b5394; }
.jp-RenderedImage img, .jp-RenderedHTMLCommon img { max-width: 100%; height: auto; }
.lstm-book-nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center;
  padding: 0.75rem 0; margin-bottom: 1rem; border-bottom: 1px solid #c8c8c8; font-size: 16px; }
.lstm-book-nav a { color: #0b5394; }
.lstm-book-nav .lstm-download { margin-left: auto; }
.lstm-book-footer { margin-top: 2rem; border-top: 1px solid #c8c8c8; border-bottom: none; }
.lstm-chapter-number { margin-right: 0.6em; color: #444; }
figure.lstm-figure { margin: 1rem 0; }
figure.lstm-figure figcaption, .lstm-static-explorer figcaption { font-size: 15px; color: #333; }
.callout { border-left: 5px solid #0072b2; background: #f4f8fb; padding: 0.5rem 1rem;
  margin: 1rem 0; border-radius: 3px; }
.callout-tip { border-left-color: #009e73; background: #f2faf7; }
.callout-warning, .callout-caution { border-left-color: #d55e00; background: #fdf5ef; }
.callout-important { border-left-color: #cc79a7; background: #fbf3f8; }
.callout > summary, .callout .callout-title { font-weight: bold; cursor: pointer; }
.callout .callout-title { cursor: auto; margin: 0.25rem 0; }
.lstm-equation-anchor { display: block; position: relative; top: -1rem; }
.lstm-toc { font-size: 18px; margin: 1.5rem 0 2rem; padding: 0.5rem 1.5rem;
  background: #f7f7f7; border-radius: 4px; }
.lstm-toc ul { list-style: none; padding-left: 0.5rem; }
.lstm-toc li { margin: 0.4rem 0; }
.lstm-static-explorer input[type=range] { width: min(24rem, 55vw); vertical-align: middle; }
.lstm-static-explorer output { font-variant-numeric: tabular-nums; }
body.jp-Notebook ul.lstm-references { list-style: none; padding-left: 0; }
body.jp-Notebook ul.lstm-references li { margin: 0.6rem 0; padding-left: 2em; text-indent: -2em; }
body.jp-Notebook { font-family: var(--jp-content-font-family); color: #1a1a1a; }
@media (min-width: 1600px) { body.jp-Notebook { max-width: 76rem; } }
"""

PAGE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_css -%}
<link rel="stylesheet" href="__PREFIX__assets/lstm-book.css">
{%- endblock html_head_css -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block any_cell %}<div class="lstm-cell-marker" data-lstm-cell="{{ cell.metadata.get('lstm_index', '') }}"></div>{{ super() }}{% endblock any_cell %}
"""  # noqa: E501

# nbconvert makes every input and output area focusable (so a reader can scroll a wide one with
# the keyboard). Keep that only where the area really scrolls: otherwise a keyboard reader has to
# press Tab through every cell before reaching an explorer's slider.
FOCUS_TRIM_SCRIPT = """<script>
(function () {
  function trim() {
    document.querySelectorAll(".jp-Cell-inputWrapper[tabindex='0'], "
        + ".jp-OutputArea-output[tabindex='0']").forEach(function (area) {
      var scrolls = area.scrollWidth > area.clientWidth + 1
          || area.scrollHeight > area.clientHeight + 1;
      if (!scrolls) { area.removeAttribute("tabindex"); }
    });
  }
  if (document.readyState === "complete") { trim(); }
  else { window.addEventListener("load", trim); }
})();
</script>
"""

MATHJAX_LOCAL_CONFIG = """\
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  tex2jax: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']],
            displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
            processEscapes: true, processEnvironments: true},
  displayAlign: 'center', messageStyle: 'none',
  CommonHTML: {linebreaks: {automatic: true}},
  menuSettings: {zoom: "None", inTabOrder: false}
});
</script>
"""


# --------------------------------------------------------------------------------------------------
# Book structure
# --------------------------------------------------------------------------------------------------


@dataclass
class Chapter:
    """One page of the book: its source file, its number (None for the index) and its output."""

    source: Path
    number: int | None
    root: Path = REPO_ROOT
    title: str = ""
    slug: str = ""
    sections_seen: int = 0

    @property
    def relative_source(self) -> str:
        return self.source.relative_to(self.root).as_posix()

    @property
    def relative_html(self) -> str:
        rel = self.source.relative_to(self.root).with_suffix(".html")
        return rel.as_posix()

    @property
    def is_index(self) -> bool:
        return self.source.name == "index.qmd"

    @property
    def label(self) -> str:
        """How navigation names the page: ``"3. The forget gate"`` or just the title."""
        return f"{self.number}. {self.title}" if self.number is not None else self.title

    @property
    def notebook_name(self) -> str:
        return self.source.with_suffix(".ipynb").name


def read_book_order(repo_root: Path = REPO_ROOT) -> list[Path]:
    """Return the book's page sources in ``_quarto.yml`` order (index first) that exist on disk.

    Falls back to ``index.qmd`` and ``chapters/[0-9][0-9]-*.qmd`` sorted by name when there is no
    ``_quarto.yml`` or it lists no chapters.
    """
    import yaml

    config_file = repo_root / "_quarto.yml"
    listed: list[str] = []
    if config_file.exists():
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        book = config.get("book") or config.get("website") or {}

        def collect(node: Any) -> None:
            if isinstance(node, str):
                if node.endswith((".qmd", ".ipynb", ".md")):
                    listed.append(node)
            elif isinstance(node, list):
                for item in node:
                    collect(item)
            elif isinstance(node, dict):
                for key in ("chapters", "appendices", "part", "href", "file", "contents"):
                    if key in node:
                        collect(node[key])

        collect(book.get("chapters", []))
        collect(book.get("appendices", []))
    if not listed:
        listed = (["index.qmd"] if (repo_root / "index.qmd").exists() else []) + sorted(
            p.relative_to(repo_root).as_posix()
            for p in (repo_root / "chapters").glob("[0-9][0-9]-*.qmd")
        )
    sources = []
    for name in listed:
        path = repo_root / name
        if path.suffix == ".qmd" and path.exists() and path not in sources:
            sources.append(path)
    return sources


def chapter_number(source: Path) -> int | None:
    """Chapter number from a ``NN-slug.qmd`` file name (None for pages such as ``index.qmd``)."""
    match = re.match(r"(\d+)-", source.name)
    return int(match.group(1)) if match else None


# --------------------------------------------------------------------------------------------------
# Quarto markdown -> what nbconvert renders
# --------------------------------------------------------------------------------------------------

OPTION_LINE = re.compile(r"^\s*#\|\s?(.*)$")
HEADING_ATTRS = re.compile(r"^(#{1,6})\s+(.*?)\s*\{([^{}]*)\}\s*$")
EQUATION = re.compile(r"\$\$(.+?)\$\$[ \t]*\{#(eq-[\w-]+)\}", re.DOTALL)
FIGURE_IMAGE = re.compile(r"!\[(?P<caption>(?:\$[^$]*\$|\\.|[^\]$\\])*)\]"
                          r"\((?P<src>[^)\s]+)\)\{(?P<attrs>[^{}]*)\}")
FENCE_OPEN = re.compile(r"^(:{3,})\s*(?:\{(?P<attrs>[^{}]*)\}|(?P<cls>[\w-]+))\s*$")
FENCE_CLOSE = re.compile(r"^(:{3,})\s*$")
XREF = re.compile(r"(\[-?@(?:eq|fig|sec|tbl)-[\w-]*\w\]|(?<![\w@.])@(?:eq|fig|sec|tbl)-[\w-]*\w)")


def parse_attributes(text: str) -> dict[str, Any]:
    """Parse a pandoc attribute block body such as ``#fig-x .wide fig-alt="..." width=50%``."""
    result: dict[str, Any] = {"id": None, "classes": [], "attrs": {}}
    for match in re.finditer(r'(#[\w:-]+)|(\.[\w-]+)|([\w-]+)=(?:"([^"]*)"|\'([^\']*)\'|(\S+))',
                             text):
        if match.group(1):
            result["id"] = match.group(1)[1:]
        elif match.group(2):
            result["classes"].append(match.group(2)[1:])
        else:
            value = next(v for v in match.group(4, 5, 6) if v is not None)
            result["attrs"][match.group(3)] = value
    return result


def cell_options(source: str) -> tuple[dict[str, Any], str]:
    """Split Quarto ``#|`` options off the top of a code cell: returns (options, remaining code)."""
    import yaml

    lines = source.splitlines()
    option_lines = []
    index = 0
    while index < len(lines) and OPTION_LINE.match(lines[index]):
        option_lines.append(OPTION_LINE.match(lines[index]).group(1))
        index += 1
    options: dict[str, Any] = {}
    if option_lines:
        try:
            parsed = yaml.safe_load("\n".join(option_lines))
        except yaml.YAMLError as error:
            raise ValueError(
                f"cell options {option_lines!r} are not valid YAML: {error}") from error
        if isinstance(parsed, dict):
            options = parsed
    return options, "\n".join(lines[index:])


@dataclass
class CrossReferences:
    """Book-wide numbers of equations, figures and sections: label -> (text, page, anchor)."""

    targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (text, page)
    section_numbers: dict[str, list[str]] = field(default_factory=dict)  # page -> ["3.1", ...]
    bibliography: dict[str, dict[str, str]] = field(default_factory=dict)
    references_page: str | None = None  # the page with the ``::: {#refs}`` reference list
    cited: list[str] = field(default_factory=list)

    def scan(self, chapter: Chapter, notebook: Any) -> None:
        """Number the labels defined in a chapter, in reading order."""
        number = chapter.number
        counters = {"eq": 0, "fig": 0, "sec": 0, "tbl": 0}
        fence_depth = 0
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                text = strip_code(cell.source)
                if re.search(r"^:{3,}\s*\{#refs[\s}]", text, re.MULTILINE):
                    self.references_page = chapter.relative_html
                for key in re.findall(r"@([\w:.-]*\w)", text):
                    if key in self.bibliography and key not in self.cited:
                        self.cited.append(key)
                events = []
                for match in EQUATION.finditer(text):
                    events.append((match.start(), match.group(2)))
                for match in FIGURE_IMAGE.finditer(text):
                    label = parse_attributes(match.group("attrs"))["id"]
                    if label and label.startswith("fig-"):
                        events.append((match.start(), label))
                offset = 0
                for line in text.split("\n"):
                    if FENCE_OPEN.match(line):
                        fence_depth += 1
                    elif FENCE_CLOSE.match(line) and fence_depth:
                        fence_depth -= 1
                    heading = re.match(r"^(#{1,2})\s+(.*)$", line)
                    if heading and fence_depth == 0:
                        attrs = HEADING_ATTRS.match(line)
                        parsed = (parse_attributes(attrs.group(3)) if attrs
                                  else {"id": None, "classes": []})
                        if "unnumbered" in parsed["classes"]:
                            if parsed["id"]:
                                self.targets[parsed["id"]] = (chapter.title,
                                                              chapter.relative_html)
                        else:
                            events.append((offset, (parsed["id"] or "", len(heading.group(1)))))
                    offset += len(line) + 1
                for _, label in sorted(events, key=lambda event: event[0]):
                    if isinstance(label, tuple):
                        label, level = label
                        if level == 1:
                            if label:
                                self.targets[label] = (
                                    f"Chapter {number}" if number else chapter.title,
                                    chapter.relative_html)
                            continue
                        counters["sec"] += 1
                        if number is None:
                            continue
                        shown = f"{number}.{counters['sec']}"
                        self.section_numbers.setdefault(chapter.relative_html, []).append(shown)
                        if label:
                            self.targets[label] = (f"Section {shown}", chapter.relative_html)
                        continue
                    kind = label.split("-", 1)[0]
                    counters[kind] += 1
                    shown = f"{number}.{counters[kind]}" if number else str(counters[kind])
                    self.targets[label] = (f"{XREF_PREFIXES[kind]} {shown}",
                                           chapter.relative_html)
            elif cell.cell_type == "code":
                options, _ = cell_options(cell.source)
                label = str(options.get("label", ""))
                if label.startswith(("fig-", "tbl-")):
                    kind = label.split("-", 1)[0]
                    counters[kind] += 1
                    shown = f"{number}.{counters[kind]}" if number else str(counters[kind])
                    self.targets[label] = (f"{XREF_PREFIXES[kind]} {shown}",
                                           chapter.relative_html)

    def number_of(self, label: str) -> str:
        """The displayed number of a label, e.g. ``"3.1"`` for ``eq-forget-gate``."""
        text, _ = self.targets[label]
        return text.split(" ", 1)[1]

    def link(self, label: str, from_page: str, bare_number: bool = False) -> str:
        """Markdown link to a label's target as seen from ``from_page``."""
        if label not in self.targets:
            raise KeyError(label)
        text, page = self.targets[label]
        if bare_number:
            text = text.split(" ", 1)[1]
        if page == from_page:
            href = f"#{label}"
        else:
            href = posixpath.relpath(page, posixpath.dirname(from_page) or ".")
            href = f"{href}#{label}"
        return f"[{text}]({href})"


def strip_code(text: str) -> str:
    """Blank out fenced code blocks and inline code spans, keeping string offsets."""
    text = re.sub(r"```.*?```", lambda m: " " * len(m.group(0)), text, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), text)


def replace_outside_code(text: str, pattern: re.Pattern[str], replace) -> str:
    """Apply ``pattern.sub(replace, ...)`` only to the parts of markdown that are not code."""
    parts = re.split(r"(```.*?```|`[^`\n]*`)", text, flags=re.DOTALL)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(replace, parts[index])
    return "".join(parts)



# --------------------------------------------------------------------------------------------------
# Citations ([@key], @key) from the book's BibTeX file
# --------------------------------------------------------------------------------------------------

LATEX_ACCENTS = {'\\"': "\u0308", "\\'": "\u0301", "\\`": "\u0300", "\\^": "\u0302", "\\~": "\u0303",
                 "\\c": "\u0327", "\\v": "\u030c", "\\u": "\u0306", "\\=": "\u0304"}
CITE_BRACKET = re.compile(r"\[([^\[\]]*?-?@[\w:.-]*\w[^\[\]]*)\]")
CITE_INLINE = re.compile(r"(?<![\w@.\[/])@([\w:.-]*\w)")


def latex_to_text(value: str) -> str:
    """Plain text of a BibTeX value: accents to Unicode, braces and ``--`` dropped/replaced."""
    import unicodedata

    def accent(match: re.Match[str]) -> str:
        return unicodedata.normalize("NFC", match.group(2) + LATEX_ACCENTS[match.group(1)])

    value = re.sub(r"\{?(\\[\"'`^~=]|\\[cvu] ?)\{?([A-Za-z])\}?\}?",
                   lambda m: accent(re.match(r"(\\.)\s?(.)", m.group(1).strip() + m.group(2))),
                   value)
    return value.replace("{", "").replace("}", "").replace("--", "\u2013").strip()


def read_bibliography(path: Path) -> dict[str, dict[str, str]]:
    """Parse a (simple) BibTeX file into ``{key: {field: text}}``."""
    entries: dict[str, dict[str, str]] = {}
    if not path.exists():
        return entries
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        fields = {"type": match.group(1).lower()}
        position = match.end()
        depth = 1
        end = position
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        body = text[position:end - 1]
        for field_match in re.finditer(r"(\w+)\s*=\s*", body):
            start = field_match.end()
            if start >= len(body):
                continue
            if body[start] == "{":
                depth, index = 1, start + 1
                while index < len(body) and depth:
                    depth += {"{": 1, "}": -1}.get(body[index], 0)
                    index += 1
                raw = body[start + 1:index - 1]
            else:
                raw = re.match(r'"?([^",]*)"?', body[start:]).group(1)
            fields[field_match.group(1).lower()] = latex_to_text(raw)
        entries[match.group(2)] = fields
    return entries


def author_last_names(entry: dict[str, str]) -> list[str]:
    """Last names of an entry's authors."""
    names = []
    for author in entry.get("author", "").split(" and "):
        author = author.strip()
        names.append(author.split(",")[0].strip() if "," in author else author.split(" ")[-1])
    return [name for name in names if name]


def citation_author(entry: dict[str, str]) -> str:
    """Author-date names: ``"Gangani"``, ``"Hochreiter and Schmidhuber"``,
    ``"Gers, Schmidhuber, and Cummins"`` or ``"Greff et al."`` (four or more)."""
    names = author_last_names(entry)
    if len(names) > 3:
        return f"{names[0]} et al."
    if len(names) == 3:
        return f"{names[0]}, {names[1]}, and {names[2]}"
    return " and ".join(names) or entry.get("title", "?")


def reference_html(key: str, entry: dict[str, str]) -> str:
    """One entry of the reference list (author-year style)."""
    authors = []
    for author in entry.get("author", "").split(" and "):
        parts = [part.strip() for part in author.split(",")]
        if len(parts) == 2:
            initials = " ".join(f"{given[0]}." for given in parts[1].split() if given)
            authors.append(f"{parts[0]}, {initials}")
        elif author.strip():
            authors.append(author.strip())
    author_text = ", ".join(authors[:-1]) + (", & " if len(authors) > 1 else "") + authors[-1] \
        if authors else ""
    where = entry.get("journal") or entry.get("booktitle") or entry.get("howpublished") or ""
    details = ""
    if entry.get("volume"):
        details += f", {entry['volume']}"
        if entry.get("number"):
            details += f"({entry['number']})"
    if entry.get("pages"):
        details += f", {entry['pages']}"
    link = ""
    if entry.get("doi"):
        link = (f' <a href="https://doi.org/{html.escape(entry["doi"])}">'
                f"doi:{html.escape(entry['doi'])}</a>")
    elif entry.get("url"):
        link = f' <a href="{html.escape(entry["url"])}">{html.escape(entry["url"])}</a>'
    where_html = f" <em>{html.escape(where)}</em>{html.escape(details)}." if where else ""
    if entry.get("note"):
        where_html += f" {html.escape(entry['note'].rstrip('.'))}."
    return (f'<li id="ref-{html.escape(key)}">{html.escape(author_text)} '
            f"({html.escape(entry.get('year', 'n.d.'))}). {html.escape(entry.get('title', ''))}."
            f"{where_html}{link}</li>")


@dataclass
class PageProblems:
    """Things the build found wrong in one page (reported; some make the build fail)."""

    unresolved_references: list[str] = field(default_factory=list)
    widget_outputs: int = 0
    remote_resources: list[str] = field(default_factory=list)
    cell_error: str | None = None


def transform_markdown(text: str, chapter: Chapter, refs: CrossReferences, fence_ids: list[int],
                       fence_stack: list[int], problems: PageProblems) -> str:
    """Rewrite one markdown cell's Quarto syntax into markdown + HTML nbconvert renders."""

    def equation(match: re.Match[str]) -> str:
        label = match.group(2)
        body = match.group(1).strip("\n")
        tag = f" \\tag{{{refs.number_of(label)}}}" if label in refs.targets else ""
        return (f'<a id="{label}" class="lstm-equation-anchor"></a>\n\n'
                f"$$\n{body.strip()}{tag}\n$$")

    def figure(match: re.Match[str]) -> str:
        attributes = parse_attributes(match.group("attrs"))
        label = attributes["id"] or ""
        alt = attributes["attrs"].get("fig-alt") or match.group("caption")
        caption = match.group("caption")
        if label in refs.targets:
            caption = f"{refs.targets[label][0]}: {caption}"
        style = ""
        if "width" in attributes["attrs"]:
            style = f' style="width: {html.escape(attributes["attrs"]["width"])}"'
        id_attr = f' id="{html.escape(label)}"' if label else ""
        return (f'<figure class="lstm-figure"{id_attr}><img src="{html.escape(match.group("src"))}"'
                f' alt="{html.escape(alt)}"{style}>'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    def xref(match: re.Match[str]) -> str:
        token = match.group(0)
        bare = token.startswith("[-@")
        label = token.strip("[]").lstrip("-@")
        try:
            return refs.link(label, chapter.relative_html, bare_number=bare)
        except KeyError:
            problems.unresolved_references.append(label)
            return token

    text = replace_outside_code(text, EQUATION, equation)
    text = replace_outside_code(text, FIGURE_IMAGE, figure)
    text = replace_outside_code(text, XREF, xref)

    def cite_target(key: str) -> str:
        if refs.references_page is None:
            return ""
        page = refs.references_page
        if page == chapter.relative_html:
            return f"#ref-{key}"
        return f"{posixpath.relpath(page, posixpath.dirname(chapter.relative_html) or '.')}#ref-{key}"

    def cite_bracket(match: re.Match[str]) -> str:
        items = []
        for item in match.group(1).split(";"):
            parsed = re.match(r"(?P<prefix>.*?)(?P<suppress>-)?@(?P<key>[\w:.-]*\w)(?P<suffix>.*)",
                              item.strip(), re.DOTALL)
            if parsed is None or parsed.group("key") not in refs.bibliography:
                if parsed is not None:
                    problems.unresolved_references.append(parsed.group("key"))
                return match.group(0)
            entry = refs.bibliography[parsed.group("key")]
            shown = entry.get("year", "n.d.") if parsed.group("suppress") else \
                f"{citation_author(entry)} {entry.get('year', 'n.d.')}"
            target = cite_target(parsed.group("key"))
            linked = f"[{shown}]({target})" if target else shown
            items.append(f"{parsed.group('prefix')}{linked}{parsed.group('suffix')}")
        return "(" + "; ".join(items) + ")"

    def cite_inline(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in refs.bibliography:
            return match.group(0)
        entry = refs.bibliography[key]
        shown = f"{citation_author(entry)} ({entry.get('year', 'n.d.')})"
        target = cite_target(key)
        return f"[{shown}]({target})" if target else shown

    if refs.bibliography:
        text = replace_outside_code(text, CITE_BRACKET, cite_bracket)
        text = replace_outside_code(text, CITE_INLINE, cite_inline)

    out_lines = []
    in_code = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            out_lines.append(line)
            continue
        if in_code:
            out_lines.append(line)
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            with_attrs = HEADING_ATTRS.match(line)
            if with_attrs:
                attributes = parse_attributes(with_attrs.group(3))
                level, title = with_attrs.group(1), with_attrs.group(2)
            else:
                attributes = {"id": None, "classes": []}
                level, title = heading.group(1), heading.group(2)
            shown = None
            if ("unnumbered" not in attributes["classes"] and chapter.number is not None
                    and not fence_stack):
                if len(level) == 1:
                    shown = str(chapter.number)
                elif len(level) == 2:
                    numbers = refs.section_numbers.get(chapter.relative_html, [])
                    if chapter.sections_seen < len(numbers):
                        shown = numbers[chapter.sections_seen]
                    chapter.sections_seen += 1
            if attributes["id"] or attributes["classes"] or shown:
                marker = json.dumps({"id": attributes["id"], "classes": attributes["classes"],
                                     "number": shown})
                out_lines += ["", f"<div class=\"lstm-heading-attrs\" data-attrs='"
                              f"{html.escape(marker, quote=True)}'></div>", ""]
            out_lines.append(f"{level} {title}")
            continue
        opened = FENCE_OPEN.match(line)
        if opened:
            attributes = parse_attributes(opened.group("attrs") or "")
            if opened.group("cls"):
                attributes["classes"].append(opened.group("cls"))
            fence_id = len(fence_ids)
            fence_ids.append(fence_id)
            fence_stack.append(fence_id)
            payload = html.escape(json.dumps(attributes), quote=True)
            out_lines += ["", f"<div class=\"lstm-fence\" data-open=\"{fence_id}\" "
                          f"data-attrs='{payload}'></div>", ""]
            continue
        if FENCE_CLOSE.match(line) and fence_stack:
            fence_id = fence_stack.pop()
            out_lines += ["", f'<div class="lstm-fence" data-close="{fence_id}"></div>', ""]
            continue
        out_lines.append(line)
    return "\n".join(out_lines)


def qmd_to_notebook(chapter: Chapter, refs: CrossReferences | None) -> tuple[Any, PageProblems]:
    """Read a chapter with jupytext and prepare it for execution and export."""
    import jupytext

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

    fence_ids: list[int] = []
    fence_stack: list[int] = []
    for index, cell in enumerate(notebook.cells):
        cell.metadata["lstm_index"] = index
        if cell.cell_type == "markdown":
            cell.source = transform_markdown(cell.source, chapter, refs, fence_ids, fence_stack,
                                             problems)
        elif cell.cell_type == "code":
            options, code = cell_options(cell.source)
            cell.metadata["lstm_options"] = options
            tags = list(cell.metadata.get("tags", []))
            if options.get("eval") is False:
                tags.append("skip-execution")
            if options.get("error") is True:
                tags.append("raises-exception")
            if options.get("include") is False:
                tags.append("remove_cell")
            if options.get("echo") is False:
                tags.append("remove_input")
            if options.get("output") is False:
                tags.append("remove_output")
            cell.metadata["tags"] = tags
            cell.source = code
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["title"] = chapter.title
    return notebook, problems


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


def postprocess_html(page_html: str, notebook: Any, chapter: Chapter, prefix: str,
                     navigation: str, footer: str) -> str:
    """Fix what nbconvert leaves: ids, figures and alt text, callouts, remote links, navigation."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, features="html.parser")
    cells_by_index = {cell.metadata.get("lstm_index"): cell for cell in notebook.cells}

    # Code cells: figure captions, alt text and labels from the cell's #| options.
    for marker in soup.select("div.lstm-cell-marker"):
        index = marker.get("data-lstm-cell")
        cell_div = marker.find_next_sibling("div")
        marker.decompose()
        cell = cells_by_index.get(int(index)) if index not in (None, "") else None
        if cell is None or cell.cell_type != "code" or cell_div is None:
            continue
        options = cell.metadata.get("lstm_options", {})
        label = str(options.get("label", "") or "")
        alt = options.get("fig-alt")
        caption = options.get("fig-cap")
        images = cell_div.select(".jp-OutputArea-output img, .jp-RenderedSVG svg")
        for image in images:
            if image.name == "img":
                if alt:
                    image["alt"] = str(alt)
                elif caption and image.get("alt") == NBCONVERT_PLACEHOLDER_ALT:
                    image["alt"] = str(caption)
        if label and caption and images:
            figure = soup.new_tag("figure", attrs={"class": "lstm-figure"})
            if label.startswith("fig-"):
                figure["id"] = label
                number = chapter_reference_text(label)
                caption = f"{number}: {caption}" if number else caption
            output_area = images[0].find_parent(class_="jp-OutputArea-output") or images[0].parent
            output_area.wrap(figure)
            figcaption = soup.new_tag("figcaption")
            figcaption.string = str(caption)
            figure.append(figcaption)
        elif label and cell_div.get("id") is None:
            cell_div["id"] = label

    # Headings: Quarto ids and chapter numbers.
    for marker in soup.select("div.lstm-heading-attrs"):
        attributes = json.loads(marker["data-attrs"])
        heading = marker.find_next(re.compile(r"^h[1-6]$"))
        marker.decompose()
        if heading is None:
            continue
        if attributes.get("id"):
            heading["id"] = attributes["id"]
            for anchor in heading.select("a.anchor-link"):
                anchor["href"] = f"#{attributes['id']}"
        if attributes.get("classes"):
            heading["class"] = heading.get("class", []) + attributes["classes"]
        if attributes.get("number") and "unnumbered" not in attributes.get("classes", []):
            number = soup.new_tag("span", attrs={"class": "lstm-chapter-number"})
            number.string = str(attributes["number"])
            heading.insert(0, number)

    build_fenced_divs(soup)

    reference_list = soup.select_one("#refs")
    if reference_list is not None and _REFERENCES is not None:
        entries = _REFERENCES.bibliography
        keys = sorted(_REFERENCES.cited or entries,
                      key=lambda key: (author_last_names(entries[key]) or [""])[0] +
                      entries[key].get("year", ""))
        items = "".join(reference_html(key, entries[key]) for key in keys)
        reference_list.append(BeautifulSoup(f'<ul class="lstm-references">{items}</ul>',
                                            features="html.parser"))

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


_REFERENCES: CrossReferences | None = None


def chapter_reference_text(label: str) -> str:
    """``"Figure 3.1"`` for a figure label (empty if unknown)."""
    if _REFERENCES is None or label not in _REFERENCES.targets:
        return ""
    return _REFERENCES.targets[label][0]


def build_fenced_divs(soup: Any) -> None:
    """Turn the fence markers left by :func:`transform_markdown` into callouts and divs.

    A fence may span several notebook cells (a solution with a code cell inside): everything
    between its open and close markers, in document order, moves into the new element.
    """
    opens = {m["data-open"]: m for m in soup.select("div.lstm-fence[data-open]")}
    closes = {m["data-close"]: m for m in soup.select("div.lstm-fence[data-close]")}
    # Innermost first (higher ids open later) so nested fences end up nested.
    for fence_id in sorted(opens, key=int, reverse=True):
        opener = opens[fence_id]
        closer = closes.get(fence_id)
        attributes = json.loads(opener["data-attrs"])
        classes = attributes.get("classes", [])
        kind = next((c.split("-", 1)[1] for c in classes if c.startswith("callout-")), None)
        collapsible = kind is not None and str(attributes["attrs"].get("collapse", "")).lower() \
            in ("true", "1", "yes")
        container = soup.new_tag("details" if collapsible else "div")
        container["class"] = (["callout", f"callout-{kind}"] if kind in CALLOUT_KINDS else []) + [
            c for c in classes if not c.startswith("callout-")]
        if attributes.get("id"):
            container["id"] = attributes["id"]
        if kind and not collapsible:
            container["role"] = "note"
        moved = collect_between(soup, opener, closer)
        opener.replace_with(container)
        if closer is not None:
            closer.decompose()
        for node in moved:
            container.append(node)
        if kind:
            title_text = attributes["attrs"].get("title")
            first_heading = container.find(re.compile(r"^h[1-6]$"))
            if first_heading is not None and is_first_content(container, first_heading):
                for anchor in first_heading.select("a.anchor-link"):
                    anchor.decompose()
                title_text = title_text or first_heading.get_text(" ", strip=True)
                first_heading.decompose()
            title_text = title_text or kind.capitalize()
            title = soup.new_tag("summary" if collapsible else "p")
            if not collapsible:
                title["class"] = "callout-title"
            title.string = title_text
            container.insert(0, title)


def is_first_content(container: Any, element: Any) -> bool:
    """True when ``element`` is the first thing with text inside ``container``."""
    for node in container.descendants:
        if node is element:
            return True
        if isinstance(node, str) and node.strip():
            return False
    return False


def collect_between(soup: Any, opener: Any, closer: Any) -> list[Any]:
    """The nodes strictly between two markers, lifted to be siblings where markers differ in depth.

    Markdown fragments keep their nbconvert wrapper classes so they stay styled.
    """
    if closer is None:
        return list(opener.find_next_siblings())
    if closer in opener.find_next_siblings():
        nodes = []
        for sibling in opener.next_siblings:
            if sibling is closer:
                break
            nodes.append(sibling)
        return [n.extract() for n in nodes]
    # Different cells: common ancestor is the notebook body. Take the rest of the opener's cell,
    # the whole cells between, and the start of the closer's cell.
    open_cell = opener.find_parent(class_="jp-Cell")
    close_cell = closer.find_parent(class_="jp-Cell")
    if open_cell is None or close_cell is None:
        return []
    nodes: list[Any] = []
    head = [n for n in opener.next_siblings]
    fragment = soup.new_tag("div", attrs={"class": "jp-RenderedHTMLCommon jp-RenderedMarkdown"})
    for node in head:
        fragment.append(node.extract())
    nodes.append(fragment)
    for sibling in list(open_cell.next_siblings):
        if sibling is close_cell:
            break
        if getattr(sibling, "name", None) is None and not str(sibling).strip():
            continue
        nodes.append(sibling.extract())
    tail = []
    for sibling in closer.parent.contents:
        if sibling is closer:
            break
        tail.append(sibling)
    fragment = soup.new_tag("div", attrs={"class": "jp-RenderedHTMLCommon jp-RenderedMarkdown"})
    for node in tail:
        fragment.append(node.extract())
    nodes.append(fragment)
    return nodes


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
    (assets / "lstm-book.css").write_text(BOOK_CSS, encoding="utf-8")


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
                                                  chapter.relative_source)
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


def select_pages(requested: list[str] | None, root: Path = REPO_ROOT) -> list[Path]:
    """The book's sources, restricted to ``requested`` names/numbers if given."""
    sources = read_book_order(root)
    if not requested:
        return sources
    wanted = []
    for source in sources:
        number = chapter_number(source)
        for item in requested:
            if item in (source.name, source.stem, source.relative_to(root).as_posix()) or (
                    number is not None and item.isdigit() and int(item) == number):
                wanted.append(source)
                break
    return wanted


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
    global _REFERENCES
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
    refs = CrossReferences(bibliography=read_bibliography(root / "references.bib"))
    prepared: dict[Path, tuple[Any, PageProblems]] = {}
    for chapter in pages:
        notebook, _ = qmd_to_notebook(chapter, None)
        refs.scan(chapter, notebook)
    _REFERENCES = refs
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
        problems.widget_outputs = drop_unwanted_outputs(notebook)
        notebook.metadata.pop("widgets", None)
        prefix = "../" * relative.count("/")
        exporter = make_exporter(prefix)
        body, _ = exporter.from_notebook_node(notebook)
        navigation = navigation_html(pages, position, prefix)
        footer = navigation_html(pages, position, prefix, footer=True)
        body = postprocess_html(body, notebook, chapter, prefix, navigation, footer)
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
