"""The page target's HTML: what nbconvert exported from ``Translator(target="page")`` markdown,
completed into the book's page (the second half of the translator, run by tools/build_pages.py).

The translator leaves markers nbconvert passes through untouched: ``div.lstm-heading-attrs``
before a heading (its id, classes and number), ``div.lstm-fence`` where a ``:::`` block opens
and closes (possibly in different cells), and the build's template puts ``div.lstm-cell-marker``
before every cell. :func:`finish_page_html` turns them into heading ids and numbers, callouts
and ``<details>``, ``<figure>`` elements with captions and alt text, and fills ``::: {#refs}``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is a folder of scripts
from quarto_bibliography import reference_list_html  # noqa: E402
from quarto_markdown import CALLOUT_KINDS, CrossReferences  # noqa: E402

NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"


def finish_page_html(soup: Any, cells_by_index: dict[Any, Any], refs: CrossReferences) -> None:
    """Complete a page exported by nbconvert: figures of code cells, headings, callouts, ``#refs``.

    Parameters
    ----------
    soup : bs4.BeautifulSoup
        The page (changed in place). Each cell is preceded by ``<div class="lstm-cell-marker"
        data-lstm-cell="N">`` (the build's template), N being the cell's ``lstm_index``.
    cells_by_index : dict
        ``lstm_index -> cell`` of the exported notebook (code cells keep their options in
        ``metadata.lstm_options``).
    refs : CrossReferences
        The book's numbering and bibliography.
    """
    from bs4 import BeautifulSoup

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
                number = refs.targets[label][0] if label in refs.targets else ""
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
    if reference_list is not None:
        items = reference_list_html(refs.bibliography, refs.cited or list(refs.bibliography))
        reference_list.append(BeautifulSoup(items, features="html.parser"))


def build_fenced_divs(soup: Any) -> None:
    """Turn the fence markers into callouts and divs.

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
        moved = _collect_between(soup, opener, closer)
        opener.replace_with(container)
        if closer is not None:
            closer.decompose()
        for node in moved:
            container.append(node)
        if kind:
            title_text = attributes["attrs"].get("title")
            first_heading = container.find(re.compile(r"^h[1-6]$"))
            if first_heading is not None and _is_first_content(container, first_heading):
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


def _is_first_content(container: Any, element: Any) -> bool:
    """True when ``element`` is the first thing with text inside ``container``."""
    for node in container.descendants:
        if node is element:
            return True
        if isinstance(node, str) and node.strip():
            return False
    return False


def _collect_between(soup: Any, opener: Any, closer: Any) -> list[Any]:
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
    fragment = soup.new_tag("div", attrs={"class": "jp-RenderedHTMLCommon jp-RenderedMarkdown"})
    for node in list(opener.next_siblings):
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
