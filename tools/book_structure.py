"""The book's structure for the page build: which pages, in which order, with which numbers.

``_quarto.yml`` lists the pages (``book: chapters:`` and ``appendices:``); a chapter's number
comes from its file name (``chapters/03-forget-gate.qmd`` is chapter 3).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is a folder of scripts
import quarto_markdown as qm  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]



@dataclass
class Chapter:
    """One page of the book: its source file, its number (None for the index) and its output."""

    source: Path
    number: int | None
    root: Path = REPO_ROOT
    title: str = ""
    slug: str = ""

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
    def page(self) -> qm.Page:
        """The page as the translator sees it (where it is published, number, title)."""
        return qm.Page(self.relative_html, self.number, self.title)

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
