"""Unit tests of the translator of Quarto markdown (tools/quarto_markdown.py) on small inputs.

Each construct is translated into what JupyterLab renders. The last tests convert a tiny book with
``tools/make_notebooks.py`` and check the committed notebooks' links against their anchors.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, load_make_notebooks, load_tool

qm = load_tool("quarto_markdown")

BIBLIOGRAPHY = {
    "hochreiter1997": {"author": "Hochreiter, Sepp and Schmidhuber, J{\\\"u}rgen", "year": "1997",
                       "title": "Long Short-Term Memory"},
    "greff2017": {"author": "Greff, K. and Srivastava, R. and Koutnik, J. and Steunebrink, B.",
                  "year": "2017", "title": "LSTM: A Search Space Odyssey"},
}
CHAPTER_3 = """# The forget gate {#sec-forget-gate}

![The cell.](../images/cell.svg){#fig-cell fig-alt="A box with [two] wires."}

## The sigmoid {#sec-sigmoid}

$$
\\sigma(z) = \\frac{1}{1 + e^{-z}}
$$ {#eq-sigmoid}

### Not numbered {#sec-small}

## Exercises {.unnumbered}
"""
CHAPTER_4 = """# The input gate {#sec-input-gate}

## First {#sec-first}

$$ a = b $$ {#eq-first}
"""


def cells(text: str) -> list[SimpleNamespace]:
    """Markdown and code cells of a chapter, split as jupytext does (```{python} chunks)."""
    found = []
    for index, part in enumerate(re.split(r"^```\{python\}\n(.*?)^```\n", text,
                                          flags=re.M | re.S)):
        if part.strip():
            found.append(SimpleNamespace(cell_type="code" if index % 2 else "markdown",
                                         source=part.strip("\n")))
    return found


@pytest.fixture
def refs() -> qm.CrossReferences:
    refs = qm.CrossReferences(bibliography={key: {**entry, "author": entry["author"].replace(
        '{\\"u}', "ü")} for key, entry in BIBLIOGRAPHY.items()})
    refs.scan(qm.Page("notebooks/03-forget-gate.ipynb", 3), cells(CHAPTER_3 + """
```{python}
#| label: fig-curve
#| fig-cap: "A curve."
print(1)
```
"""))
    refs.scan(qm.Page("notebooks/04-input-gate.ipynb", 4), cells(CHAPTER_4))
    return refs


def translate(text: str, refs: qm.CrossReferences,
              page: str = "notebooks/04-input-gate.ipynb") -> tuple[str, qm.Translator]:
    translator = qm.Translator(qm.Page(page, 4), refs)
    return translator.markdown(text), translator


# ------------------------------------------------------------------ small parsers


def test_parse_attributes_reads_id_classes_and_quoted_values() -> None:
    parsed = qm.parse_attributes('#fig-x .wide .tall fig-alt="a \'b\' c" width=50% collapse=\'true\'')
    assert parsed == {"id": "fig-x", "classes": ["wide", "tall"],
                      "attrs": {"fig-alt": "a 'b' c", "width": "50%", "collapse": "true"}}


def test_cell_options_split_off_the_code() -> None:
    options, code = qm.cell_options('#| label: fig-a\n#| fig-cap: "A: b"\n#|echo: false\nx = 1\n#| y')
    assert options == {"label": "fig-a", "fig-cap": "A: b", "echo": False}
    assert code == "x = 1\n#| y"
    assert qm.cell_options("x = 1") == ({}, "x = 1")
    with pytest.raises(ValueError, match="not valid YAML"):
        qm.cell_options("#| label: [unclosed\nx = 1")


# ------------------------------------------------------------------ numbering


def test_scan_numbers_labels_per_chapter_in_reading_order(refs: qm.CrossReferences) -> None:
    assert refs.targets["sec-forget-gate"] == ("Chapter 3", "notebooks/03-forget-gate.ipynb")
    assert refs.targets["fig-cell"][0] == "Figure 3.1"
    assert refs.targets["fig-curve"][0] == "Figure 3.2"  # a code-cell figure counts too
    assert refs.targets["sec-sigmoid"][0] == "Section 3.1"
    assert refs.targets["eq-sigmoid"][0] == "Equation 3.1"
    assert refs.targets["eq-first"] == ("Equation 4.1", "notebooks/04-input-gate.ipynb")
    assert "sec-small" not in refs.targets  # level-3 headings are not numbered
    assert refs.section_numbers["notebooks/03-forget-gate.ipynb"] == ["3.1"]


def test_scanning_a_document_again_does_not_duplicate_its_sections(refs) -> None:
    refs.scan(qm.Page("notebooks/04-input-gate.ipynb", 4), cells(CHAPTER_4))
    assert refs.section_numbers["notebooks/04-input-gate.ipynb"] == ["4.1"]


# ------------------------------------------------------------------ cross-references


def test_references_become_numbered_links_to_the_right_notebook(refs) -> None:
    text, translator = translate("See @eq-sigmoid, [-@eq-first] and @sec-sigmoid (@fig-cell); "
                                 "@sec-forget-gate.", refs)
    assert text == ("See [Equation 3.1](03-forget-gate.ipynb#eq-sigmoid), [4.1](#eq-first) and "
                    "[Section 3.1](03-forget-gate.ipynb#sec-sigmoid) "
                    "([Figure 3.1](03-forget-gate.ipynb#fig-cell)); "
                    "[Chapter 3](03-forget-gate.ipynb#sec-forget-gate).")
    assert translator.unresolved == []


def test_links_are_relative_between_documents(refs) -> None:
    book_refs = qm.CrossReferences()
    book_refs.scan(qm.Page("notebooks/03-forget-gate.ipynb", 3), cells(CHAPTER_3))
    text, _ = translate("@eq-sigmoid", book_refs, page="index.ipynb")
    assert text == "[Equation 3.1](notebooks/03-forget-gate.ipynb#eq-sigmoid)"


def test_references_in_code_are_left_alone(refs) -> None:
    source = "Write `@eq-sigmoid` or\n\n```\nsee @fig-cell [@hochreiter1997]\n```\n"
    text, translator = translate(source, refs)
    assert "`@eq-sigmoid`" in text and "see @fig-cell [@hochreiter1997]" in text
    assert translator.unresolved == []


def test_unknown_references_and_citations_are_reported_and_left(refs) -> None:
    text, translator = translate("See @fig-missing and [@nobody2020].", refs)
    assert "@fig-missing" in text and "[@nobody2020]" in text
    assert translator.unresolved == ["fig-missing", "nobody2020"]


def test_an_email_address_is_no_reference(refs) -> None:
    text, translator = translate("Mail me@fig-x.org.", refs)
    assert text == "Mail me@fig-x.org." and translator.unresolved == []


# ------------------------------------------------------------------ citations


def test_citations_are_author_year_links_to_the_references(refs) -> None:
    text, _ = translate("[@hochreiter1997; see @greff2017, p. 3] and @greff2017 and "
                        "[-@hochreiter1997].", refs)
    assert text == ("([Hochreiter and Schmidhuber 1997](#ref-hochreiter1997); "
                    "see [Greff et al. 2017](#ref-greff2017), p. 3) and "
                    "[Greff et al. (2017)](#ref-greff2017) and ([1997](#ref-hochreiter1997)).")


def test_bibliography_file_is_read_with_accents(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text('@article{a2000,\n  author = {M{\\"u}ller, Jo and Smith, Ann and Lee, B.},\n'
                   '  title = {{LSTM} -- a study},\n  year = 2000,\n}\n', encoding="utf-8")
    entries = qm.read_bibliography(bib)
    assert entries["a2000"]["author"] == "Müller, Jo and Smith, Ann and Lee, B."
    assert entries["a2000"]["title"] == "LSTM \u2013 a study" and entries["a2000"]["year"] == "2000"
    bibliography = load_tool("quarto_bibliography")
    assert bibliography.citation_author(entries["a2000"]) == "Müller, Smith, and Lee"
    assert qm.read_bibliography(tmp_path / "missing.bib") == {}


@pytest.mark.parametrize(("latex", "text"), [
    ("Kaiser, {\\L}ukasz", "Kaiser, \u0141ukasz"),      # references.bib: Vaswani et al. 2017
    ("\\L ukasz and \\l{}ab", "\u0141ukasz and \u0142ab"),
    ("Bj{\\o}rn \\O stergaard", "Bj\u00f8rn \u00d8stergaard"),
    ("Gau\\ss{} and {\\AE}sop", "Gau\u00df and \u00c6sop"),
    ("\\aa ngstr{\\\"o}m", "\u00e5ngstr\u00f6m"),
    ("Mart\\'{\\i}nez, \\i", "Mart\u00ednez, \u0131"),
    ("\\LaTeX and \\ldots", "\\LaTeX and \\ldots"),    # longer commands are not letters
])
def test_bibliography_letter_commands_become_unicode(latex: str, text: str) -> None:
    bibliography = load_tool("quarto_bibliography")
    assert bibliography.latex_to_text(latex) == text


def test_references_bib_has_no_latex_left_in_names() -> None:
    entries = qm.read_bibliography(ROOT / "references.bib")
    assert "Kaiser, \u0141ukasz" in entries["vaswani2017"]["author"]
    for key, entry in entries.items():
        assert "\\" not in entry.get("author", ""), (key, entry["author"])


# ------------------------------------------------------------------ equations, figures, headings


def test_numbered_equation_gets_an_anchor_and_a_tag(refs) -> None:
    text, _ = translate("$$\nf = g\n$$ {#eq-first}", refs)
    assert text == '<a id="eq-first" class="lstm-equation-anchor"></a>\n\n$$\nf = g \\tag{4.1}\n$$'


def test_figure_in_a_notebook_keeps_alt_text_and_gets_its_caption(refs) -> None:
    source = '![The cell.](../images/cell.svg){#fig-cell fig-alt="A box with [two] wires."}'
    text, _ = translate(source, refs)
    assert text == ('<a id="fig-cell"></a>\n\n![A box with \\[two\\] wires.](../images/cell.svg)'
                    "\n\n**Figure 3.1.** The cell.")


def test_headings_get_numbers_and_anchors_in_notebooks(refs) -> None:
    translator = qm.Translator(qm.Page("notebooks/03-forget-gate.ipynb", 3), refs)
    text = translator.markdown(CHAPTER_3)
    assert text.startswith('# 3 The forget gate <a id="sec-forget-gate"></a>')
    assert '## 3.1 The sigmoid <a id="sec-sigmoid"></a>' in text
    assert '### Not numbered <a id="sec-small"></a>' in text
    assert "\n## Exercises\n" in text + "\n"
    assert "{#" not in text and "{." not in text


# ------------------------------------------------------------------ callouts


def test_callout_becomes_a_titled_blockquote(refs) -> None:
    text, _ = translate("Before.\n\n::: {.callout-note}\n## Why\n\nBecause $a$.\n:::\n\nAfter.",
                        refs)
    assert text == "Before.\n\n> **Why**\n>\n> Because $a$.\n\nAfter."


def test_collapsed_solution_is_folded_in_details(refs) -> None:
    text, _ = translate('::: {.callout-tip collapse="true"}\n## Solution\n\nIt is 4.\n:::', refs)
    assert '<details class="callout-tip">\n<summary><b>Solution</b></summary>' in text
    assert text.rstrip().endswith("It is 4.\n\n</details>")
    assert ":::" not in text and "## Solution" not in text


def test_nested_callouts_nest(refs) -> None:
    source = ('::: {.callout-tip collapse="true" title="Hint"}\nOuter.\n\n'
              "::: {.callout-warning}\nInner.\n:::\n\nOuter again.\n:::")
    text, _ = translate(source, refs)
    assert text.index("<details") < text.index("> **Warning**") < text.index("> Inner.") \
        < text.index("Outer again.") < text.index("</details>")
    assert "<summary><b>Hint</b></summary>" in text and ":::" not in text


def test_a_solution_spanning_a_code_cell_folds_the_code_and_continues(refs) -> None:
    translator = qm.Translator(qm.Page("notebooks/04-input-gate.ipynb", 4), refs)
    first = translator.markdown('::: {.callout-tip collapse="true"}\n## Solution\n\nRun this:')
    assert translator.in_folded_fence
    assert first.endswith("Run this:\n\n</details>")
    second = translator.markdown("It printed 4.\n:::\n\nNext exercise.")
    assert not translator.in_folded_fence
    assert second.startswith('<details class="callout-tip">\n<summary><b>Solution (continued)')
    assert second.endswith("</details>\n\nNext exercise.")
    third_translator = qm.Translator(qm.Page("n.ipynb", 4), refs)
    third_translator.markdown('::: {.callout-tip collapse="true"}\n## Solution\n\nRun this:')
    assert third_translator.markdown(":::\n\n2. Next.") == "2. Next."  # nothing left to fold


# ------------------------------------------------------------------ Quarto inline code


INLINE = ("The answer is `{python} answer`, an eighth `{python} f\"{answer / 8:.2f}\"`.\n\n"
          "Math $h_{t}$ and `` `{python} shown` `` as syntax.\n\n"
          "```\n`{python} in_a_block`\n```")


def test_inline_expressions_skip_code_blocks_and_longer_code_spans() -> None:
    assert qm.inline_expressions(INLINE) == ["answer", 'f"{answer / 8:.2f}"']
    assert qm.inline_expressions("`{python}` and `{python}  ` and `python x`") == []


def test_split_at_inline_paragraphs_keeps_the_order_and_every_character_of_plain_text() -> None:
    text = "First.\n\nIs `{python} answer`.\n\n> quoted\n>\n> more\n\nAnd `{python} x` here.\n\nLast."
    pieces = qm.split_at_inline_paragraphs(text)
    assert pieces == [(False, "First."), (True, "Is `{python} answer`."),
                      (False, "> quoted\n>\n> more"), (True, "And `{python} x` here."), (False, "Last.")]
    assert qm.split_at_inline_paragraphs("No code.\n\nNone here.") == [(False, "No code.\n\nNone here.")]
    assert qm.split_at_inline_paragraphs("Only `{python} x`.") == [(True, "Only `{python} x`.")]


def run_cell(code: str, namespace: dict) -> object:
    """Run a cell's code and return the value of its last expression (as IPython shows it)."""
    tree = ast.parse(code)
    last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the code under test
    return eval(compile(last, "<cell>", "eval"), namespace)  # noqa: S307


def test_notebook_cell_shows_only_the_paragraph_with_values() -> None:
    code = qm.inline_paragraph_code(INLINE)
    assert "{python}" not in code.split("Markdown(", 1)[1].split(".format(")[0].replace(
        "{{python}}", "")
    shown = run_cell(code, {"answer": 42})
    assert shown.data == "The answer is 42, an eighth 5.25."
    assert qm.inline_paragraph_code("No code here.") is None
    quoted = run_cell(qm.inline_paragraph_code('Say """ `{python} x` \\'), {"x": 1})
    assert quoted.data == 'Say """ 1 \\'


# ------------------------------------------------------------------ notebooks of a tiny book


def tiny_book(root: Path, chapter_2: str) -> None:
    (root / "chapters").mkdir()
    (root / "_quarto.yml").write_text("book:\n  chapters:\n    - index.qmd\n"
                                      "    - chapters/01-a.qmd\n    - chapters/02-b.qmd\n")
    (root / "chapters" / "01-a.qmd").write_text(
        "# A {#sec-a}\n\n## Part {#sec-part}\n\n```{python}\n#| include: false\nsetup = 1\n```\n\n"
        '```{python}\n#| label: fig-line\n#| fig-cap: "A line."\n#| fig-alt: "A rising line."\n'
        "print(1)\n```\n\n```{python}\n#| echo: false\nprint(2)\n```\n")
    (root / "chapters" / "02-b.qmd").write_text(chapter_2)


def test_tiny_book_notebook_links_captions_and_hidden_cells(tmp_path: Path) -> None:
    tools = load_make_notebooks()
    tiny_book(tmp_path, "# B {#sec-b}\n\nAs @fig-line in @sec-part showed.\n")
    notebook = tools.chapter_to_notebook((tmp_path / "chapters" / "01-a.qmd").read_text(),
                                         "chapters/01-a.qmd", root=tmp_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == ["setup = 1", "print(1)", "print(2)"]
    assert code[0].metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert code[2].metadata["jupyter"] == {"source_hidden": True}
    assert code[1].metadata["lstm_book"]["options"]["fig-alt"] == "A rising line."
    caption = notebook.cells[notebook.cells.index(code[1]) + 1]
    assert caption.cell_type == "markdown"
    assert caption.source.startswith('<a id="fig-line"></a>**Figure 1.1.** A line.')
    assert "A rising line." in caption.source
    second = tools.chapter_to_notebook((tmp_path / "chapters" / "02-b.qmd").read_text(),
                                       "chapters/02-b.qmd", root=tmp_path)
    assert second.cells[0].source == ('# 2 B <a id="sec-b"></a>\n\n'
                                      "As [Figure 1.1](01-a.ipynb#fig-line) in "
                                      "[Section 1.1](01-a.ipynb#sec-part) showed.")


def test_tiny_book_paragraph_with_inline_code_appears_once_with_values(tmp_path: Path) -> None:
    tools = load_make_notebooks()
    tiny_book(tmp_path, "# B {#sec-b}\n\nBefore.\n\nThe answer is `{python} 6 * 7`.\n\nAfter.\n")
    notebook = tools.chapter_to_notebook((tmp_path / "chapters" / "02-b.qmd").read_text(),
                                         "chapters/02-b.qmd", root=tmp_path)
    kinds = [(cell.cell_type, cell.source.splitlines()[-1]) for cell in notebook.cells]
    assert [kind for kind, _ in kinds] == ["markdown", "code", "markdown"]
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "answer" not in markdown and "6 * 7" not in markdown and "{python}" not in markdown
    assert markdown.endswith("After.") and "Before." in markdown
    hidden = notebook.cells[1]
    assert hidden.metadata["jupyter"] == {"source_hidden": True}
    assert run_cell(hidden.source, {}).data == "The answer is 42."


def test_tiny_book_with_an_unknown_reference_fails_loudly(tmp_path: Path) -> None:
    tools = load_make_notebooks()
    tiny_book(tmp_path, "# B {#sec-b}\n\nSee @fig-nowhere.\n")
    with pytest.raises(ValueError, match=r"chapters/02-b.qmd: unresolved .*fig-nowhere"):
        tools.notebook_problems(tmp_path)


def notebook_anchors(notebook: dict) -> set[str]:
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"])
    return set(re.findall(r'\bid="([^"]+)"', text))


def test_every_link_between_the_committed_notebooks_finds_its_anchor() -> None:
    notebooks = {path.name: json.loads(path.read_text(encoding="utf-8"))
                 for path in sorted((ROOT / "notebooks").glob("*.ipynb"))}
    assert notebooks
    broken, links = [], 0
    for name, notebook in notebooks.items():
        for cell in notebook["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for target, anchor in re.findall(r"\]\(([\w.-]*\.ipynb)?#([\w:.-]+)\)",
                                             "".join(cell["source"])):
                links += 1
                if anchor not in notebook_anchors(notebooks.get(target or name, {"cells": []})):
                    broken.append(f"{name}: {target}#{anchor}")
    assert links > 20 and broken == []


def test_committed_notebooks_hold_no_quarto_syntax() -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert not re.search(r"^#\|", source, re.M), f"{path.name}: {source[:60]}"
            else:
                prose = re.sub(r"```.*?```|`[^`\n]*`", "", source, flags=re.S)
                for token in ("@sec-", "@fig-", "@eq-", "[@", ":::", "{#", "{.callout"):
                    assert token not in prose, f"{path.name}: {token} in {source[:80]!r}"


def test_table_captions_are_numbered_and_referenced() -> None:
    refs = qm.CrossReferences(bibliography={})
    source = "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Two numbers. {#tbl-two}\n\nSee @tbl-two."
    refs.scan(qm.Page("notebooks/05-output-gate.ipynb", 5), cells("# Five {#sec-five}\n\n" + source))
    translator = qm.Translator(qm.Page("notebooks/05-output-gate.ipynb", 5), refs)
    text = translator.markdown(source)
    assert '<a id="tbl-two"></a>\n\n**Table 5.1.** Two numbers.' in text
    assert "[Table 5.1](#tbl-two)" in text
    assert "{#tbl" not in text and "\n: " not in text
