"""The one translator of the book's Quarto markdown into notebooks (``tools/make_notebooks.py``).

Quarto renders the website itself; JupyterLab does not understand Quarto's markdown, so this
module turns a chapter's markdown cells into plain Markdown and the HTML JupyterLab keeps: links
between notebooks, ``<a id>`` anchors, blockquote callouts and ``<details>`` solutions. (Quarto's
own ``ipynb`` format is not an option: Quarto refuses it in a book project, and a chapter rendered
alone leaves every reference to another chapter unresolved, as ``?@sec-...``.)

What is translated (numbered as Quarto numbers them, counted over the whole book):

* headings ``## Title {#sec-x}``: an anchor and the number (``3.2``); ``{.unnumbered}`` honoured;
* numbered equations ``$$ .. $$ {#eq-x}``: an anchor and ``\\tag{3.1}``;
* figures ``![caption](src){#fig-x fig-alt="..."}`` and code cells with ``#| label: fig-x``;
* cross-references ``@eq-x``, ``@fig-x``, ``@sec-x``, ``@tbl-x`` ("Equation 3.1", "Figure 6.1",
  "Section 4.2", "Chapter 3" for a chapter's own id) and ``[-@eq-x]`` (the bare number);
* citations ``[@key]``, ``[see @a, p. 3; @b]``, ``[-@key]`` and ``@key`` from ``references.bib``,
  written author-year ("(Gers, Schmidhuber, and Cummins 2000)") and linked to the reference list;
* callouts ``::: {.callout-tip collapse="true"}`` (nested or spanning several cells);
* ``#|`` cell options (:func:`cell_options`);
* Quarto inline code `` `{python} expr` ``: :func:`inline_expressions` finds them; a notebook
  shows such a paragraph once, as the output of a code cell with hidden source that fills in the
  run's values (:func:`split_at_inline_paragraphs`, :func:`inline_paragraph_code`).

References inside code spans and fenced code blocks are left alone; a reference or citation
whose target is unknown is left as written and recorded in ``Translator.unresolved``.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is a folder of scripts
from quarto_bibliography import (  # noqa: E402
    citation_author,
    read_bibliography,
)

__all__ = ["CALLOUT_KINDS", "CrossReferences", "Page", "Translator", "cell_options",
           "inline_expressions", "inline_paragraph_code", "parse_attributes", "read_bibliography",
           "split_at_inline_paragraphs", "replace_outside_code", "strip_code"]

CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
XREF_PREFIXES = {"eq": "Equation", "fig": "Figure", "sec": "Section", "tbl": "Table"}

OPTION_LINE = re.compile(r"^\s*#\|\s?(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
#: A Pandoc table caption carrying a Quarto label: ``: The caption. {#tbl-name}`` under a table.
TABLE_CAPTION = re.compile(r"^:[ \t]+(?P<caption>.+?)[ \t]*\{#(?P<label>tbl-[\w-]+)\}[ \t]*$", re.MULTILINE)
HEADING_ATTRS = re.compile(r"^(#{1,6})\s+(.*?)\s*\{([^{}]*)\}\s*$")
EQUATION = re.compile(r"\$\$(.+?)\$\$[ \t]*\{#(eq-[\w-]+)\}", re.DOTALL)
FIGURE_IMAGE = re.compile(r"!\[(?P<caption>(?:\$[^$]*\$|\\.|[^\]$\\])*)\]"
                          r"\((?P<src>[^)\s]+)\)\{(?P<attrs>[^{}]*)\}")
FENCE_OPEN = re.compile(r"^(:{3,})\s*(?:\{(?P<attrs>[^{}]*)\}|(?P<cls>[\w-]+))\s*$")
FENCE_CLOSE = re.compile(r"^(:{3,})\s*$")
XREF = re.compile(r"(\[-?@(?:eq|fig|sec|tbl)-[\w-]*\w\]|(?<![\w@.])@(?:eq|fig|sec|tbl)-[\w-]*\w)")
CITE_BRACKET = re.compile(r"\[([^\[\]]*?-?@[\w:.-]*\w[^\[\]]*)\]")
CITE_INLINE = re.compile(r"(?<![\w@.\[/])@([\w:.-]*\w)")
CODE_PARTS = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
FENCED_CODE = re.compile(r"(```.*?```)", re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)([^\n]*?[^`\n])\1(?!`)")


# --------------------------------------------------------------------------------------------------
# Small parsers
# --------------------------------------------------------------------------------------------------


def parse_attributes(text: str) -> dict[str, Any]:
    """Parse a pandoc attribute block body such as ``#fig-x .wide fig-alt="..." width=50%``.

    Returns
    -------
    dict
        ``{"id": str or None, "classes": [str, ...], "attrs": {key: value}}``.
    """
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
    """Split Quarto ``#|`` options off the top of a code cell.

    Returns
    -------
    (dict, str)
        The options (parsed as YAML) and the remaining code.

    Raises
    ------
    ValueError
        If the option lines are not valid YAML.
    """
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


def strip_code(text: str) -> str:
    """Blank out fenced code blocks and inline code spans, keeping string offsets."""
    text = re.sub(r"```.*?```", lambda m: " " * len(m.group(0)), text, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), text)


def replace_outside_code(text: str, pattern: re.Pattern[str], replace: Any) -> str:
    """Apply ``pattern.sub(replace, ...)`` only to the parts of markdown that are not code."""
    parts = CODE_PARTS.split(text)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(replace, parts[index])
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Book-wide numbering
# --------------------------------------------------------------------------------------------------


@dataclass
class Page:
    """One translated document: where it is published, its chapter number and its title.

    ``path`` is relative to the site root (``chapters/03-forget-gate.html`` for a page,
    ``notebooks/03-forget-gate.ipynb`` for a notebook); links are made relative between paths.
    """

    path: str
    number: int | None
    title: str = ""


@dataclass
class CrossReferences:
    """Book-wide numbers of equations, figures and sections: label -> (text, page path)."""

    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    section_numbers: dict[str, list[str]] = field(default_factory=dict)  # page -> ["3.1", ...]
    bibliography: dict[str, dict[str, str]] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)

    def scan(self, page: Page, cells: list[Any]) -> None:
        """Number the labels defined in one document, in reading order.

        Parameters
        ----------
        page : Page
            The document.
        cells : list
            Its cells (objects with ``cell_type`` and ``source``), Quarto syntax untouched.
        """
        counters = {"eq": 0, "fig": 0, "sec": 0, "tbl": 0}
        self.section_numbers.pop(page.path, None)  # scanning a document again renumbers it
        fence_depth = 0
        for cell in cells:
            if cell.cell_type == "markdown":
                text = strip_code(cell.source)
                for key in re.findall(r"@([\w:.-]*\w)", text):
                    if key in self.bibliography and key not in self.cited:
                        self.cited.append(key)
                events: list[tuple[int, Any]] = []
                for match in EQUATION.finditer(text):
                    events.append((match.start(), match.group(2)))
                for match in FIGURE_IMAGE.finditer(text):
                    label = parse_attributes(match.group("attrs"))["id"]
                    if label and label.startswith("fig-"):
                        events.append((match.start(), label))
                for match in TABLE_CAPTION.finditer(text):
                    events.append((match.start(), match.group("label")))
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
                                self.targets[parsed["id"]] = (page.title, page.path)
                        else:
                            events.append((offset, (parsed["id"] or "", len(heading.group(1)))))
                    offset += len(line) + 1
                for _, label in sorted(events, key=lambda event: event[0]):
                    if isinstance(label, tuple):
                        self._heading(page, counters, *label)
                    else:
                        self._number(page, counters, label)
            elif cell.cell_type == "code":
                options, _ = cell_options(cell.source)
                label = str(options.get("label", ""))
                if label.startswith(("fig-", "tbl-")):
                    self._number(page, counters, label)

    def _heading(self, page: Page, counters: dict[str, int], label: str, level: int) -> None:
        if level == 1:
            if label:
                self.targets[label] = (f"Chapter {page.number}" if page.number else page.title,
                                       page.path)
            return
        counters["sec"] += 1
        if page.number is None:
            return
        shown = f"{page.number}.{counters['sec']}"
        self.section_numbers.setdefault(page.path, []).append(shown)
        if label:
            self.targets[label] = (f"Section {shown}", page.path)

    def _number(self, page: Page, counters: dict[str, int], label: str) -> None:
        kind = label.split("-", 1)[0]
        counters[kind] += 1
        shown = f"{page.number}.{counters[kind]}" if page.number else str(counters[kind])
        self.targets[label] = (f"{XREF_PREFIXES[kind]} {shown}", page.path)

    def number_of(self, label: str) -> str:
        """The displayed number of a label, e.g. ``"3.1"`` for ``eq-forget-gate``."""
        text, _ = self.targets[label]
        return text.split(" ", 1)[1]

    def href(self, page_path: str, anchor: str, from_page: str) -> str:
        """``#anchor`` on the same page, else the relative path to ``page_path`` and the anchor."""
        if page_path == from_page:
            return f"#{anchor}"
        return f"{posixpath.relpath(page_path, posixpath.dirname(from_page) or '.')}#{anchor}"

    def link(self, label: str, from_page: str, bare_number: bool = False) -> str:
        """Markdown link to a label's target as seen from ``from_page``.

        Raises
        ------
        KeyError
            If no document defines ``label``.
        """
        if label not in self.targets:
            raise KeyError(label)
        text, page = self.targets[label]
        if bare_number:
            text = text.split(" ", 1)[1]
        return f"[{text}]({self.href(page, label, from_page)})"


# --------------------------------------------------------------------------------------------------
# Markdown cells
# --------------------------------------------------------------------------------------------------


@dataclass
class _Fence:
    """An open ``:::`` block while translating for a notebook."""

    kind: str | None  # callout kind, None for a plain div
    collapsible: bool
    title: str
    anchor: str = ""
    quote: bool = False  # rendered as a blockquote (a callout that does not fold)
    started: bool = False  # its opening lines were written (in the current cell)
    had_content: bool = False


class Translator:
    """Translates the markdown cells of one chapter into notebook markdown, in order.

    Fences may span cells, so one translator is used for all the cells of a document.

    Parameters
    ----------
    page : Page
        The document being translated.
    refs : CrossReferences
        The book's numbering (scanned over every document first).
    """

    def __init__(self, page: Page, refs: CrossReferences) -> None:
        self.page, self.refs = page, refs
        self.unresolved: list[str] = []
        self.fence_stack: list[_Fence] = []  # the callouts and divs open at this point
        self.sections_seen = 0

    @property
    def in_folded_fence(self) -> bool:
        """True while inside a fence that folds (a code cell here belongs to a solution)."""
        return any(fence.collapsible for fence in self.fence_stack)

    # ------------------------------------------------------------------ inline replacements

    def _equation(self, match: re.Match[str]) -> str:
        label = match.group(2)
        body = match.group(1).strip("\n")
        tag = f" \\tag{{{self.refs.number_of(label)}}}" if label in self.refs.targets else ""
        return (f'<a id="{label}" class="lstm-equation-anchor"></a>\n\n'
                f"$$\n{body.strip()}{tag}\n$$")

    def _table_caption(self, match: re.Match[str]) -> str:
        """``: caption {#tbl-x}`` -> an anchor and "**Table N.M.** caption" below the table."""
        label = match.group("label")
        number = self.refs.targets[label][0] if label in self.refs.targets else "Table"
        return f'\n<a id="{html.escape(label)}"></a>\n\n**{number}.** {match.group("caption")}'

    def _figure(self, match: re.Match[str]) -> str:
        attributes = parse_attributes(match.group("attrs"))
        label = attributes["id"] or ""
        alt = attributes["attrs"].get("fig-alt") or match.group("caption")
        caption = match.group("caption")
        number = self.refs.targets[label][0] if label in self.refs.targets else ""
        escaped_alt = re.sub(r"([\[\]\\])", r"\\\1", alt)
        anchor = f'<a id="{html.escape(label)}"></a>\n\n' if label else ""
        shown = f"**{number}.** {caption}" if number else caption
        return f"{anchor}![{escaped_alt}]({match.group('src')})\n\n{shown}"

    def _xref(self, match: re.Match[str]) -> str:
        token = match.group(0)
        label = token.strip("[]").lstrip("-@")
        try:
            return self.refs.link(label, self.page.path, bare_number=token.startswith("[-@"))
        except KeyError:
            self.unresolved.append(label)
            return token

    @staticmethod
    def _cite_target(key: str) -> str:
        """A citation links to its entry in the notebook's own reference list."""
        return f"#ref-{key}"

    def _cite_bracket(self, match: re.Match[str]) -> str:
        items = []
        for item in match.group(1).split(";"):
            parsed = re.match(r"(?P<prefix>.*?)(?P<suppress>-)?@(?P<key>[\w:.-]*\w)(?P<suffix>.*)",
                              item.strip(), re.DOTALL)
            if parsed is None or parsed.group("key") not in self.refs.bibliography:
                if parsed is not None:
                    self.unresolved.append(parsed.group("key"))
                return match.group(0)
            entry = self.refs.bibliography[parsed.group("key")]
            shown = entry.get("year", "n.d.") if parsed.group("suppress") else \
                f"{citation_author(entry)} {entry.get('year', 'n.d.')}"
            linked = f"[{shown}]({self._cite_target(parsed.group('key'))})"
            items.append(f"{parsed.group('prefix')}{linked}{parsed.group('suffix')}")
        return "(" + "; ".join(items) + ")"

    def _cite_inline(self, match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in self.refs.bibliography:
            return match.group(0)
        entry = self.refs.bibliography[key]
        shown = f"{citation_author(entry)} ({entry.get('year', 'n.d.')})"
        return f"[{shown}]({self._cite_target(key)})"

    def cited_keys(self, text: str) -> list[str]:
        """Bibliography keys cited in ``text`` (outside code), in order, without repeats."""
        keys: list[str] = []
        for key in re.findall(r"-?@([\w:.-]*\w)", strip_code(text)):
            if key in self.refs.bibliography and key not in keys:
                keys.append(key)
        return keys

    # ------------------------------------------------------------------ one cell

    def markdown(self, text: str) -> str:
        """Translate one markdown cell (call in document order)."""
        text = replace_outside_code(text, EQUATION, self._equation)
        text = replace_outside_code(text, FIGURE_IMAGE, self._figure)
        text = replace_outside_code(text, TABLE_CAPTION, self._table_caption)
        text = replace_outside_code(text, XREF, self._xref)
        if self.refs.bibliography:
            text = replace_outside_code(text, CITE_BRACKET, self._cite_bracket)
            text = replace_outside_code(text, CITE_INLINE, self._cite_inline)
        return self._notebook_blocks(text)

    def _heading_number(self, level: str, attributes: dict[str, Any], nested: bool) -> str | None:
        if "unnumbered" in attributes["classes"] or self.page.number is None or nested:
            return None
        if len(level) == 1:
            return str(self.page.number)
        if len(level) == 2:
            numbers = self.refs.section_numbers.get(self.page.path, [])
            shown = numbers[self.sections_seen] if self.sections_seen < len(numbers) else None
            self.sections_seen += 1
            return shown
        return None

    @staticmethod
    def _heading_parts(line: str) -> tuple[str, str, dict[str, Any]] | None:
        heading = HEADING.match(line)
        if not heading:
            return None
        with_attrs = HEADING_ATTRS.match(line)
        if with_attrs:
            return with_attrs.group(1), with_attrs.group(2), parse_attributes(with_attrs.group(3))
        return heading.group(1), heading.group(2), {"id": None, "classes": [], "attrs": {}}

    def _notebook_blocks(self, text: str) -> str:
        """Headings with anchors and numbers, callouts as blockquotes or ``<details>``."""
        out: list[str] = []

        def prefix() -> str:
            return "".join("> " for fence in self.fence_stack if fence.quote)

        def emit(line: str) -> None:
            if not line.strip() and any(not fence.started for fence in self.fence_stack):
                out.append("")  # blank lines before a fence's first content stay outside it
                return
            start_pending(line)
            quoted = prefix()
            out.append((quoted + line).rstrip() if line or quoted else "")

        def start_pending(line: str) -> None:
            # A fence continued from an earlier cell reopens only when it has content here.
            if not line.strip():
                return
            for depth, fence in enumerate(self.fence_stack):
                if fence.started:
                    continue
                fence.started = True
                title = fence.title + (" (continued)" if fence.had_content else "")
                quoted = "".join("> " for outer in self.fence_stack[:depth] if outer.quote)
                if fence.collapsible:
                    out.extend([quoted.rstrip(), f'{quoted}<details class="callout-{fence.kind}">',
                                f"{quoted}<summary><b>{html.escape(title)}</b></summary>",
                                quoted.rstrip()])
                elif fence.kind:
                    out.extend([quoted.rstrip(), f"{quoted}> **{title}**{fence.anchor}",
                                f"{quoted}>"])
                elif fence.anchor:
                    out.extend([quoted.rstrip(), f"{quoted}{fence.anchor.strip()}",
                                quoted.rstrip()])
                fence.had_content = True

        in_code = False
        lines = text.split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if line.lstrip().startswith("```"):
                in_code = not in_code
                emit(line)
                continue
            if in_code:
                emit(line)
                continue
            opened = FENCE_OPEN.match(line)
            if opened:
                attributes = parse_attributes(opened.group("attrs") or "")
                if opened.group("cls"):
                    attributes["classes"].append(opened.group("cls"))
                kind = next((c.split("-", 1)[1] for c in attributes["classes"]
                             if c.startswith("callout-")), None)
                collapsible = kind is not None and str(
                    attributes["attrs"].get("collapse", "")).lower() in ("true", "1", "yes")
                title = attributes["attrs"].get("title", "")
                # A heading first inside a callout is its title (as Quarto does).
                following = index
                while following < len(lines) and not lines[following].strip():
                    following += 1
                if kind and following < len(lines) and HEADING.match(lines[following]):
                    parts = self._heading_parts(lines[following])
                    title = title or (parts[1] if parts else "")
                    index = following + 1
                label = attributes["id"]
                anchor = f' <a id="{html.escape(label)}"></a>' if label else ""
                self.fence_stack.append(_Fence(kind, collapsible, title or (kind or "").capitalize(),
                                               anchor, quote=bool(kind) and not collapsible))
                continue
            if FENCE_CLOSE.match(line) and self.fence_stack:
                fence = self.fence_stack.pop()
                if fence.started and fence.collapsible:
                    quoted = prefix()
                    out.extend([quoted.rstrip(), f"{quoted}</details>", quoted.rstrip()])
                elif fence.started and fence.quote:
                    out.append(prefix().rstrip())
                continue
            heading = self._heading_parts(line)
            if heading:
                level, title, attributes = heading
                shown = self._heading_number(level, attributes, bool(self.fence_stack))
                anchor = f' <a id="{html.escape(attributes["id"])}"></a>' if attributes["id"] else ""
                emit(f"{level} {shown + ' ' if shown else ''}{title}{anchor}")
                continue
            emit(line)
        # Fences still open continue in a later cell: close them here, reopen there.
        for fence in reversed(self.fence_stack):
            if fence.started and fence.collapsible:
                out.extend(["", "</details>"])
            fence.started = False
        parts = FENCED_CODE.split("\n".join(out).strip("\n"))
        for index in range(0, len(parts), 2):
            parts[index] = re.sub(r"\n{3,}", "\n\n", parts[index])  # one blank line is enough
        return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Quarto inline code: `{python} expr`
# --------------------------------------------------------------------------------------------------


def _replace_inline(text: str, replace: Any) -> str:
    """``replace(expression)`` for every `` `{python} expr` `` span outside other code.

    Code spans are found as CommonMark does (a run of n backticks ends at the next run of
    exactly n), so `` `` `{python} x` `` `` is a code span showing the syntax, not inline code;
    fenced code blocks are examples too.
    """
    def span(match: re.Match[str]) -> str:
        inline = re.fullmatch(r"\{python\}[ \t]+(.*?)[ \t]*", match.group(2))
        if match.group(1) != "`" or inline is None or not inline.group(1):
            return match.group(0)
        return replace(inline.group(1))

    parts = FENCED_CODE.split(text)
    for index in range(0, len(parts), 2):
        parts[index] = CODE_SPAN.sub(span, parts[index])
    return "".join(parts)


def inline_expressions(text: str) -> list[str]:
    """The Python expressions of the `` `{python} expr` `` spans of a markdown text, in order."""
    found: list[str] = []
    _replace_inline(text, lambda expression: found.append(expression) or "")
    return found


def inline_paragraph_code(text: str) -> str | None:
    """Code of a notebook cell showing the paragraphs of ``text`` that hold inline code, filled in.

    ``text`` is an already translated markdown cell. Returns None when it holds no inline code.
    The code reads ``Markdown(r\"\"\"... {0} ...\"\"\".format(expr0, ...))``: a reader who opens
    the hidden source sees the paragraph and the expressions.
    """
    paragraphs = [block for block in re.split(r"\n[ \t>]*\n", text) if inline_expressions(block)]
    if not paragraphs:
        return None
    template = "\n\n".join(paragraphs)
    expressions = inline_expressions(template)
    marker = "\x00"
    counter = iter(range(len(expressions)))
    body = _replace_inline(template, lambda _: marker)
    body = body.replace("{", "{{").replace("}", "}}")
    body = re.sub(marker, lambda _: f"{{{next(counter)}}}", body)
    literal = f'r"""{body}"""' if '"""' not in body and not body.endswith("\\") else repr(body)
    arguments = ",\n    ".join(expressions)
    return ("# A paragraph of the chapter, shown with the values of this run (Quarto inline code).\n"
            "from IPython.display import Markdown\n\n"
            f"Markdown({literal}.format(\n    {arguments},\n))")


def split_at_inline_paragraphs(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into runs of paragraphs, in order: ``(True, paragraph)`` for each paragraph that
    holds inline code, ``(False, markdown)`` for the markdown between them (separators kept).

    A notebook shows an inline-code paragraph only once, as the output of its hidden cell
    (:func:`inline_paragraph_code`), filled in with the run's values; the rest stays markdown.
    """
    pieces: list[tuple[bool, str]] = []
    plain = ""
    blocks = re.split(r"(\n[ \t>]*\n)", text)    # paragraphs at even indices, separators at odd
    for index, block in enumerate(blocks):
        if index % 2 == 0 and inline_expressions(block):
            if plain.strip():
                pieces.append((False, plain.strip("\n")))
            pieces.append((True, block))
            plain = ""
        elif index % 2 == 0 or plain:
            plain += block
    if plain.strip():
        pieces.append((False, plain.strip("\n")))
    return pieces
