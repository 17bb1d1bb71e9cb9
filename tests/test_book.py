"""Book-wide checks of the Quarto sources: structure, cross-references, figures, exercises.

These tests read ``_quarto.yml`` and the ``.qmd`` files as text (Quarto itself is not installed
here), so they check what Quarto would need: every ``@fig-``/``@eq-``/``@sec-``/``@tbl-``
reference points at a label defined exactly once, every figure has a caption and alt text,
every image is one our code generates, every chapter follows the conventions of
``notes/book.md``, and the committed notebooks match the chapters.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, load_make_notebooks

from lstm.diagram import static_diagram_names

#: The book's chapters, in the article's order (notes/book.md), with the id of their heading.
EXPECTED_CHAPTERS: dict[str, str] = {
    "chapters/01-what-is-an-lstm.qmd": "sec-what-is-an-lstm",
    "chapters/02-cell-diagram.qmd": "sec-cell-diagram",
    "chapters/03-forget-gate.qmd": "sec-forget-gate",
    "chapters/04-input-gate.qmd": "sec-input-gate",
    "chapters/05-output-gate.qmd": "sec-output-gate",
    "chapters/06-cell-over-time.qmd": "sec-cell-over-time",
    "chapters/07-how-we-train.qmd": "sec-how-we-train",
    "chapters/08-advantages.qmd": "sec-advantages",
    "chapters/09-disadvantages.qmd": "sec-disadvantages",
    "chapters/10-variants.qmd": "sec-variants",
    "chapters/11-frameworks.qmd": "sec-frameworks",
    "chapters/12-for-teachers.qmd": "sec-for-teachers",
}

#: Each canonical equation label and the chapter that must define it (and no other).
CANONICAL_EQUATIONS: dict[str, str] = {
    "eq-rnn": "chapters/01-what-is-an-lstm.qmd",
    "eq-sigmoid": "chapters/03-forget-gate.qmd",
    "eq-forget-gate": "chapters/03-forget-gate.qmd",
    "eq-candidate": "chapters/04-input-gate.qmd",
    "eq-input-gate": "chapters/04-input-gate.qmd",
    "eq-cell-update": "chapters/04-input-gate.qmd",
    "eq-output-gate": "chapters/05-output-gate.qmd",
    "eq-hidden-state": "chapters/05-output-gate.qmd",
    "eq-peephole-gates": "chapters/10-variants.qmd",
    "eq-coupled-update": "chapters/10-variants.qmd",
    "eq-gru": "chapters/10-variants.qmd",
}

#: The explorer calls each chapter must make (function name, positional arguments).
EXPECTED_EXPLORERS: dict[str, list[tuple[str, tuple]]] = {
    "chapters/01-what-is-an-lstm.qmd": [("memory_explorer", ())],
    "chapters/02-cell-diagram.qmd": [("diagram_explorer", ())],
    "chapters/03-forget-gate.qmd": [("step_explorer", ("forget",))],
    "chapters/04-input-gate.qmd": [
        ("step_explorer", ("candidate",)),
        ("step_explorer", ("input",)),
    ],
    "chapters/05-output-gate.qmd": [("step_explorer", ("output",))],
    "chapters/06-cell-over-time.qmd": [("sequence_explorer", ())],
    "chapters/07-how-we-train.qmd": [("training_explorer", ())],
    "chapters/08-advantages.qmd": [("gradient_flow_explorer", ())],
    "chapters/09-disadvantages.qmd": [("dependency_explorer", ())],
    "chapters/10-variants.qmd": [("variant_explorer", ())],
}

SETUP_CELL = "#| include: false\nfrom lstm.style import apply_book_style\napply_book_style()"
ARTICLE = Path("/work/shared/article/understanding-the-lstm-cell.qmd")

LABEL_KINDS = ("fig", "eq", "sec", "tbl")
DEFINITION_PATTERNS = (
    re.compile(r"\{#((?:fig|eq|sec|tbl)-[A-Za-z0-9_-]+)"),  # {#sec-..} headings, $$ {#eq-..}
    re.compile(r"^#\|\s*label:\s*((?:fig|tbl)-[A-Za-z0-9_-]+)\s*$", re.MULTILINE),  # code cells
)
REFERENCE_PATTERN = re.compile(r"(?<![\w#{])@((?:fig|eq|sec|tbl)-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*)")
CHUNK_PATTERN = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
IMAGE_PATTERN = re.compile(r"!\[(?P<caption>[^\]]*)\]\((?P<path>[^)\s]+)\)(?P<attrs>\{[^}]*\})?")


def quarto_config() -> dict:
    return yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


def book_files() -> list[Path]:
    """Every source file of the book that exists: chapters and appendices, in order."""
    book = quarto_config()["book"]
    names = list(book["chapters"]) + list(book.get("appendices", []))
    return [ROOT / name for name in names if (ROOT / name).exists()]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_chunks(text: str) -> list[str]:
    """The source of every ```{python} chunk of a .qmd file."""
    return CHUNK_PATTERN.findall(text)


def cell_options(chunk: str) -> dict[str, str]:
    """The ``#| key: value`` options at the top of a chunk (values unquoted)."""
    options = {}
    for line in chunk.splitlines():
        match = re.match(r"#\|\s*([\w-]+):\s*(.*)$", line)
        if not match:
            break
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        options[match.group(1)] = value
    return options


def defined_labels() -> list[tuple[str, str]]:
    """``(label, file)`` for every cross-reference label defined in the book (with repeats)."""
    labels = []
    for path in book_files():
        text = read(path)
        for pattern in DEFINITION_PATTERNS:
            labels.extend((label, relative(path)) for label in pattern.findall(text))
    return labels


def chapter_paths() -> list[str]:
    return list(EXPECTED_CHAPTERS)


def existing_chapter(name: str) -> Path:
    path = ROOT / name
    assert path.exists(), f"{name} is listed in _quarto.yml but does not exist"
    return path


# ----------------------------------------------------------------------------- configuration


def test_quarto_lists_exactly_the_chapters_in_the_articles_order():
    chapters = quarto_config()["book"]["chapters"]
    assert chapters == ["index.qmd", *EXPECTED_CHAPTERS], (
        f"_quarto.yml book.chapters must be index.qmd then {list(EXPECTED_CHAPTERS)}; got {chapters}"
    )


def test_every_chapter_file_is_listed():
    listed = set(quarto_config()["book"]["chapters"])
    on_disk = {relative(path) for path in (ROOT / "chapters").glob("*.qmd")}
    assert on_disk - listed == set(), f"chapters not listed in _quarto.yml: {on_disk - listed}"


def test_quarto_project_options():
    config = quarto_config()
    assert config["project"]["type"] == "book"
    assert config["project"]["output-dir"] == "_book"
    assert config["execute"]["freeze"] == "auto"
    assert config["jupyter"] == "python3"
    html = config["format"]["html"]
    assert set(html["theme"]) == {"light", "dark"}
    assert html["number-sections"] is True and html["toc"] is True
    assert html["code-copy"] is True and html["code-tools"] is True
    assert config["book"]["search"] is True


def test_references_appendix_and_bibliography():
    config = quarto_config()
    assert config["book"]["appendices"] == ["references.qmd"]
    assert "::: {#refs}" in read(ROOT / "references.qmd")
    bibliography = read(ROOT / config["bibliography"])
    keys = set(re.findall(r"^@\w+\{([\w-]+),", bibliography, re.MULTILINE))
    cited = set()
    for path in book_files():
        cited |= set(re.findall(r"(?<![\w.])@((?!(?:fig|eq|sec|tbl)-)[a-z]+\d{4}[a-z]?)\b", read(path)))
    assert cited, "the book cites nothing"
    assert cited <= keys, f"citations missing from {config['bibliography']}: {cited - keys}"


def test_notebook_link_points_to_generated_notebooks():
    """The page script turns .../chapters/NN-slug.html into ../notebooks/NN-slug.ipynb."""
    config = quarto_config()
    script = config["format"]["html"]["include-after-body"]["text"]
    page_pattern = re.search(r"match\(/(.+)/\)", script).group(1).replace("\\/", "/")
    for name in EXPECTED_CHAPTERS:
        page = "/site/" + name.replace(".qmd", ".html")
        match = re.search(page_pattern, page)
        assert match and match.group(1) == Path(name).stem, f"no notebook link for {page}"
    assert re.search(page_pattern, "/site/index.html") is None
    assert '"../notebooks/" + match[1] + ".ipynb"' in script
    assert "/notebooks/*.ipynb" in config["project"]["resources"]


def test_preface_gives_the_readmes_command():
    """The preface and the README tell readers the same way to run the book."""
    readme = read(ROOT / "README.md")
    read_the_book = readme.split("**Read the book**", 1)[1]
    command = re.search(r"```bash\n(.+?)\n```", read_the_book, re.DOTALL).group(1).strip()
    preface_commands = re.findall(r"```bash\n(.+?)\n```", read(ROOT / "index.qmd"), re.DOTALL)
    assert command in [block.strip() for block in preface_commands]


# ----------------------------------------------------------------------------- cross-references


def test_no_label_is_defined_twice():
    seen: dict[str, str] = {}
    duplicates = []
    for label, where in defined_labels():
        if label in seen:
            duplicates.append(f"{label} in {seen[label]} and {where}")
        seen[label] = where
    assert duplicates == []


def test_every_reference_resolves():
    defined = {label for label, _ in defined_labels()}
    unresolved = []
    for path in book_files():
        for reference in REFERENCE_PATTERN.findall(read(path)):
            if reference not in defined:
                unresolved.append(f"@{reference} in {relative(path)}")
    assert unresolved == []


def test_the_reference_pattern_finds_references_and_skips_definitions():
    text = "See @fig-a, @eq-b. and [@sec-c]; {#eq-d} #| label: fig-e; mail@eq-x.org"
    assert REFERENCE_PATTERN.findall(text) == ["fig-a", "eq-b", "sec-c"]


@pytest.mark.parametrize("label", sorted(CANONICAL_EQUATIONS))
def test_canonical_equation_defined_once_in_its_chapter(label):
    places = [where for found, where in defined_labels() if found == label]
    assert places == [CANONICAL_EQUATIONS[label]], f"{label} defined in {places}"


def test_unnumbered_preface_defines_no_cross_reference_targets():
    """Quarto cannot number figures or equations in an unnumbered chapter."""
    text = read(ROOT / "index.qmd")
    assert text.startswith("# Preface {.unnumbered}")
    targets = [label for pattern in DEFINITION_PATTERNS for label in pattern.findall(text)]
    assert targets == []


# ----------------------------------------------------------------------------- chapters


@pytest.mark.parametrize("name", chapter_paths())
def test_chapter_heading_and_setup_cell(name):
    text = read(existing_chapter(name))
    first_line = text.splitlines()[0]
    assert re.fullmatch(rf"# .+ \{{#{EXPECTED_CHAPTERS[name]}\}}", first_line), first_line
    chunks = code_chunks(text)
    assert chunks, f"{name} has no code cells"
    assert chunks[0].strip() == SETUP_CELL


@pytest.mark.parametrize("name", chapter_paths())
def test_chapter_figures_have_label_caption_and_alt_text(name):
    text = read(existing_chapter(name))
    figures = 0
    for chunk in code_chunks(text):
        options = cell_options(chunk)
        label = options.get("label", "")
        if label.startswith("fig-") or "fig-cap" in options:
            figures += 1
            assert label.startswith("fig-"), f"{name}: figure cell without fig- label: {chunk[:60]}"
            assert options.get("fig-cap", "").strip(), f"{name}: {label} has no fig-cap"
            assert options.get("fig-alt", "").strip(), f"{name}: {label} has no fig-alt"
    for image in IMAGE_PATTERN.finditer(text):
        figures += 1
        attrs = image.group("attrs") or ""
        assert image.group("caption").strip(), f"{name}: image {image.group('path')} has no caption"
        assert re.search(r"#fig-[\w-]+", attrs), f"{name}: image {image.group('path')} has no #fig-"
        assert re.search(r'fig-alt="[^"]+"', attrs), f"{name}: {image.group('path')} has no fig-alt"
    assert figures >= 1, f"{name} has no figure"


def test_explorer_cells_are_not_figures():
    for path in book_files():
        for chunk in code_chunks(read(path)):
            if "_explorer(" in chunk:
                assert not cell_options(chunk).get("label", "").startswith("fig-"), chunk


def test_every_image_is_generated_by_our_code():
    generated = set(static_diagram_names().values())
    images_dir = ROOT / "images"
    on_disk = {path.name for path in images_dir.iterdir()} if images_dir.is_dir() else set()
    assert on_disk <= generated, f"images/ holds files no generator writes: {on_disk - generated}"
    for path in book_files():
        for image in IMAGE_PATTERN.finditer(read(path)):
            target = (path.parent / image.group("path")).resolve()
            assert target.parent == images_dir.resolve(), f"{image.group('path')} not in images/"
            assert target.name in generated, f"{image.group('path')} is not a generated image"
            assert target.exists(), f"{image.group('path')} does not exist (run tools/make_images.py)"


def explorer_calls(text: str) -> list[tuple[str, tuple]]:
    """``(function, positional args)`` of every cell whose last expression calls an explorer."""
    calls = []
    for chunk in code_chunks(text):
        body = ast.parse(chunk)
        if not body.body or not isinstance(body.body[-1], ast.Expr):
            continue
        call = body.body[-1].value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            if call.func.id.endswith("_explorer"):
                arguments = tuple(ast.literal_eval(argument) for argument in call.args)
                calls.append((call.func.id, arguments))
    return calls


@pytest.mark.parametrize("name", sorted(EXPECTED_EXPLORERS))
def test_chapter_shows_its_explorers(name):
    calls = explorer_calls(read(existing_chapter(name)))
    assert calls == EXPECTED_EXPLORERS[name]


#: Chapters without an explorer: the bridge to the frameworks is about arrays on disk, and the
#: teachers' page is a summary of the others; neither has anything a slider should move. (The
#: training primer works its examples by hand, then ends with the training explorer, where the
#: reader watches the same steps run: @sec-watch-it-learn.)
CHAPTERS_WITHOUT_EXPLORER = {
    "chapters/11-frameworks.qmd",
    "chapters/12-for-teachers.qmd",
}


@pytest.mark.parametrize("name", chapter_paths())
def test_chapter_has_at_least_one_explorer(name):
    if name in CHAPTERS_WITHOUT_EXPLORER:
        assert not explorer_calls(read(existing_chapter(name))), f"{name} now has an explorer: list it"
        return
    calls = explorer_calls(read(existing_chapter(name)))
    assert len(calls) >= 1, f"{name} shows no explorer (a cell ending in a *_explorer(...) call)"


def exercise_structure(text: str) -> list[str]:
    """The sequence of "exercise" and "solution" blocks after ``## Exercises``."""
    assert text.count("\n## Exercises\n") == 1, "expected exactly one '## Exercises' section"
    section = text.split("\n## Exercises\n", 1)[1]
    blocks = []
    inside_solution = False
    inside_code = False
    for line in section.splitlines():
        if line.startswith("```"):
            inside_code = not inside_code
            continue
        if inside_code:
            continue
        if line.startswith("# "):  # the next chapter (a "#" line inside code is a comment)
            break
        if line.strip() == '::: {.callout-tip collapse="true"}':
            inside_solution = True
            blocks.append("solution-open")
        elif inside_solution and line.strip() == ":::":
            inside_solution = False
        elif inside_solution and line.strip() == "## Solution" and blocks[-1] == "solution-open":
            blocks[-1] = "solution"
        elif not inside_solution and re.match(r"\d+\.\s", line):
            blocks.append("exercise")
    return blocks


@pytest.mark.parametrize("name", chapter_paths())
def test_chapter_ends_with_exercises_and_folded_solutions(name):
    blocks = exercise_structure(read(existing_chapter(name)))
    exercises = blocks.count("exercise")
    assert exercises >= 2, f"{name}: {exercises} exercises"
    assert blocks == ["exercise", "solution"] * exercises, f"{name}: {blocks}"


def test_exercise_parser_sees_missing_solutions():
    text = (
        'x\n## Exercises\n\n1. One?\n\n2. Two?\n\n::: {.callout-tip collapse="true"}\n## Solution\nA\n:::\n'
    )
    assert exercise_structure(text) == ["exercise", "exercise", "solution"]


def word_shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z]+", re.sub(r"<[^>]+>", " ", text.lower()))
    return {tuple(words[index : index + size]) for index in range(len(words) - size + 1)}


@pytest.mark.parametrize("name", chapter_paths())
def test_chapter_does_not_copy_the_articles_sentences(name):
    """No run of 10 consecutive words is shared with the article (we write our own prose)."""
    article = word_shingles(read(ARTICLE), 10)
    shared = word_shingles(read(existing_chapter(name)), 10) & article
    assert shared == set(), f"{name} repeats the article: {[' '.join(s) for s in shared][:3]}"


# ----------------------------------------------------------------------------- notebooks


def test_notebooks_are_up_to_date():
    problems = load_make_notebooks().notebook_problems(ROOT)
    assert problems == [], "run python tools/make_notebooks.py:\n" + "\n".join(problems)


def test_notebook_generation_is_deterministic_and_output_free():
    tools = load_make_notebooks()
    chapter = ROOT / "chapters" / "03-forget-gate.qmd"
    first = tools.notebook_text(tools.chapter_to_notebook(read(chapter), "x.qmd"))
    second = tools.notebook_text(tools.chapter_to_notebook(read(chapter), "x.qmd"))
    assert first == second
    notebook = tools.chapter_to_notebook(read(chapter), "x.qmd")
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert [cell.id for cell in notebook.cells] == [
        f"cell-{index:03d}" for index in range(len(notebook.cells))
    ]
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert any("../images/lstm-cell-forget.svg" in cell.source for cell in notebook.cells)


def test_check_mode_names_a_stale_notebook(tmp_path):
    """--check logic on a copy of the project: editing a chapter makes its notebook stale."""
    tools = load_make_notebooks()
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_quarto.yml").write_text(
        "book:\n  chapters:\n    - index.qmd\n    - chapters/01-a.qmd\n    - chapters/02-b.qmd\n"
    )
    (tmp_path / "chapters" / "01-a.qmd").write_text("# A {#sec-a}\n\n```{python}\n1 + 1\n```\n")
    assert tools.notebook_problems(tmp_path) == [
        "chapters/02-b.qmd is listed in _quarto.yml but does not exist",
        "notebooks/01-a.ipynb is missing",
    ]
    (tmp_path / "chapters" / "02-b.qmd").write_text("# B {#sec-b}\n")
    tools.write_notebooks(tmp_path)
    assert tools.notebook_problems(tmp_path) == []
    (tmp_path / "chapters" / "01-a.qmd").write_text("# A {#sec-a}\n\nchanged\n")
    (tmp_path / "notebooks" / "99-orphan.ipynb").write_text("{}")
    assert tools.notebook_problems(tmp_path) == [
        "notebooks/01-a.ipynb is stale (its chapter changed)",
        "notebooks/99-orphan.ipynb has no chapter behind it",
    ]


def test_notebook_link_script_adds_the_link_in_a_browser(tmp_path, browser):
    """Run the page script of _quarto.yml in Chromium on a page laid out like Quarto's."""
    script = quarto_config()["format"]["html"]["include-after-body"]["text"]
    page_html = (
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
        "<div id='quarto-margin-sidebar'><nav id='TOC'></nav></div>"
        "<main id='quarto-document-content'><h1>Chapter</h1></main>" + script + "</body></html>"
    )
    (tmp_path / "chapters").mkdir()
    chapter_page = tmp_path / "chapters" / "03-forget-gate.html"
    chapter_page.write_text(page_html, encoding="utf-8")
    preface_page = tmp_path / "index.html"
    preface_page.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    page.goto(chapter_page.as_uri())
    link = page.locator("#quarto-margin-sidebar .notebook-download a")
    assert link.count() == 1
    href = link.evaluate("element => element.href")
    assert href == (tmp_path / "notebooks" / "03-forget-gate.ipynb").as_uri()
    assert link.get_attribute("download") == "03-forget-gate.ipynb"
    assert "Download the notebook" in link.inner_text()
    page.goto(preface_page.as_uri())
    assert page.locator(".notebook-download").count() == 0
    page.close()
