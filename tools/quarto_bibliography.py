"""The book's BibTeX file as author-year citations and a reference list (used by quarto_markdown).

Only what ``references.bib`` needs: ``@type{key, field = {value}, ...}`` entries, LaTeX accents
turned into Unicode, author-year names ("Hochreiter and Schmidhuber", "Greff et al.") and one
HTML list item per work (``<li id="ref-key">``), the anchor citations link to.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

LATEX_ACCENTS = {'\\"': "\u0308", "\\'": "\u0301", "\\`": "\u0300", "\\^": "\u0302", "\\~": "\u0303",
                 "\\c": "\u0327", "\\v": "\u030c", "\\u": "\u0306", "\\=": "\u0304"}
#: LaTeX's letters that are commands (``{\L}ukasz``, ``\o``, ``\ss{}``), to Unicode.
LATEX_LETTERS = {"ss": "\u00df", "ae": "\u00e6", "AE": "\u00c6", "oe": "\u0153", "OE": "\u0152",
                 "aa": "\u00e5", "AA": "\u00c5", "L": "\u0141", "l": "\u0142", "o": "\u00f8",
                 "O": "\u00d8", "i": "\u0131", "j": "\u0237"}


def latex_to_text(value: str) -> str:
    """Plain text of a BibTeX value: accents and letter commands (``{\\L}``, ``\\o``, ``\\ss``) to
    Unicode, braces dropped, ``--`` to an en dash."""

    # An accent on a dotless \i or \j is an accent on i or j: \'{\i} is í.
    value = re.sub(r"(\\[\"'`^~=]|\\[cvu])\s*(\{?)\\([ij])(?![A-Za-z])\s?", r"\1\2\3", value)
    # A letter command ends at the first non-letter; a space or {} after it only ends its name.
    names = "|".join(sorted(LATEX_LETTERS, key=len, reverse=True))
    value = re.sub(rf"\\({names})(?![A-Za-z])(?:\{{\}}| )?", lambda m: LATEX_LETTERS[m.group(1)], value)

    def accent(match: re.Match[str]) -> str:
        return unicodedata.normalize("NFC", match.group(2) + LATEX_ACCENTS[match.group(1)])

    value = re.sub(r"\{?(\\[\"'`^~=]|\\[cvu] ?)\{?([A-Za-z])\}?\}?",
                   lambda m: accent(re.match(r"(\\.)\s?(.)", m.group(1).strip() + m.group(2))),
                   value)
    return value.replace("{", "").replace("}", "").replace("--", "\u2013").strip()


def read_bibliography(path: Path) -> dict[str, dict[str, str]]:
    """Parse a (simple) BibTeX file into ``{key: {field: text}}`` (empty if there is no file)."""
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
    """One entry of the reference list (author-year style), ``<li id="ref-KEY">``."""
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


def reference_list_html(entries: dict[str, dict[str, str]], keys: list[str]) -> str:
    """``<ul class="lstm-references">`` of the works ``keys``, sorted by first author and year."""
    ordered = sorted(keys, key=lambda key: (author_last_names(entries[key]) or [""])[0]
                     + entries[key].get("year", ""))
    items = "".join(reference_html(key, entries[key]) for key in ordered)
    return f'<ul class="lstm-references">{items}</ul>'
